"""GET /v1/me, /v1/categories, /v1/feeds, /v1/feeds/{id} and /v1/feeds/counters."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newsdesk.models import Source
from newsdesk.web.sync.miniflux.common import Call, endpoint, error, path_id
from newsdesk.web.sync.miniflux.render import category_json, feed_json, user_json


def followed_sources(call: Call) -> list[tuple[Source, str]]:
    """The sources the user follows, each with the title the user gave it (or "")."""
    subs = {s.ref: s.title for s in call.store.subscriptions(call.user.id) if s.kind == "source"}
    return [(s, subs[str(s.id)]) for s in call.store.list_sources() if str(s.id) in subs]


@endpoint
async def me(request: Request, call: Call) -> Response:
    return JSONResponse(user_json(call.user))


@endpoint
async def categories(request: Request, call: Call) -> Response:
    sections = sorted({s.section for s, _ in followed_sources(call)} | {""})
    return JSONResponse([category_json(section, call.user) for section in sections])


@endpoint
async def feeds(request: Request, call: Call) -> Response:
    health = {h.source_id: h for h in call.store.all_health()}
    return JSONResponse(
        [feed_json(s, call.user, title, health.get(s.id)) for s, title in followed_sources(call)]
    )


@endpoint
async def feed(request: Request, call: Call) -> Response:
    wanted = path_id(request, "feed_id")
    for source, title in followed_sources(call):
        if source.id == wanted:
            health = call.store.source_health(source.id)
            return JSONResponse(feed_json(source, call.user, title, health))
    return error("Resource not found", 404)


@endpoint
async def counters(request: Request, call: Call) -> Response:
    unread = {c.ref: c.count for c in call.store.unread_counts(call.user.id) if c.kind == "source"}
    return JSONResponse({"reads": {}, "unreads": unread})
