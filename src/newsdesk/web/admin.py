"""GET /admin: sources with their health, mutes, and the forms that change them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.web.auth import csrf_token, current_admin, take_flash
from newsdesk.web.pages import render, store_of


async def page(request: Request) -> Response:
    if current_admin(request) is None:
        return RedirectResponse(request.url_for("admin_login"), 303)
    store = store_of(request)
    health = {h.source_id: h for h in store.all_health()}
    sources = [(s, health.get(s.id)) for s in store.list_sources()]
    titles = {str(s.id): s.title or s.url for s, _ in sources}
    return render(
        request,
        "admin.html",
        {
            "csrf": csrf_token(request),
            "message": take_flash(request),
            "sources": sources,
            "mutes": store.list_mutes(),
            "titles": titles,
        },
    )
