"""GET /story/{id}: full coverage: every headline, a timeline, the original, the copies, then
earlier developments and related stories."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from newsdesk.web.front import story_cards
from newsdesk.web.pages import int_param, not_found, render, store_of
from newsdesk.web.svg import coverage_timeline


async def page(request: Request) -> Response:
    store = store_of(request)
    story_id = int_param(request.path_params["story_id"])
    story = None if story_id is None else store.site_story(story_id)
    if story is None:
        raise not_found("Story")
    if story.id != story_id:
        return RedirectResponse(request.url_for("story", story_id=str(story.id)), 301)
    coverage = store.story_coverage(story.id)
    original = next((a for a in coverage if a.id == story.lead_article_id), None)
    if original is None and coverage:
        original = next((a for a in coverage if a.duplicate_of is None), coverage[0])
    originals = [a for a in coverage if a.duplicate_of is None and a is not original]
    copies = [a for a in coverage if a.duplicate_of is not None]
    by_source: dict[int, int] = {}
    for a in coverage:
        by_source[a.source_id] = by_source.get(a.source_id, 0) + 1
    related = store.related_stories(story.id, 6)
    # A related story that ended before this one began is an earlier development of it (a
    # story gone quiet, say, and taken up again): listed apart, as Google News does.
    earlier = [s for s in related if s.last_seen < story.first_seen]
    others = [s for s in related if s.last_seen >= story.first_seen]
    return render(
        request,
        "story.html",
        {
            "story": story,
            "original": original,
            "others": list(reversed(originals)),
            "copies": copies,
            "outlets": len(by_source),
            "timeline": coverage_timeline(coverage, original.id if original else None),
            "earlier": story_cards(store, earlier),
            "related": story_cards(store, others),
        },
    )
