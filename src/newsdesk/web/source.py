"""GET /source/{id}: a source's latest articles, its health and its history of fetches."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store.base_site import ArticleFilter
from newsdesk.web.pages import (
    PAGE_SIZE,
    cursor_of,
    int_param,
    not_found,
    older_link,
    render,
    store_of,
)
from newsdesk.web.svg import fetch_sparkline

HISTORY = 60


async def page(request: Request) -> Response:
    store = store_of(request)
    source_id = int_param(request.path_params["source_id"])
    source = None if source_id is None else store.source_by_id(source_id)
    if source is None:
        raise not_found("Source")
    before, before_id = cursor_of(request)
    filter = ArticleFilter(source_id=source.id, apply_mutes=False)
    articles = store.site_articles(filter, PAGE_SIZE, before=before, before_id=before_id)
    history = store.fetch_history(source.id, HISTORY)
    return render(
        request,
        "source.html",
        {
            "source": source,
            "health": store.source_health(source.id),
            "history": history[:15],
            "sparkline": fetch_sparkline(history),
            "articles": articles,
            "older": older_link(request, articles, PAGE_SIZE),
            "muted": any(
                m.kind == "source" and m.ref == str(source.id) for m in store.list_mutes()
            ),
        },
    )
