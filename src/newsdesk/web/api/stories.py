"""GET /api/v1/stories (top stories, cursor-paginated) and /api/v1/stories/{id} with coverage."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from newsdesk.web.api.common import (
    ApiError,
    article_json,
    decode_cursor,
    encode_cursor,
    endpoint,
    id_param,
    limit_param,
    page,
    story_json,
)
from newsdesk.web.pages import store_of
from newsdesk.web.taxonomy import REGIONS, SECTIONS


@endpoint
async def list_stories(request: Request) -> dict[str, Any]:
    limit = limit_param(request)
    section, region = (
        request.query_params.get("section", ""),
        request.query_params.get("region", ""),
    )
    if section and section not in SECTIONS:
        raise ApiError(400, f"unknown section; one of: {', '.join(SECTIONS)}")
    if region and region not in REGIONS:
        raise ApiError(400, f"unknown region; one of: {', '.join(REGIONS)}")
    values = decode_cursor(request)
    before_score = before_id = None
    if values is not None:
        try:
            before_score, before_id = float(values[0]), int(values[1])
        except (IndexError, TypeError, ValueError):
            raise ApiError(400, "cursor is not one this API gave out") from None
    stories = store_of(request).site_stories(
        limit,
        section=section,
        region=REGIONS.get(region, ""),
        before_score=before_score,
        before_id=before_id,
    )
    last = stories[-1] if len(stories) == limit else None
    return page(
        [story_json(s) for s in stories], encode_cursor(last.score, last.id) if last else None
    )


@endpoint
async def get_story(request: Request) -> dict[str, Any]:
    store = store_of(request)
    story_id = id_param(request, "story_id", "story")
    story = store.site_story(story_id)
    if story is None:
        raise ApiError(404, f"story {story_id} not found")
    body = story_json(story)
    body["articles"] = [article_json(a) for a in store.story_coverage(story.id)]
    return body
