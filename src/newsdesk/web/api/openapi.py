"""GET /api/v1/openapi.json: the OpenAPI 3.0 document of the JSON API."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from newsdesk.web.api.common import DEFAULT_LIMIT, MAX_LIMIT
from newsdesk.web.taxonomy import REGIONS, SECTIONS

_STR = {"type": "string"}
_INT = {"type": "integer"}
_NULL_INT = {"type": "integer", "nullable": True}
_NULL_STR = {"type": "string", "nullable": True}  # a URL the article lacks (no safe link)
_TIME = {"type": "string", "format": "date-time"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or _STR}  # fmt: skip


def _path(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }


_LIMIT = _query("limit", "Items per page.", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                                              "default": DEFAULT_LIMIT})  # fmt: skip
_CURSOR = _query("cursor", "The next_cursor of the previous page.")
_SECTION = _query("section", "A section name.", {"type": "string", "enum": list(SECTIONS)})
_REGION = _query("region", "A World region.", {"type": "string", "enum": list(REGIONS)})
_PLACE = _query("place", "An ISO 3166-1 alpha-2 country code.",
                {"type": "string", "pattern": "^[A-Za-z]{2}$"})  # fmt: skip
_SOURCE = _query("source", "A source id.", {"type": "string", "pattern": "^[0-9]{1,18}$"})


def _list_of(item: str) -> dict[str, Any]:
    return {"type": "object", "required": ["items", "next_cursor"], "properties": {
        "items": {"type": "array", "items": _ref(item)},
        "next_cursor": {"type": "string", "nullable": True}}}  # fmt: skip


def _ok(schema: dict[str, Any], *errors: int) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}}
    }
    for status in errors:
        responses[str(status)] = {
            "description": "Bad request" if status == 400 else "Not found",
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return responses


def _get(op_id: str, summary: str, params: list[dict[str, Any]], schema: dict[str, Any],
         *errors: int) -> dict[str, Any]:  # fmt: skip
    return {"get": {"operationId": op_id, "summary": summary, "parameters": params,
                    "responses": _ok(schema, *errors)}}  # fmt: skip


ARTICLE = {"type": "object", "required": ["id", "title", "url", "source", "section", "published"],
    "properties": {
        "id": _INT, "title": _STR, "url": _NULL_STR, "canonical_url": _NULL_STR,
        "source": {"type": "object", "properties": {"id": _INT, "title": _STR}},
        "section": _STR, "published": _TIME, "author": _STR, "summary": _STR, "image": _STR,
        "language": _STR, "story_id": _NULL_INT, "duplicate_of": _NULL_INT, "html_url": _STR,
        "text": _STR, "content_html": _STR,
        "places": {"type": "array", "items": _STR},
        "topics": {"type": "array", "items": {"type": "object", "properties": {
            "key": _STR, "name": _STR}}}}}  # fmt: skip
STORY = {"type": "object", "required": ["id", "title", "section", "outlet_count"], "properties": {
    "id": _INT, "title": _STR, "section": _STR, "lead_article_id": _NULL_INT,
    "first_seen": _TIME, "last_seen": _TIME, "article_count": _INT, "outlet_count": _INT,
    "score": {"type": "number"}, "html_url": _STR,
    "articles": {"type": "array", "items": _ref("Article")}}}  # fmt: skip
SECTION = {"type": "object", "required": ["name"], "properties": {
    "name": _STR, "title": _STR, "stories_today": _INT, "articles_today": _INT,
    "regions": {"type": "array", "items": _STR}, "html_url": _STR}}  # fmt: skip
SOURCE = {"type": "object", "required": ["id", "url"], "properties": {
    "id": _INT, "title": _STR, "url": _STR, "site_url": _STR, "section": _STR, "group": _STR,
    "html_url": _STR, "health": {"type": "object", "properties": {
        "last_fetch_at": {"type": "string", "format": "date-time", "nullable": True},
        "last_status": _NULL_INT, "last_error": _STR, "last_warning": _STR,
        "consecutive_failures": _INT}}}}  # fmt: skip
ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["status", "code", "message"],
    "properties": {"status": _INT, "code": _STR, "message": _STR}}}}  # fmt: skip

_FILTERS = [
    _SECTION, _REGION, _PLACE, _SOURCE,
    _query("topic", "A topic, as in /topic/vladimir-putin.", {"type": "string", "maxLength": 200}),
    _query("since", "Published at or after (ISO 8601).", _TIME),
    _query("until", "Published before (ISO 8601).", _TIME),
]  # fmt: skip
_SEARCH = [
    {"name": "q", "in": "query", "required": True, "description": "Words to search for.",
     "schema": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S"}},
    _SECTION, _PLACE, _SOURCE,
    _query("from", "First day (YYYY-MM-DD).", {"type": "string", "format": "date"}),
    _query("to", "Last day (YYYY-MM-DD).", {"type": "string", "format": "date"}),
    _query("sort", "Order of results.", {"type": "string", "enum": ["relevance", "time"]}),
    _LIMIT, _CURSOR,
]  # fmt: skip

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "newsdesk API", "version": "1.0.0",
             "description": "Read-only JSON over the news site: articles, stories, sections, "
             "sources and search. Lists page with an opaque cursor; errors are JSON."},
    "servers": [{"url": "/"}],
    "paths": {
        "/api/v1/articles": _get("listArticles", "Articles, newest first.",
                                 [*_FILTERS, _LIMIT, _CURSOR], _list_of("Article"), 400),
        "/api/v1/articles/{article_id}": _get("getArticle", "One article with its text.",
                                              [_path("article_id")], _ref("Article"), 404),
        "/api/v1/stories": _get("listStories", "Top stories, highest score first.",
                                [_SECTION, _REGION, _LIMIT, _CURSOR], _list_of("Story"), 400),
        "/api/v1/stories/{story_id}": _get("getStory", "A story with its coverage.",
                                           [_path("story_id")], _ref("Story"), 404),
        "/api/v1/sections": _get("listSections", "The sections.", [], _list_of("Section")),
        "/api/v1/sources": _get("listSources", "The sources.", [], _list_of("Source")),
        "/api/v1/sources/{source_id}": _get("getSource", "A source with its health.",
                                            [_path("source_id")], _ref("Source"), 404),
        "/api/v1/search": _get("search", "Full-text search.", _SEARCH, _list_of("Article"), 400),
    },
    "components": {"schemas": {"Article": ARTICLE, "Story": STORY, "Section": SECTION,
                               "Source": SOURCE, "Error": ERROR}},
}  # fmt: skip


async def document(request: Request) -> JSONResponse:
    return JSONResponse(DOCUMENT)
