"""POST /admin/articles/{id}/section: correct an article's section (when the store can)."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.models import User
from newsdesk.store.base import StoreError
from newsdesk.web.auth import admin_action, flash
from newsdesk.web.pages import cache_of, int_param, not_found, store_of


async def _correct(request: Request, form: FormData, user: User) -> Response:
    store = store_of(request)
    article_id = int_param(request.path_params["article_id"])
    correct = getattr(store, "correct_section", None)
    if article_id is None or correct is None or store.article_by_id(article_id) is None:
        raise not_found("Article")
    section = str(form.get("section", ""))
    try:
        correct(article_id, section, user.username)
    except StoreError as exc:
        flash(request, f"Not changed: {exc}")
    else:
        cache_of(request).clear()
        flash(request, f"Section set to {section}.")
    return RedirectResponse(request.url_for("article", article_id=str(article_id)), 303)


correct = admin_action(_correct)
