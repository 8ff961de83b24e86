"""GET /topic/{slug}: the latest articles about a person, organisation or phrase."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.store.base_site import ArticleFilter
from newsdesk.web.pages import article_page, not_found, render, store_of
from newsdesk.web.taxonomy import slug_topic, topic_slug


async def page(request: Request) -> Response:
    store = store_of(request)
    topic = store.site_topic(slug_topic(request.path_params["slug"]))
    if topic is None:
        raise not_found("Topic")
    filter = ArticleFilter(topic=topic.key, originals_only=True)
    articles, older = article_page(request, filter)
    return render(
        request,
        "listing.html",
        {
            "title": topic.name,
            "kind": topic.kind or "topic",
            "articles": articles,
            "older": older,
            "feed": f"/feeds/topic/{topic_slug(topic.key)}",
            "api": f"/api/v1/articles?topic={topic_slug(topic.key)}",
        },
    )
