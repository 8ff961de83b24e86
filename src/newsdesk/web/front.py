"""GET /: the latest headlines."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.web.templating import templates

LIMIT = 100


async def page(request: Request) -> Response:
    store = request.app.state.store
    articles = store.latest_articles(LIMIT)
    return templates.TemplateResponse(
        request, "front.html", {"articles": articles, "sources": len(store.list_sources())}
    )
