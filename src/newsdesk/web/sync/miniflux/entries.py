"""Entries: listing (all, per feed, per category), one entry, and changing their state."""

from __future__ import annotations

import json
from dataclasses import replace

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newsdesk.store.base_reading import ReadingItem, StreamQuery
from newsdesk.web.sync.ids import BadRequest, epoch, stored_id
from newsdesk.web.sync.miniflux.common import (
    Call,
    endpoint,
    error,
    id_param,
    int_param,
    path_id,
    section_of_category,
)
from newsdesk.web.sync.miniflux.render import entry_json

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _query(request: Request, base: StreamQuery) -> StreamQuery:
    """`base` with Miniflux's status, starred, before, after, search, direction, limit and
    offset.

    Every order sorts by publication time (then id), which is what newsdesk keeps in order.
    """
    params = request.query_params
    statuses = set(params.getlist("status"))
    read = None
    if statuses and statuses <= {"read", "removed"}:
        read = True
    elif statuses == {"unread"}:
        read = False
    limit = int_param(request, "limit", DEFAULT_LIMIT) or DEFAULT_LIMIT
    query = replace(
        base,
        read=read,
        limit=min(limit, MAX_LIMIT),
        offset=int_param(request, "offset", 0),
        oldest_first=params.get("direction") == "asc",
    )
    if params.get("starred") in {"1", "true"}:
        query = replace(query, starred=True)
    if params.get("after"):
        query = replace(query, newer_than=epoch(params["after"], "after"))
    if params.get("before"):
        query = replace(query, older_than=epoch(params["before"], "before"))
    if params.get("search"):
        query = replace(query, search=params["search"][:500])
    return query


def _listing(call: Call, query: StreamQuery) -> Response:
    items = call.store.reading_items(call.user.id, query)
    sources = {s.id: s for s in call.store.list_sources()}
    return JSONResponse(
        {
            "total": call.store.count_stream(call.user.id, query),
            "entries": [entry_json(i, sources.get(i.article.source_id), call.user) for i in items],
        }
    )


@endpoint
async def all_entries(request: Request, call: Call) -> Response:
    base = StreamQuery(subscribed=True)
    feed_id = id_param(request, "feed_id")
    category = id_param(request, "category_id")
    if feed_id is not None:
        base = replace(base, source_id=feed_id)
    if category is not None:
        section = section_of_category(call.store.list_sources(), category)
        if section is None:
            return error("Resource not found", 404)
        base = replace(base, label=section)
    return _listing(call, _query(request, base))


def _feed_in_path(request: Request, call: Call) -> int | None:
    """The id of the stored source the path names, or None (answer 404)."""
    feed_id = path_id(request, "feed_id")
    return None if feed_id is None or call.store.source_by_id(feed_id) is None else feed_id


def _entry_in_path(request: Request, call: Call) -> ReadingItem | None:
    """The user's view of the article the path names, or None (answer 404)."""
    entry_id = path_id(request, "entry_id")
    found = [] if entry_id is None else call.store.reading_items_by_id(call.user.id, [entry_id])
    return found[0] if found else None


@endpoint
async def feed_entries(request: Request, call: Call) -> Response:
    feed_id = _feed_in_path(request, call)
    if feed_id is None:
        return error("Resource not found", 404)
    return _listing(call, _query(request, StreamQuery(source_id=feed_id)))


@endpoint
async def category_entries(request: Request, call: Call) -> Response:
    category = path_id(request, "category_id")
    section = None if category is None else section_of_category(call.store.list_sources(), category)
    if section is None:
        return error("Resource not found", 404)
    return _listing(call, _query(request, StreamQuery(label=section, subscribed=True)))


@endpoint
async def one_entry(request: Request, call: Call) -> Response:
    item = _entry_in_path(request, call)
    if item is None:
        return error("Resource not found", 404)
    source = call.store.source_by_id(item.article.source_id)
    return JSONResponse(entry_json(item, source, call.user))


def _entry_ids(value: object) -> list[int]:
    """The ids of a JSON list; BadRequest unless each is an id (a JSON integer, not true)."""
    if not isinstance(value, list):
        raise BadRequest("entry_ids must be a list of entry IDs")
    if not value:
        raise BadRequest("The list of entry IDs is empty")
    ids = [stored_id(i) if type(i) is int else None for i in value]
    if None in ids:
        raise BadRequest("entry_ids must be positive 64-bit integers")
    return [i for i in ids if i is not None]


@endpoint
async def update_entries(request: Request, call: Call) -> Response:
    """{"entry_ids": [...], "status": "read" | "unread"} → 204."""
    try:
        body = json.loads(await request.body())
        entry_ids, status = body["entry_ids"], body["status"]
    except (ValueError, TypeError, KeyError) as exc:
        raise BadRequest("the body must be JSON with entry_ids and status") from exc
    ids = _entry_ids(entry_ids)
    if status not in {"read", "unread", "removed"}:
        raise BadRequest(f"Invalid entry status: {status!r}")
    call.store.set_read(call.user.id, ids, status != "unread")
    return Response(status_code=204)


@endpoint
async def toggle_bookmark(request: Request, call: Call) -> Response:
    item = _entry_in_path(request, call)
    if item is None:
        return error("Resource not found", 404)
    call.store.set_starred(call.user.id, [item.article.id], not item.is_starred)
    return Response(status_code=204)


@endpoint
async def mark_feed_read(request: Request, call: Call) -> Response:
    feed_id = _feed_in_path(request, call)
    if feed_id is None:
        return error("Resource not found", 404)
    call.store.mark_stream_read(call.user.id, StreamQuery(source_id=feed_id), None)
    return Response(status_code=204)
