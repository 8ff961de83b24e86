"""GET /search: full-text search with section, source, place and date filters."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.web.pages import cache_of, int_param, render, store_of
from newsdesk.web.search_params import SearchParamError, entered_form, search_form
from newsdesk.web.taxonomy import SECTIONS

PAGE_SIZE = 20


async def page(request: Request) -> Response:
    store = store_of(request)
    offset = int_param(request.query_params.get("offset")) or 0
    error = ""
    try:
        form = search_form(request.query_params, PAGE_SIZE, offset)
    except SearchParamError as exc:
        # Show the form as typed and what is wrong with it; results of another search would
        # only mislead.
        error = str(exc)
        form = entered_form(request.query_params)
    results = store.site_search(form.query) if form.q.strip() and not error else []
    more = ""
    if len(results) == PAGE_SIZE:
        query = dict(request.query_params.items())
        query["offset"] = str(form.query.offset + PAGE_SIZE)
        more = "?" + urlencode(query)
    feed_query = urlencode({k: v for k, v in request.query_params.items() if k != "offset"})
    return render(
        request,
        "search.html",
        {
            "form": form,
            "results": results,
            "error": error,
            "more": more,
            "sections": SECTIONS,
            "sources": cache_of(request).get(("sources",), store.list_sources),
            "feed_query": feed_query,
        },
        status_code=400 if error else 200,
    )
