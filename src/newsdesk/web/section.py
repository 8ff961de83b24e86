"""GET /section/{name} and /section/world/{region}: a section's top stories and latest articles."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store.base_site import ArticleFilter
from newsdesk.web.front import StoryCard, story_cards
from newsdesk.web.pages import (
    article_page,
    cache_of,
    cursor_of,
    not_found,
    render,
    store_of,
)
from newsdesk.web.taxonomy import REGIONS, SECTIONS, section_title

TOP_STORIES = 8


async def page(request: Request) -> Response:
    name = request.path_params.get("name", "world")
    region_slug = request.path_params.get("region", "")
    if name not in SECTIONS:
        raise not_found("Section")
    region = ""
    if region_slug:
        if name != "world" or region_slug not in REGIONS:
            raise not_found("Region")
        region = REGIONS[region_slug]
    store = store_of(request)
    before, _ = cursor_of(request)
    filter = ArticleFilter(section=name, region=region, originals_only=True)
    stories: tuple[StoryCard, ...] = ()
    if before is None:
        stories = cache_of(request).get(
            ("section", name, region),
            lambda: story_cards(
                store, store.site_stories(TOP_STORIES, section=name, region=region)
            ),
        )
    articles, older = article_page(request, filter)
    title = f"{section_title(name)} › {region}" if region else section_title(name)
    feed = f"/feeds/section/{name}" + (f"/{region_slug}" if region else "")
    return render(
        request,
        "section.html",
        {
            "title": title,
            "section": name,
            "region_slug": region_slug,
            "stories": stories,
            "articles": articles,
            "older": older,
            "feed": feed,
        },
    )
