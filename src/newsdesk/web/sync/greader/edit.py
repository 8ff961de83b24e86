"""edit-tag (read, kept-unread, starred) and mark-all-as-read."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from newsdesk.web.sync.greader.common import Call, endpoint, stream_query
from newsdesk.web.sync.ids import BadRequest, epoch, known_item_ids


def _state(tag: str) -> str:
    """'read', 'kept-unread', 'starred' or '' (a tag newsdesk keeps no state for)."""
    if tag.startswith("user/") and "/state/com.google/" in tag:
        return tag.rsplit("/", 1)[-1]
    return ""


@endpoint(action=True)
async def edit_tag(request: Request, call: Call) -> Response:
    asked = call.all("i")
    if not asked:
        raise BadRequest("edit-tag needs at least one item id in i")
    ids = known_item_ids(asked)
    user_id = call.user.id
    for tag in call.all("a"):
        state = _state(tag)
        if state == "read":
            call.store.set_read(user_id, ids, True)
        elif state == "kept-unread":
            call.store.set_read(user_id, ids, False)
        elif state == "starred":
            call.store.set_starred(user_id, ids, True)
    for tag in call.all("r"):
        state = _state(tag)
        if state == "read":
            call.store.set_read(user_id, ids, False)
        elif state == "starred":
            call.store.set_starred(user_id, ids, False)
    return PlainTextResponse("OK")


@endpoint(action=True)
async def mark_all_as_read(request: Request, call: Call) -> Response:
    """Mark the stream `s` read, up to `ts` (microseconds, as Google sent it) if given."""
    stream_id = call.get("s")
    if not stream_id:
        raise BadRequest("mark-all-as-read needs a stream id in s")
    up_to = epoch(call.get("ts") or "", "ts") if call.get("ts") else None
    call.store.mark_stream_read(call.user.id, stream_query(stream_id), up_to)
    return PlainTextResponse("OK")
