"""stream/contents, stream/items/ids, stream/items/contents and the Atom reader/atom."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newsdesk.models import Source
from newsdesk.store.base_reading import ReadingItem, StreamQuery
from newsdesk.web.sync.greader.common import READING_LIST, Call, endpoint, paged_query
from newsdesk.web.sync.greader.items import atom_feed, stream_json
from newsdesk.web.sync.ids import (
    BadRequest,
    decimal_id,
    encode_continuation,
    known_item_ids,
    usec,
)

MAX_ITEMS = 1000
MAX_IDS = 10000


def _stream_id(request: Request, call: Call) -> str:
    # Starlette has already unescaped the path, so feed%2F12 arrives here as feed/12.
    stream_id = request.path_params.get("stream_id") or call.get("s") or READING_LIST
    return str(stream_id)


def _page(call: Call, query: StreamQuery) -> tuple[list[ReadingItem], str]:
    """One page plus its continuation: asks for one more item to know whether more follow."""
    items = call.store.reading_items(call.user.id, replace(query, limit=query.limit + 1))
    if len(items) <= query.limit:
        return items, ""
    last = items[query.limit - 1].article
    return items[: query.limit], encode_continuation(last.published, last.id)


def _sources(call: Call) -> dict[int, Source]:
    return {s.id: s for s in call.store.list_sources()}


def _title(call: Call, stream_id: str) -> str:
    source_id = decimal_id(stream_id.removeprefix("feed/"))
    if stream_id.startswith("feed/") and source_id is not None:
        source = call.store.source_by_id(source_id)
        return source.title if source else stream_id
    return stream_id.rsplit("/", 1)[-1]


@endpoint()
async def contents(request: Request, call: Call) -> Response:
    stream_id = _stream_id(request, call)
    query = paged_query(call, stream_id, default=20, maximum=MAX_ITEMS)
    items, continuation = _page(call, query)
    body = stream_json(stream_id, _title(call, stream_id), items, _sources(call))
    if continuation:
        body["continuation"] = continuation
    return JSONResponse(body)


@endpoint()
async def item_ids(request: Request, call: Call) -> Response:
    stream_id = _stream_id(request, call)
    query = paged_query(call, stream_id, default=20, maximum=MAX_IDS)
    found = call.store.stream_items(call.user.id, replace(query, limit=query.limit + 1))
    body: dict[str, object] = {
        "itemRefs": [
            {
                "id": str(i.article_id),
                "directStreamIds": [],
                "timestampUsec": str(usec(i.sort_time)),
            }
            for i in found[: query.limit]
        ]
    }
    if len(found) > query.limit and query.limit:
        last = found[query.limit - 1]
        body["continuation"] = encode_continuation(last.sort_time, last.article_id)
    return JSONResponse(body)


@endpoint()
async def item_contents(request: Request, call: Call) -> Response:
    asked = call.all("i")
    if len(asked) > MAX_ITEMS:
        raise BadRequest(f"at most {MAX_ITEMS} items at once")
    ids = known_item_ids(asked)
    items = call.store.reading_items_by_id(call.user.id, ids)
    return JSONResponse(stream_json(READING_LIST, "", items, _sources(call)))


@endpoint()
async def atom(request: Request, call: Call) -> Response:
    stream_id = _stream_id(request, call)
    query = paged_query(call, stream_id, default=20, maximum=MAX_ITEMS)
    items, continuation = _page(call, query)
    body = atom_feed(stream_id, _title(call, stream_id), str(request.url), items)
    if continuation:
        body = body.replace(
            "</feed>", f"<gr:continuation>{continuation}</gr:continuation>\n</feed>"
        )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
