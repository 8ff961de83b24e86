"""GET /api/v1/articles (filtered, cursor-paginated) and /api/v1/articles/{id}."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request

from newsdesk.store.base_site import ArticleFilter
from newsdesk.web.api.common import (
    ApiError,
    article_json,
    decode_cursor,
    encode_cursor,
    endpoint,
    id_param,
    limit_param,
    page,
    time_param,
)
from newsdesk.web.pages import store_of
from newsdesk.web.taxonomy import REGIONS, SECTIONS, is_country_code, slug_topic


def article_filter(request: Request) -> ArticleFilter:
    params = request.query_params
    section, region = params.get("section", ""), params.get("region", "")
    place, topic, source = (
        params.get("place", ""),
        params.get("topic", ""),
        params.get("source", ""),
    )
    if section and section not in SECTIONS:
        raise ApiError(400, f"unknown section; one of: {', '.join(SECTIONS)}")
    if region and region not in REGIONS:
        raise ApiError(400, f"unknown region; one of: {', '.join(REGIONS)}")
    if place and not is_country_code(place):
        raise ApiError(400, "place must be a two-letter country code, like UA")
    if source and not (source.isascii() and source.isdigit() and len(source) <= 18):
        raise ApiError(400, "source must be a source id")
    if len(topic) > 200:
        raise ApiError(400, "topic is too long")
    return ArticleFilter(
        section=section,
        region=REGIONS.get(region, ""),
        country=place.upper(),
        topic=slug_topic(topic) if topic.strip() else "",
        source_id=int(source) if source else None,
        since=time_param(request, "since"),
        until=time_param(request, "until"),
    )


def _article_cursor(request: Request) -> tuple[datetime | None, int | None]:
    values = decode_cursor(request)
    if values is None:
        return None, None
    try:
        moment, last_id = datetime.fromisoformat(values[0]), int(values[1])
    except (IndexError, TypeError, ValueError):
        raise ApiError(400, "cursor is not one this API gave out") from None
    return moment, last_id


@endpoint
async def list_articles(request: Request) -> dict[str, Any]:
    limit = limit_param(request)
    filter = article_filter(request)
    before, before_id = _article_cursor(request)
    articles = store_of(request).site_articles(filter, limit, before=before, before_id=before_id)
    last = articles[-1] if len(articles) == limit else None
    cursor = encode_cursor(last.published.isoformat(), last.id) if last else None
    return page([article_json(a) for a in articles], cursor)


@endpoint
async def get_article(request: Request) -> dict[str, Any]:
    store = store_of(request)
    article_id = id_param(request, "article_id", "article")
    article = store.article_by_id(article_id)
    if article is None:
        raise ApiError(404, f"article {article_id} not found")
    body = article_json(article, full=True)
    body["places"] = [p.country_code for p in store.site_places_of(article.id)]
    body["topics"] = [{"key": t.key, "name": t.name} for t in store.site_topics_of(article.id)]
    return body
