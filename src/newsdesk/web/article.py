"""GET /article/{id}: one article — headline, section, date, source, text, original, See also."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.models import Place
from newsdesk.web.front import story_cards
from newsdesk.web.pages import int_param, not_found, render, store_of
from newsdesk.web.taxonomy import SECTIONS

SEE_ALSO = 5


@dataclass(frozen=True)
class CountryChip:
    """A link to a country's page, with the places in it the article names."""

    code: str
    country: str
    named: tuple[str, ...]  # states and cities, e.g. ("California", "Texas")


def country_chips(places: list[Place]) -> list[CountryChip]:
    """One chip per country, most mentioned first: place pages are per country, so a chip
    that said "California" would open all of the United States' news."""
    by_code: dict[str, list[Place]] = {}
    for place in places:
        by_code.setdefault(place.country_code, []).append(place)
    chips = [
        CountryChip(
            code,
            found[0].country,
            tuple(p.name for p in found if p.kind != "country" and p.name != p.country),
        )
        for code, found in by_code.items()
    ]
    mentions = {code: sum(p.mentions for p in found) for code, found in by_code.items()}
    return sorted(chips, key=lambda c: -mentions[c.code])


async def page(request: Request) -> Response:
    store = store_of(request)
    article_id = int_param(request.path_params["article_id"])
    article = None if article_id is None else store.article_by_id(article_id)
    if article is None:
        raise not_found("Article")
    story = store.site_story(article.story_id) if article.story_id is not None else None
    original = None
    if article.duplicate_of is not None:
        found = store.site_articles_by_ids([article.duplicate_of])
        original = found[0] if found else None
    related_stories = story_cards(store, store.related_stories(story.id, SEE_ALSO)) if story else ()
    related_stories = tuple(c for c in related_stories if c.lead is None or c.lead.id != article.id)
    see_also = [] if related_stories else store.related_articles(article.id, SEE_ALSO)
    context = {
        "article": article,
        "story": story,
        "original": original,
        "places": country_chips(store.site_places_of(article.id)),
        "topics": store.site_topics_of(article.id)[:8],
        "related_stories": related_stories,
        "see_also": see_also,
        "can_correct": hasattr(store, "correct_section"),
        "sections": SECTIONS,
    }
    return render(request, "article.html", context)
