"""The web application factory: a thin shell over the store."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from newsdesk.jobs.loop import run_scheduler
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.store.base import Store
from newsdesk.web import front, health, ops, sync
from newsdesk.web.security import SecurityHeadersMiddleware

STATIC = Path(__file__).parent / "static"


def create_app(
    settings: Settings, store: Store | None = None, *, refresh: bool = True
) -> Starlette:
    """Build the ASGI app; with refresh=True it also refreshes sources in the background."""
    the_store = store if store is not None else open_store(settings.database_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(run_scheduler(the_store, settings, stop)) if refresh else None
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if store is None:
                the_store.close()

    app = Starlette(
        routes=[
            Route("/", front.page, name="front"),
            Route("/healthz", health.page, name="health"),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
            *sync.routes(),
            *ops.routes(),
        ],
        middleware=[Middleware(SecurityHeadersMiddleware)],
        lifespan=lifespan,
    )
    app.state.store = the_store
    app.state.settings = settings
    return app
