"""A store with a reader and articles, and the app served for real on 127.0.0.1, for the
sync API tests (Google Reader, Miniflux, newsboat)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from browser import serve
from newsdesk.models import NewArticle, User
from newsdesk.settings import Settings
from newsdesk.store import FetchOutcome, Store
from newsdesk.store.base_reading import StreamQuery
from newsdesk.web.app import create_app

PASSWORD = "reader password 1"
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
TITLES = (
    "Zürich – Ελλάδα – 東京",
    "Plain ASCII headline",
    'Ampersands & <angle brackets> "quoted"',
    "Émigré café naïve façade",
    "Москва и Київ",
)


@dataclass(frozen=True)
class Seeded:
    user: User
    world_id: int  # a source in section "world" with len(TITLES) articles
    misc_id: int  # a source without a section, with 3 articles
    article_ids: tuple[int, ...]  # newest first, across both sources


def seed(store: Store) -> Seeded:
    """A reader and 8 articles an hour apart: world's 5 (T0 - 0h .. 4h), misc's 3 after them."""
    user = store.add_user("reader", PASSWORD)
    world = store.add_source("https://world.example/feed", title="World Wire", section="world")
    misc = store.add_source("https://misc.example/feed", title="Miscellany")
    hours = 0
    for source_id, titles in ((world.id, TITLES), (misc.id, ("Misc 1", "Misc 2", "Misc 3"))):
        articles = []
        for title in titles:
            articles.append(
                NewArticle(
                    source_id=source_id,
                    guid=f"g{hours}",
                    url=f"https://news.example/{hours}",
                    canonical_url=f"https://news.example/{hours}",
                    title=title,
                    summary=f"Summary of {title}",
                    published=T0 - timedelta(hours=hours),
                )
            )
            hours += 1
        store.save_outcome(
            FetchOutcome(
                source_id=source_id,
                fetched_at=T0,
                status=200,
                error="",
                failed=False,
                entries_seen=len(articles),
                duration_ms=1,
                interval_seconds=1800,
                next_due_at=T0 + timedelta(days=365),
                articles=tuple(articles),
            )
        )
    ids = tuple(a.id for a in store.latest_articles(100))
    return Seeded(user, world.id, misc.id, ids)


def reading_state(store: Store, user_id: int) -> tuple[object, ...]:
    """What a sync call can change for a user: read and starred articles, subscriptions."""
    read = store.stream_items(user_id, StreamQuery(read=True, limit=1000))
    starred = store.stream_items(user_id, StreamQuery(starred=True, limit=1000))
    subs = store.subscriptions(user_id)
    return (
        sorted(i.article_id for i in read),
        sorted(i.article_id for i in starred),
        sorted((s.kind, s.ref, s.title) for s in subs),
    )


@contextmanager
def served(settings: Settings, store: Store) -> Iterator[str]:
    """The real app under uvicorn on an ephemeral port; yields its base URL."""
    with serve(create_app(settings, store, refresh=False)) as url:
        yield url
