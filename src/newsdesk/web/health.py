"""GET /healthz: the store answers."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse


async def page(request: Request) -> JSONResponse:
    store = request.app.state.store
    # count(*) scans the table on PostgreSQL: off the event loop, so probes never stall pages.
    articles = await run_in_threadpool(store.count_articles)
    return JSONResponse({"status": "ok", "articles": articles})
