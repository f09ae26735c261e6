"""HTTP hardening shared by the API, the pages and curation.

- :class:`SecurityHeadersMiddleware` puts the security headers (CSP and friends) and a cache policy
  on *every* response: pages, API answers, errors, 404s and the Host check's 400. It is a plain
  ASGI middleware, outermost of the app's own, so nothing the app sends can miss it.
- :func:`server_error` is the last-resort handler for an unhandled exception. Starlette sends its
  answer from ``ServerErrorMiddleware``, *outside* every other middleware, so it carries the headers
  itself; the body is generic (no traceback to the client; the server log has it).
- :func:`allowed_hosts` builds the ``TrustedHostMiddleware`` allowlist: a page on any other
  origin could otherwise point its own DNS name at 127.0.0.1 (DNS rebinding) and read the API with
  the browser's help, since the Host it sends would be its own name.
- :func:`write_refusal` is the check every curation write passes: a loopback Host, a same-origin
  ``Origin`` (or ``Referer``) and the per-process token.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: No inline script or style, no third-party origin, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: under no-referrer a browser sends ``Origin: null`` with a form
    # post, which the curation check must refuse; cross-site links still get no Referer
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
#: API and curation answers reflect the store now and may carry the curation token: never cached.
NO_STORE = "no-store"
#: Static assets change only with a new release; an hour keeps an upgrade visible the same day.
STATIC_CACHE = "public, max-age=3600"

#: Host names that always reach this machine only (the default allowlist, with the bound host).
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "[0:0:0:0:0:0:0:1]")


def is_api_path(path: str) -> bool:
    """Paths answered in JSON (errors included)."""
    return path == "/api" or path.startswith(("/api/", "/openapi"))


def cache_control(path: str) -> str | None:
    """The Cache-Control a path gets (None: leave it to the route and the browser)."""
    if is_api_path(path) or path.startswith("/curate/"):
        return NO_STORE
    if path.startswith("/static/"):
        return STATIC_CACHE
    return None


def response_headers(path: str) -> dict[str, str]:
    """Every header this module adds to a response for ``path``."""
    headers = dict(SECURITY_HEADERS)
    cache = cache_control(path)
    if cache:
        headers["Cache-Control"] = cache
    return headers


class SecurityHeadersMiddleware:
    """Adds :func:`response_headers` to every HTTP response start (a route's own values win, except
    ``no-store``, which always wins on API and curation paths)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = response_headers(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for key, value in extra.items():
                    if value == NO_STORE or key not in headers:
                        headers[key] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


_ERROR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>500</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><main><h1>500</h1><p class="error">Internal server error: the server log has the details.</p>
<p><a href="/">Back to the timeline</a></p></main></body></html>
"""


async def server_error(request: Request, exc: Exception) -> Response:
    """The answer to an unhandled exception (a bug): generic, with the security headers.

    The page is a constant rather than a template, so a fault in the templates cannot break it.
    """
    path = request.url.path
    headers = response_headers(path)
    if is_api_path(path):
        return JSONResponse({"detail": "internal server error"}, status_code=500, headers=headers)
    return HTMLResponse(_ERROR_PAGE, status_code=500, headers=headers)


# --------------------------------------------------------------------------- hosts
def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 (bracketed or not) and ``localhost``."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_unspecified(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def host_pattern(name: str) -> str:
    """``name`` as an allowlist entry: lower case, IPv6 bracketed as in a Host header.

    ValueError for what cannot be one: empty, a port (the check ignores ports), a bare ``*``
    (which would switch the check off) or characters no host name has.
    """
    value = name.strip().lower()
    if value == "*":
        raise ValueError("a bare * would allow every Host: name the hosts (or *.domain)")
    if not value:
        raise ValueError("an empty host name")
    if value.startswith("["):
        inner = value[1:-1] if value.endswith("]") else ""
    elif value.count(":") >= 2:
        inner = value
    else:
        inner = None
    if inner is not None:
        try:
            ipaddress.IPv6Address(inner)
        except ValueError as exc:
            raise ValueError(f"not an IPv6 address: {name!r}") from exc
        return f"[{inner}]"  # as typed: the Host header carries the form the client's URL has
    if ":" in value:
        raise ValueError(f"give the host without a port: {name!r}")
    label = value[2:] if value.startswith("*.") else value
    if not label or not all(c.isalnum() or c in "-._" for c in label):
        raise ValueError(f"not a host name: {name!r}")
    return value


def allowed_hosts(bind_host: str | None, extra: Iterable[str] = ()) -> list[str]:
    """The Host allowlist: the loopback names, the bound host (unless it is 0.0.0.0 / ::, which
    no legitimate client names) and ``extra`` (``serve --allow-host``)."""
    names = list(LOOPBACK_NAMES)
    if bind_host and not _is_unspecified(bind_host):
        names.append(host_pattern(bind_host))
    names.extend(host_pattern(n) for n in extra)
    return list(dict.fromkeys(names))


def host_name(host_header: str | None) -> str | None:
    """The host of a Host header without its port (``[::1]:8000`` gives ``[::1]``)."""
    if not host_header:
        return None
    if host_header.startswith("["):
        end = host_header.find("]")
        return host_header[: end + 1] if end > 0 else None
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


# --------------------------------------------------------------------------- curation writes
def same_origin(request: Request) -> bool:
    """The request names this server's origin in ``Origin`` (else ``Referer``): scheme and host:port
    equal to the request's own. Absent, ``null`` or unparsable is not same-origin."""
    source = request.headers.get("origin")
    if source is None:
        source = request.headers.get("referer")
    host = request.headers.get("host", "").lower()
    if not source or source.strip().lower() == "null" or not host:
        return False
    try:
        parts = urlsplit(source.strip())
    except ValueError:
        return False
    return parts.scheme.lower() == request.url.scheme and parts.netloc.lower() == host


def token_matches(given: str | None, token: str) -> bool:
    """Constant-time comparison that also takes non-ASCII input (``compare_digest`` on str refuses it)."""
    if not given or not token:
        return False
    return secrets.compare_digest(given.encode("utf-8", "surrogatepass"), token.encode("utf-8"))


def write_refusal(request: Request, given_token: str | None, token: str) -> str | None:
    """Why a curation write must be refused (403), or None when it may go ahead.

    Curation runs on loopback binds only, so a Host that is not a loopback name means a forged
    Host or a rebinding page; the Origin/Referer check stops cross-site requests from browsers,
    and the token stops anything that cannot read this server's pages or status.
    """
    if not is_loopback(host_name(request.headers.get("host"))):
        return "curation answers only requests addressed to a loopback host (localhost, 127.0.0.1, [::1])"
    if not same_origin(request):
        return "curation writes need an Origin (or Referer) header naming this server"
    if not token_matches(given_token, token):
        return ("curation token missing or stale: send the csrf_token of GET /api/curate/status "
                "as X-CSRF-Token (forms: reload the page)")
    return None
