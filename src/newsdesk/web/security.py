"""Security headers on every response, and redirects that can only go to this site's own paths.

The app factory wraps the whole Starlette stack in this middleware, outside even the server-error
handler, so error pages, static files, the API, feeds and the sync APIs all carry the headers.

The Content-Security-Policy allows no inline code and no plugins; pages may not be framed.
Strict-Transport-Security is sent only when the request came over HTTPS: over plain HTTP a
browser ignores it, and a site served on a LAN without TLS must not pin itself to HTTPS. Behind
a TLS-terminating proxy, run uvicorn with ``--proxy-headers`` (and ``--forwarded-allow-ips``) so
the scheme the proxy saw reaches the app and the header is sent. Over HTTPS every cookie is
also marked Secure, so a browser never sends the session back over plain HTTP.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; img-src 'self' https: http: data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = (b"strict-transport-security", b"max-age=31536000")

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_NAMES = {name for name, _ in HEADERS} | {HSTS[0]}
# Browsers read "//host" and "/\\host" as another site; a local path starts with one "/".
_LEADING_SLASHES = re.compile(r"^[/\\]+")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        added = [*HEADERS, HSTS] if https else HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                headers = [(n, v) for n, v in message.get("headers", []) if n not in _NAMES]
                if https:
                    headers = [_secure_cookie(n, v) for n, v in headers]
                message["headers"] = [*_local_redirect(scope, headers), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure_cookie(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """A Set-Cookie header marked Secure (other headers as they are)."""
    if name != b"set-cookie" or b"; secure" in value.lower():
        return name, value
    return name, value + b"; secure"


def _local_redirect(scope: Scope, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` with a Location on this host kept to this host (see `same_site_location`)."""
    host = next((v for n, v in scope["headers"] if n == b"host"), b"").decode("latin-1")
    fixed = []
    for name, value in headers:
        if name == b"location":
            value = same_site_location(value.decode("latin-1"), host).encode("latin-1")
        fixed.append((name, value))
    return fixed


def same_site_location(location: str, host: str) -> str:
    """A redirect target that stays on this site when it was meant to.

    A path is made one a browser cannot read as another site ("//evil.example/", "/\\evil"):
    such a path arises when a route redirects to a URL made from the request's own path.
    An absolute URL to another host is left alone: only code writes one, from a URL it chose.
    """
    parts = urlsplit(location)
    if not parts.scheme:
        return _LEADING_SLASHES.sub("/", location)
    if parts.netloc.lower() != host.lower():
        return location
    path = _LEADING_SLASHES.sub("/", parts.path)
    return urlunsplit(parts._replace(path=path))
