"""GET /: top stories across sections, the latest headlines, and the day's spread by section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from newsdesk.models import Article, Story
from newsdesk.store.base import Store
from newsdesk.store.base_site import ArticleFilter, SectionCount
from newsdesk.web.pages import cache_of, render, store_of
from newsdesk.web.svg import section_spread

TOP_STORIES = 12
LATEST = 30


@dataclass(frozen=True)
class StoryCard:
    """A story as a front or section page shows it: the lead headline stands for the story."""

    story: Story
    lead: Article | None

    @property
    def headline(self) -> str:
        return self.lead.title if self.lead is not None and self.lead.title else self.story.title


@dataclass(frozen=True)
class FrontData:
    stories: tuple[StoryCard, ...]
    latest: tuple[Article, ...]
    counts: tuple[SectionCount, ...]
    sources: int


def story_cards(store: Store, stories: list[Story]) -> tuple[StoryCard, ...]:
    leads = store.site_articles_by_ids([s.lead_article_id for s in stories if s.lead_article_id])
    by_id = {a.id: a for a in leads}
    return tuple(StoryCard(s, by_id.get(s.lead_article_id or 0)) for s in stories)


def day_counts(store: Store) -> tuple[SectionCount, ...]:
    """Per section, the last day of news (ending at the newest article, for a quiet store)."""
    newest = store.newest_article_time()
    if newest is None:
        return ()
    end = min(newest, datetime.now(UTC))
    return tuple(store.section_counts(end - timedelta(days=1)))


def load(store: Store) -> FrontData:
    stories = story_cards(store, store.site_stories(TOP_STORIES))
    shown = {s.lead.id for s in stories if s.lead is not None}
    latest = store.site_articles(ArticleFilter(originals_only=True), LATEST + len(shown))
    latest = [a for a in latest if a.id not in shown][:LATEST]
    sources = 0 if latest else len(store.list_sources())
    return FrontData(stories, tuple(latest), day_counts(store), sources)


async def page(request: Request) -> Response:
    store = store_of(request)
    data = cache_of(request).get("front", lambda: load(store))
    chart = section_spread(data.counts, {c.section: f"/section/{c.section}" for c in data.counts})
    return render(request, "front.html", {"data": data, "chart": chart})
