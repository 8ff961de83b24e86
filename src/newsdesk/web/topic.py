"""GET /topic/{slug}: the latest articles about a person, organisation or phrase."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store.base_site import ArticleFilter
from newsdesk.web.pages import PAGE_SIZE, cursor_of, not_found, older_link, render, store_of
from newsdesk.web.taxonomy import topic_keys, topic_slug


async def page(request: Request) -> Response:
    store = store_of(request)
    topic = store.site_topic(topic_keys(request.path_params["slug"])[:2])
    if topic is None:
        raise not_found("Topic")
    before, before_id = cursor_of(request)
    filter = ArticleFilter(topic=topic.key, originals_only=True)
    articles = store.site_articles(filter, PAGE_SIZE, before=before, before_id=before_id)
    return render(
        request,
        "listing.html",
        {
            "title": topic.name,
            "kind": topic.kind or "topic",
            "articles": articles,
            "older": older_link(request, articles, PAGE_SIZE),
            "feed": f"/feeds/topic/{topic_slug(topic.key)}",
            "api": f"/api/v1/articles?topic={topic_slug(topic.key)}",
        },
    )
