"""The JSON API under /api/v1, described by /api/v1/openapi.json."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from newsdesk.web.api import articles, openapi, search, sections, sources, stories


def routes() -> list[BaseRoute]:
    return [
        Route("/api/v1/openapi.json", openapi.document, name="openapi"),
        Route("/api/v1/articles", articles.list_articles),
        Route("/api/v1/articles/{article_id}", articles.get_article),
        Route("/api/v1/stories", stories.list_stories),
        Route("/api/v1/stories/{story_id}", stories.get_story),
        Route("/api/v1/sections", sections.list_sections),
        Route("/api/v1/sources", sources.list_sources),
        Route("/api/v1/sources/{source_id}", sources.get_source),
        Route("/api/v1/search", search.search),
    ]
