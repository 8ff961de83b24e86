"""Request size limits, checked before a handler runs: long URLs get 414, large bodies 413.

A body's size is checked from Content-Length before any of it is read, and counted as it
streams in when there is no Content-Length (chunked uploads), so no handler ever buffers
more than `MAX_BODY_BYTES`. Form bodies are also held to `MAX_PARAMETERS` fields.

The server in front must let a long request line through for the 414 to be this app's:
uvicorn's h11 parser answers 400 itself past 16 KiB unless given `UVICORN_LIMITS`.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_PATH_BYTES = 2_048
MAX_QUERY_BYTES = 32_768  # a long search, percent-encoded, and its filters
MAX_PARAMETERS = 1_000
MAX_BODY_BYTES = 8_000_000  # an OPML upload (5 MB) and its multipart framing
# For uvicorn.run / uvicorn.Config: headers and request line up to 128 KiB reach the app.
H11_MAX_INCOMPLETE_EVENT_SIZE = 131_072
UVICORN_LIMITS = {"h11_max_incomplete_event_size": H11_MAX_INCOMPLETE_EVENT_SIZE}
_FORM = b"application/x-www-form-urlencoded"


class BodyTooLarge(HTTPException):
    """The body went past a limit while it streamed in; answered by the app's error pages."""

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail, headers={"connection": "close"})


class RequestLimitsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = _refusal(scope)
        if refusal is not None:
            status, text = refusal
            response = PlainTextResponse(text, status, headers={"connection": "close"})
            await response(scope, receive, send)
            return
        await self.app(scope, _counting(scope, receive), send)


def _refusal(scope: Scope) -> tuple[int, str] | None:
    """(status, reason) for a request refused on its URL or declared size alone, else None."""
    query: bytes = scope.get("query_string", b"")
    if len(scope.get("raw_path") or scope["path"].encode("utf-8", "replace")) > MAX_PATH_BYTES:
        return 414, "The path is too long."
    if len(query) > MAX_QUERY_BYTES or query.count(b"&") >= MAX_PARAMETERS:
        return 414, "The query string is too long."
    for name, value in scope["headers"]:
        if name == b"content-length":
            if not value.isdigit() or len(value) > 15:
                return 400, "Content-Length is not a number."
            if int(value) > MAX_BODY_BYTES:
                return 413, f"The body is larger than {MAX_BODY_BYTES} bytes."
    return None


def _counting(scope: Scope, receive: Receive) -> Receive:
    """`receive`, raising BodyTooLarge once the body passes a limit."""
    is_form = any(n == b"content-type" and v.startswith(_FORM) for n, v in scope["headers"])
    size = 0
    fields = 0

    async def counted() -> Message:
        nonlocal size, fields
        message = await receive()
        if message["type"] == "http.request":
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise BodyTooLarge(f"The body is larger than {MAX_BODY_BYTES} bytes.")
            if is_form:
                fields += chunk.count(b"&")
                if fields >= MAX_PARAMETERS:
                    raise BodyTooLarge(f"The form has more than {MAX_PARAMETERS} fields.")
        return message

    return counted
