"""GET /source/{id}: a source's latest articles, its health and its history of fetches."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store.base_site import ArticleFilter
from newsdesk.web.pages import (
    article_page,
    int_param,
    not_found,
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
    filter = ArticleFilter(source_id=source.id, apply_mutes=False)
    articles, older = article_page(request, filter)
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
            "older": older,
            "muted": any(
                m.kind == "source" and m.ref == str(source.id) for m in store.list_mutes()
            ),
        },
    )
