"""Feeds out: RSS 2.0 and Atom for sections, topics, places, stories, searches; OPML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from newsdesk.models import Article
from newsdesk.opml import export_opml
from newsdesk.store.base_site import ArticleFilter
from newsdesk.web import feeds_out
from newsdesk.web.pages import cache_of, int_param, not_found, store_of
from newsdesk.web.search_params import SearchParamError, search_form
from newsdesk.web.taxonomy import REGIONS, SECTIONS, is_country_code, section_title, slug_topic

ITEMS = 50
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def _respond(
    request: Request, fmt: str, title: str, page: str, articles: Sequence[Article]
) -> Response:
    if fmt not in MEDIA_TYPES:
        raise not_found("Feed format")
    base = str(request.base_url).rstrip("/")
    info = feeds_out.FeedInfo(
        title=f"{title} — newsdesk",
        page_url=base + page,
        self_url=str(request.url),
        description=f"The latest from newsdesk: {title}",
    )
    feeds = {
        s.id: s.url for s in cache_of(request).get(("sources",), store_of(request).list_sources)
    }
    items = [
        feeds_out.FeedItem(a, f"{base}/article/{a.id}", feeds.get(a.source_id, ""))
        for a in articles
    ]
    render = feeds_out.rss if fmt == "rss" else feeds_out.atom
    body = render(info, items)
    headers = {"cache-control": "public, max-age=60"}
    return Response(body, media_type=f"{MEDIA_TYPES[fmt]}; charset=utf-8", headers=headers)


def _listing(request: Request, filter: ArticleFilter) -> list[Article]:
    store = store_of(request)
    return cache_of(request).get(("feed", filter), lambda: store.site_articles(filter, ITEMS))


async def section(request: Request) -> Response:
    name = request.path_params.get("name", "world")
    region_slug = request.path_params.get("region", "")
    if name not in SECTIONS or (region_slug and (name != "world" or region_slug not in REGIONS)):
        raise not_found("Section")
    region = REGIONS.get(region_slug, "")
    articles = _listing(request, ArticleFilter(section=name, region=region, originals_only=True))
    title = f"{section_title(name)} › {region}" if region else section_title(name)
    page = f"/section/{name}" + (f"/{region_slug}" if region else "")
    return _respond(request, request.path_params["fmt"], title, page, articles)


async def topic(request: Request) -> Response:
    found = store_of(request).site_topic(slug_topic(request.path_params["slug"]))
    if found is None:
        raise not_found("Topic")
    articles = _listing(request, ArticleFilter(topic=found.key, originals_only=True))
    page = f"/topic/{request.path_params['slug']}"
    return _respond(request, request.path_params["fmt"], found.name, page, articles)


async def place(request: Request) -> Response:
    code = request.path_params["code"].upper()
    found = store_of(request).site_place(code) if is_country_code(code) else None
    if found is None:
        raise not_found("Place")
    articles = _listing(request, ArticleFilter(country=code, originals_only=True))
    title = found.country or found.name
    return _respond(request, request.path_params["fmt"], title, f"/place/{code}", articles)


async def story(request: Request) -> Response:
    store = store_of(request)
    story_id = int_param(request.path_params["story_id"])
    found = None if story_id is None else store.site_story(story_id)
    if found is None:
        raise not_found("Story")
    articles = list(reversed(store.story_coverage(found.id)))[:ITEMS]
    title = found.title or (articles[-1].title if articles else f"Story {found.id}")
    return _respond(request, request.path_params["fmt"], title, f"/story/{found.id}", articles)


async def search(request: Request) -> Response:
    try:
        form = search_form(request.query_params, ITEMS)
    except SearchParamError as exc:
        return Response(str(exc), status_code=400, media_type="text/plain")
    # A subscribed search lists the newest matches, as an alert would: by relevance, a new
    # article that names the term once would never make the cut.
    query = replace(form.query, order="time", offset=0)
    articles = store_of(request).site_search(query) if form.q.strip() else []
    page = "/search?" + request.url.query
    title = f"Search: {form.q}" if form.q else "Search"
    return _respond(request, request.path_params["fmt"], title, page, articles)


async def opml(request: Request) -> Response:
    document = export_opml(store_of(request).list_sources(), created=datetime.now(UTC))
    return Response(
        document,
        media_type="text/x-opml; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="newsdesk-sources.opml"'},
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/feeds/section/world/{region}.{fmt}", section),
        Route("/feeds/section/{name}.{fmt}", section, name="feed_section"),
        Route("/feeds/topic/{slug}.{fmt}", topic, name="feed_topic"),
        Route("/feeds/place/{code}.{fmt}", place, name="feed_place"),
        Route("/feeds/story/{story_id}.{fmt}", story, name="feed_story"),
        Route("/feeds/search.{fmt}", search, name="feed_search"),
        Route("/sources.opml", opml, name="opml"),
    ]
