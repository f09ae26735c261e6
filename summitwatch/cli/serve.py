"""``summitwatch serve``: the web UI and HTTP API over one database (loopback by default)."""

from __future__ import annotations

import click

from summitwatch.cli.app import DB_OPTION, main


@main.command("serve")
@DB_OPTION
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to bind. The default serves this machine only; 0.0.0.0 exposes it to the network.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--curate-user",
    envvar="SUMMITWATCH_USER",
    default=None,
    help="Turn on analyst curation (confirm/reject/correct buttons) as this user; loopback binds only.",
)
def serve_cmd(db_path: str, host: str, port: int, curate_user: str | None) -> None:
    """Serve the timeline, engagement, person, article, search and corpus pages plus /api (OpenAPI at /openapi.json)."""
    import uvicorn

    from summitwatch.api import create_app
    from summitwatch.store.db import StoreError, connect
    from summitwatch.store.index import index_problem

    try:
        conn = connect(db_path, create=False)  # fail early, with a clear message, on a missing file
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    # serve never builds anything (ingest keeps the search index); a missing index only disables search
    problem = index_problem(conn)
    conn.close()
    if problem:
        click.echo(f"warning: {problem}; search answers 503 until `summitwatch ingest` updates it", err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"summitwatch serving {db_path} at http://{shown}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(create_app(db_path, curate_user=curate_user, bind_host=host), host=host, port=port, log_level="warning")
