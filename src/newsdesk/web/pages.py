"""What every page shares: rendering with the common context, 404s, and the "older" cursor."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from newsdesk.models import Article
from newsdesk.store.base import Store
from newsdesk.store.base_site import ArticleFilter
from newsdesk.web.auth import SESSION_COOKIE, current_admin, take_flash
from newsdesk.web.cache import TTLCache
from newsdesk.web.templating import templates

PAGE_SIZE = 30


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def cache_of(request: Request) -> TTLCache:
    cache: TTLCache = request.app.state.cache
    return cache


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    context = {"admin": current_admin(request), **context}
    if SESSION_COOKIE in request.cookies and "flash" not in context:
        context["flash"] = take_flash(request)
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def not_found(what: str = "Page") -> HTTPException:
    return HTTPException(404, f"{what} not found")


def int_param(text: str | None) -> int | None:
    """A positive int path or query value, or None."""
    if text is None or not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def cursor_of(request: Request) -> tuple[datetime | None, int | None]:
    """The (before, before_id) an "Older" link carries; (None, None) when absent or malformed."""
    before_text = request.query_params.get("before", "")
    before_id = int_param(request.query_params.get("before_id"))
    try:
        before = datetime.fromisoformat(before_text) if before_text else None
    except ValueError:
        return None, None
    if before is not None and before.tzinfo is None:
        before = before.replace(tzinfo=UTC)
    return before, before_id


def article_page(
    request: Request, filter: ArticleFilter, page_size: int = PAGE_SIZE
) -> tuple[list[Article], str]:
    """One page of a listing at the request's cursor, and the query string of the next page
    ("" on the last: one article more than the page is read to know whether there is one)."""
    before, before_id = cursor_of(request)
    found = store_of(request).site_articles(
        filter, page_size + 1, before=before, before_id=before_id
    )
    articles = found[:page_size]
    if len(found) <= page_size:
        return articles, ""
    last = articles[-1]
    query = {k: v for k, v in request.query_params.items() if k not in {"before", "before_id"}}
    query.update(before=last.published.isoformat(), before_id=str(last.id))
    return articles, "?" + urlencode(query)
