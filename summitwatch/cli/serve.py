"""``summitwatch serve``: the web UI and HTTP API over one database (loopback by default).

Serving never writes the store: it is opened read-only, and only curation actions (loopback
binds with a curation user) get a writable connection. The search index is built by ingest; a
store without one is served with search answering 503 and a note here.
"""

from __future__ import annotations

import click

from summitwatch.api import create_app
from summitwatch.cli.app import DB_OPTION, main
from summitwatch.store.db import SCHEMA_VERSION, StoreError, connect, missing_tables, schema_version
from summitwatch.store.query.search import index_problem
from summitwatch.web.security import allowed_hosts, is_loopback


def open_bind_warning(host: str, port: int, hosts: list[str], curate_user: str | None) -> str:
    """What ``serve`` prints on a bind other than loopback: what is exposed, that curation is off
    and why, and how remote clients get in."""
    shown = f"[{host}]" if ":" in host else host
    curation = (
        f"--curate-user {curate_user} is ignored: curation" if curate_user else "Curation"
    )
    return "\n".join(
        (
            f"WARNING: bound to {shown}:{port}, which is not loopback. The read API (/api/*, "
            "/openapi.json) and the web pages are exposed, unauthenticated, to every client that can "
            "reach this address.",
            f"{curation} (writing corrections) is OFF on this bind: it has no login of its own, so it "
            "runs only on a loopback bind (127.0.0.1, ::1, localhost).",
            "Remote clients must be allowed by the host name or address they use: --allow-host NAME "
            "(repeatable). Any other Host header gets 400 (DNS-rebinding guard). Allowed now: "
            + ", ".join(hosts)
            + ".",
        )
    )


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
@click.option(
    "--allow-host",
    "allow_host",
    multiple=True,
    metavar="NAME",
    help="Also answer requests whose Host is NAME (repeatable), e.g. this machine's DNS name for remote "
    "clients. Loopback names and the bound address are always allowed; any other Host gets 400.",
)
def serve_cmd(db_path: str, host: str, port: int, curate_user: str | None, allow_host: tuple[str, ...]) -> None:
    """Serve the timeline, engagement, person, article, search and corpus pages plus /api (OpenAPI at /openapi.json).

    The store is opened read-only (only curation writes); ingest builds the search index.
    """
    import uvicorn  # the server only: every other command starts without it

    try:
        hosts = allowed_hosts(host, allow_host)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow-host / --host") from exc
    try:
        conn = connect(db_path, create=False, readonly=True)  # fails early, with a clear message
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        version = schema_version(conn)
        missing = missing_tables(conn)
        if version != SCHEMA_VERSION or missing:
            found = f"schema version {version}" + (f", without table(s) {', '.join(missing)}" if missing else "")
            raise click.ClickException(
                f"database {found}; this summitwatch reads version {SCHEMA_VERSION}. serve opens the store "
                "read-only and does not upgrade it: run a writing command with this version first "
                f"(e.g. `summitwatch build-timeline --db {db_path}`)"
            )
        problem = index_problem(conn)  # said now rather than on first use; serve never builds it
        if problem:
            click.echo(f"note: search is unavailable until `summitwatch ingest` writes the index (serve never writes it): {problem}",
                       err=True)
    finally:
        conn.close()
    if not is_loopback(host):
        click.echo(open_bind_warning(host, port, hosts, curate_user), err=True)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"summitwatch serving {db_path} at http://{shown}:{port}/  (Ctrl-C to stop)")
    app = create_app(db_path, curate_user=curate_user, bind_host=host, allow_hosts=allow_host)
    uvicorn.run(app, host=host, port=port, log_level="warning")
