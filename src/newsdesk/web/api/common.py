"""What every API endpoint shares: JSON errors, parameters, cursors and article/story JSON."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from newsdesk.models import Article, Source, Story
from newsdesk.pipeline.urls import is_web_url
from newsdesk.web.templating import web_url

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
    500: "internal",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str) -> JSONResponse:
    code = ERROR_CODES.get(status, "error")
    return JSONResponse(
        {"error": {"status": status, "code": code, "message": message}}, status_code=status
    )


def endpoint(
    handler: Callable[[Request], Awaitable[Any]],
) -> Callable[[Request], Awaitable[Response]]:
    """Run `handler`, answering its `ApiError` as a JSON error and its result as JSON."""

    async def run(request: Request) -> Response:
        try:
            body = await handler(request)
        except ApiError as exc:
            return error_response(exc.status, exc.message)
        return JSONResponse(body, headers={"cache-control": "public, max-age=30"})

    return run


def limit_param(request: Request) -> int:
    text = request.query_params.get("limit", "")
    if not text:
        return DEFAULT_LIMIT
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise ApiError(400, f"limit must be an integer from 1 to {MAX_LIMIT}")
    return int(text)


def id_param(request: Request, name: str, what: str) -> int:
    text = str(request.path_params[name])
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise ApiError(404, f"{what} {text!r} not found")
    return int(text)


def time_param(request: Request, name: str) -> datetime | None:
    text = request.query_params.get(name, "")
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(400, f"{name} must be an ISO 8601 date or date-time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def encode_cursor(*values: object) -> str:
    raw = json.dumps(list(values), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(request: Request) -> list[Any] | None:
    text = request.query_params.get("cursor", "")
    if not text:
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiError(400, "cursor is not one this API gave out") from None
    if not isinstance(values, list):
        raise ApiError(400, "cursor is not one this API gave out")
    return values


def page(items: list[Any], next_cursor: str | None) -> dict[str, Any]:
    return {"items": items, "next_cursor": next_cursor}


def article_json(article: Article, *, full: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "url": _web_url_or_none(article.url),
        "canonical_url": _web_url_or_none(article.canonical_url),
        "source": {"id": article.source_id, "title": article.source_title},
        "section": article.section,
        "published": article.published.isoformat(),
        "author": article.author,
        "summary": article.summary,
        "image": web_url(article.image) if article.image else "",
        "language": article.language,
        "story_id": article.story_id,
        "duplicate_of": article.duplicate_of,
        "html_url": f"/article/{article.id}",
    }
    if full:
        body["text"] = article.text
        body["content_html"] = article.content_html  # sanitized when stored
    return body


def story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "section": story.section,
        "lead_article_id": story.lead_article_id,
        "first_seen": story.first_seen.isoformat(),
        "last_seen": story.last_seen.isoformat(),
        "article_count": story.article_count,
        "outlet_count": story.outlet_count,
        "score": story.score,
        "html_url": f"/story/{story.id}",
    }


def source_json(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "url": web_url(source.url),
        "site_url": web_url(source.site_url) if source.site_url else "",
        "section": source.section,
        "group": source.group,
        "html_url": f"/source/{source.id}",
    }


def _web_url_or_none(url: str) -> str | None:
    """An http(s) URL, or None for an article or feed without a safe one (never "#")."""
    return url if is_web_url(url) else None
