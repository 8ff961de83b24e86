"""The web application factory: a thin shell over the store."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from newsdesk.jobs.loop import run_scheduler
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.store.base import Store
from newsdesk.web import (
    admin,
    admin_articles,
    admin_login,
    admin_mutes,
    admin_sources,
    api,
    article,
    errors,
    feeds,
    front,
    health,
    ops,
    place,
    search,
    section,
    source,
    story,
    sync,
    topic,
)
from newsdesk.web.auth import SESSION_COOKIE, SESSION_MAX_AGE
from newsdesk.web.cache import TTLCache
from newsdesk.web.limits import RequestLimitsMiddleware
from newsdesk.web.microcache import MicrocacheMiddleware
from newsdesk.web.security import SecurityHeadersMiddleware

STATIC = Path(__file__).parent / "static"
FRONT_CACHE_SECONDS = 5.0


class NewsdeskApp(Starlette):
    """Starlette with size limits and security headers around everything, 500 pages included.

    Starlette puts its server-error handler outside all user middleware; these two go outside it.
    """

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeadersMiddleware(RequestLimitsMiddleware(super().build_middleware_stack()))


def page_routes() -> list[BaseRoute]:
    return [
        Route("/", front.page, name="front"),
        Route("/section/world/{region}", section.page, name="region"),
        Route("/section/{name}", section.page, name="section"),
        Route("/story/{story_id}", story.page, name="story"),
        Route("/article/{article_id}", article.page, name="article"),
        Route("/search", search.page, name="search"),
        Route("/topic/{slug}", topic.page, name="topic"),
        Route("/place/{code}", place.page, name="place"),
        Route("/source/{source_id}", source.page, name="source"),
    ]


def admin_routes() -> list[BaseRoute]:
    return [
        Route("/admin", admin.page, name="admin"),
        Route("/admin/login", admin_login.form, name="admin_login"),
        Route("/admin/login", admin_login.submit, methods=["POST"]),
        Route("/admin/logout", admin_login.logout, methods=["POST"], name="admin_logout"),
        Route("/admin/sources", admin_sources.add, methods=["POST"], name="admin_add_source"),
        Route("/admin/sources/opml", admin_sources.upload, methods=["POST"], name="admin_opml"),
        Route(
            "/admin/sources/{source_id}/remove",
            admin_sources.remove,
            methods=["POST"],
            name="admin_remove_source",
        ),
        Route(
            "/admin/articles/{article_id}/section",
            admin_articles.correct,
            methods=["POST"],
            name="admin_correct_section",
        ),
        Route("/admin/mutes", admin_mutes.mute, methods=["POST"], name="admin_mute"),
        Route("/admin/mutes/remove", admin_mutes.unmute, methods=["POST"], name="admin_unmute"),
    ]


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

    app = NewsdeskApp(
        routes=[
            *page_routes(),
            *admin_routes(),
            *feeds.routes(),
            *api.routes(),
            Route("/healthz", health.page, name="health"),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
            *sync.routes(),
            *ops.routes(),
        ],
        middleware=[
            Middleware(MicrocacheMiddleware),
            Middleware(
                SessionMiddleware,
                secret_key=the_store.app_secret("session"),
                session_cookie=SESSION_COOKIE,
                max_age=SESSION_MAX_AGE,
                same_site="strict",
                https_only=False,
            ),
        ],
        exception_handlers={HTTPException: errors.http_error, 500: errors.server_error},
        lifespan=lifespan,
    )
    app.state.store = the_store
    app.state.settings = settings
    app.state.cache = TTLCache(FRONT_CACHE_SECONDS)
    return app
