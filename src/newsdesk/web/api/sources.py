"""GET /api/v1/sources and /api/v1/sources/{id} (with its fetch health)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from newsdesk.web.api.common import ApiError, endpoint, id_param, source_json
from newsdesk.web.pages import store_of


@endpoint
async def list_sources(request: Request) -> dict[str, Any]:
    return {
        "items": [source_json(s) for s in store_of(request).list_sources()],
        "next_cursor": None,
    }


@endpoint
async def get_source(request: Request) -> dict[str, Any]:
    store = store_of(request)
    source_id = id_param(request, "source_id", "source")
    source = store.source_by_id(source_id)
    if source is None:
        raise ApiError(404, f"source {source_id} not found")
    body = source_json(source)
    health = store.source_health(source.id)
    body["health"] = {
        "last_fetch_at": health.last_fetch_at.isoformat()
        if health and health.last_fetch_at
        else None,
        "last_status": health.last_status if health else None,
        "last_error": health.last_error if health else "",
        "last_warning": health.last_warning if health else "",
        "consecutive_failures": health.consecutive_failures if health else 0,
    }
    return body
