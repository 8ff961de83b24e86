"""Per-user read and starred state, streams and subscriptions, on both stores."""

from __future__ import annotations

from datetime import timedelta

import pytest

from newsdesk.store import Store, StoreError
from newsdesk.store.base_reading import StreamQuery
from sync_fixtures import T0, seed


def _ids(store: Store, user_id: int, query: StreamQuery) -> list[int]:
    return [i.article_id for i in store.stream_items(user_id, query)]


def test_new_user_follows_every_source_and_reads_nothing(store: Store) -> None:
    s = seed(store)
    assert [(x.kind, x.ref) for x in store.subscriptions(s.user.id)] == [
        ("source", str(s.world_id)),
        ("source", str(s.misc_id)),
    ]
    reading_list = StreamQuery(subscribed=True, limit=100)
    assert _ids(store, s.user.id, reading_list) == list(s.article_ids)
    assert store.count_stream(s.user.id, StreamQuery(subscribed=True, read=False)) == 8
    later = store.add_source("https://later.example/feed")
    assert str(later.id) in {x.ref for x in store.subscriptions(s.user.id)}


def test_read_and_starred_state_is_per_user(store: Store) -> None:
    s = seed(store)
    other = store.add_user("other", "other password")
    assert store.set_read(s.user.id, [s.article_ids[0], s.article_ids[1], 999999]) == 2
    assert store.set_starred(s.user.id, [s.article_ids[1]]) == 1
    assert store.count_stream(s.user.id, StreamQuery(read=False)) == 6
    assert store.count_stream(other.id, StreamQuery(read=False)) == 8
    items = store.reading_items_by_id(s.user.id, [s.article_ids[1], s.article_ids[2]])
    assert [(i.is_read, i.is_starred) for i in items] == [(True, True), (False, False)]
    # Unstarring keeps the read state, and marking unread keeps the star.
    store.set_starred(s.user.id, [s.article_ids[1]], False)
    store.set_read(s.user.id, [s.article_ids[0]], False)
    assert store.count_stream(s.user.id, StreamQuery(starred=True)) == 0
    assert _ids(store, s.user.id, StreamQuery(read=True)) == [s.article_ids[1]]


def test_paging_with_a_cursor_and_both_orders(store: Store) -> None:
    s = seed(store)
    seen: list[int] = []
    query = StreamQuery(subscribed=True, limit=3)
    while True:
        page = store.stream_items(s.user.id, query)
        if not page:
            break
        seen += [i.article_id for i in page]
        query = StreamQuery(
            subscribed=True, limit=3, after=(page[-1].sort_time, page[-1].article_id)
        )
    assert seen == list(s.article_ids)
    oldest_first = StreamQuery(oldest_first=True, limit=2, offset=1)
    assert _ids(store, s.user.id, oldest_first) == list(reversed(s.article_ids))[1:3]


def test_time_window_and_mark_stream_read_up_to(store: Store) -> None:
    s = seed(store)
    window = StreamQuery(newer_than=T0 - timedelta(hours=2), older_than=T0)
    assert _ids(store, s.user.id, window) == list(s.article_ids[1:3])
    marked = store.mark_stream_read(
        s.user.id, StreamQuery(source_id=s.world_id), T0 - timedelta(hours=3)
    )
    assert marked == 2  # hours 3 and 4 of the world source
    assert store.mark_stream_read(s.user.id, StreamQuery(source_id=s.world_id), None) == 3
    assert store.count_stream(s.user.id, StreamQuery(source_id=s.world_id, read=False)) == 0


def test_unread_counts_per_source_and_label(store: Store) -> None:
    s = seed(store)
    store.set_read(s.user.id, [s.article_ids[0]])
    counts = {(c.kind, c.ref): c.count for c in store.unread_counts(s.user.id)}
    assert counts == {
        ("all", ""): 7,
        ("source", str(s.world_id)): 4,
        ("source", str(s.misc_id)): 3,
        ("label", "world"): 4,
    }


def test_unsubscribing_makes_the_list_explicit(store: Store) -> None:
    s = seed(store)
    assert store.unsubscribe(s.user.id, "source", str(s.misc_id))
    assert [x.ref for x in store.subscriptions(s.user.id)] == [str(s.world_id)]
    assert store.count_stream(s.user.id, StreamQuery(subscribed=True)) == 5
    new = store.add_source("https://new.example/feed")
    assert str(new.id) not in {x.ref for x in store.subscriptions(s.user.id)}
    assert store.unsubscribe(s.user.id, "source", str(s.world_id))
    assert store.subscriptions(s.user.id) == []
    assert store.count_stream(s.user.id, StreamQuery(subscribed=True)) == 0
    renamed = store.subscribe(s.user.id, "source", str(s.misc_id), "My misc")
    assert (renamed.kind, renamed.title) == ("source", "My misc")
    assert store.count_stream(s.user.id, StreamQuery(subscribed=True)) == 3


def test_following_a_section_or_topic_adds_its_articles(store: Store) -> None:
    s = seed(store)
    store.unsubscribe(s.user.id, "source", str(s.world_id))
    store.unsubscribe(s.user.id, "source", str(s.misc_id))
    store.subscribe(s.user.id, "section", "world")
    # The world source's articles have no section of their own: its section stands in.
    assert store.count_stream(s.user.id, StreamQuery(subscribed=True)) == 5
    assert store.count_stream(s.user.id, StreamQuery(label="world", subscribed=True)) == 5
    counts = {(c.kind, c.ref): c.count for c in store.unread_counts(s.user.id)}
    assert counts[("section", "world")] == 5
    assert [(x.kind, x.ref) for x in store.subscriptions(s.user.id)] == [("section", "world")]


@pytest.mark.parametrize(
    ("kind", "ref"), [("source", "abc"), ("source", "424242"), ("section", ""), ("bogus", "x")]
)
def test_bad_subscriptions_are_refused(store: Store, kind: str, ref: str) -> None:
    s = seed(store)
    with pytest.raises(StoreError):
        store.subscribe(s.user.id, kind, ref)  # type: ignore[arg-type]


def test_a_stream_can_be_searched(store: Store) -> None:
    s = seed(store)
    by_title = {a.title: a.id for a in store.latest_articles(100)}

    def found(text: str, **narrow: object) -> list[int]:
        query = StreamQuery(subscribed=True, search=text, limit=100, **narrow)  # type: ignore[arg-type]
        return _ids(store, s.user.id, query)

    assert found("headline") == [by_title["Plain ASCII headline"]]
    assert found("misc") == [by_title[f"Misc {n}"] for n in (1, 2, 3)]
    assert found("misc", source_id=s.world_id) == []
    assert found("plain headline") == found("headline")  # every term must match
    assert found("plain nothing") == []
    assert found('OR " NEAR(') == []  # operators are searched for, never parsed
    assert found("!!!") == []  # nothing searchable finds nothing, not everything
    total = StreamQuery(subscribed=True, search="misc")
    assert store.count_stream(s.user.id, total) == 3
