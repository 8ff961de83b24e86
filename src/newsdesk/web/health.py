"""GET /healthz: the store answers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse


async def page(request: Request) -> JSONResponse:
    store = request.app.state.store
    return JSONResponse({"status": "ok", "articles": store.count_articles()})
