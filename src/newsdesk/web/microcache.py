"""A few seconds of whole-response caching for anonymous GETs of pages, feeds and the API.

Readers without a session all see the same page, so under load one render serves many
requests. Admin changes clear the cache (`TTLCache.clear`), so an admin never waits for it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk.web.auth import SESSION_COOKIE
from newsdesk.web.cache import TTLCache

# Only the public site: never the admin, the sync APIs (per-user answers) or operations.
CACHED = ("/section/", "/story/", "/article/", "/search", "/topic/", "/place/", "/source/",
          "/feeds/", "/api/v1/", "/sources.opml")  # fmt: skip
PRIVATE_HEADERS = {b"authorization", b"x-auth-token"}


class MicrocacheMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _cacheable(scope):
            await self.app(scope, receive, send)
            return
        cache: TTLCache = scope["app"].state.cache
        # Feeds and redirects hold absolute URLs built from the Host header, which the client
        # chooses: one client's Host must never reach another's response.
        host = next((v for n, v in scope["headers"] if n == b"host"), b"")
        key = ("page", host, scope["path"], scope.get("query_string", b""))
        found = cache.peek(key)
        if found is not None:
            for message in found:
                await send(dict(message))  # outer middleware may add headers to what it gets
            return
        messages: list[Message] = []

        async def record(message: Message) -> None:
            messages.append(dict(message))
            await send(message)

        await self.app(scope, receive, record)
        start = messages[0] if messages else {}
        headers = dict(start.get("headers", []))
        if start.get("status") == 200 and b"set-cookie" not in headers:
            cache.put(key, messages)


def _cacheable(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    if scope["path"] != "/" and not scope["path"].startswith(CACHED):
        return False
    for name, value in scope["headers"]:
        if name in PRIVATE_HEADERS or (name == b"cookie" and SESSION_COOKIE.encode() in value):
            return False
    return True
