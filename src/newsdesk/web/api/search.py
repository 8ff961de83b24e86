"""GET /api/v1/search: full-text search with the site's filters, cursor-paginated."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from newsdesk.web.api.common import (
    ApiError,
    article_json,
    decode_cursor,
    encode_cursor,
    endpoint,
    limit_param,
    page,
)
from newsdesk.web.pages import store_of
from newsdesk.web.search_params import MAX_OFFSET, SearchParamError, search_form


@endpoint
async def search(request: Request) -> dict[str, Any]:
    limit = limit_param(request)
    if not request.query_params.get("q", "").strip():
        raise ApiError(400, "q (the words to search for) is required")
    values = decode_cursor(request)
    offset = 0
    if values is not None:
        if len(values) != 1 or not isinstance(values[0], int) or not 0 <= values[0] <= MAX_OFFSET:
            raise ApiError(400, "cursor is not one this API gave out")
        offset = values[0]
    try:
        form = search_form(request.query_params, limit, offset)
    except SearchParamError as exc:
        raise ApiError(400, str(exc)) from None
    articles = store_of(request).site_search(form.query)
    more = len(articles) == limit and offset + limit <= MAX_OFFSET
    return page(
        [article_json(a) for a in articles], encode_cursor(offset + limit) if more else None
    )
