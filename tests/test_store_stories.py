"""The stories part of the store on SQLite and PostgreSQL: clustering inputs, saved stories."""

from __future__ import annotations

from datetime import timedelta

from newsdesk.models import Story
from newsdesk.store import Store
from newsdesk.store.base_stories import Placement, RelatedStories, StoryMove, StoryUpdate
from store_fixtures import T0, article, outcome


def _save(store: Store, n: int, **fields: object) -> list[int]:
    source = store.add_source(f"https://example.com/feed{n}.xml", title=f"Outlet {n}")
    articles = [
        article(source.id, f"{n}-{i}", published=T0 + timedelta(hours=i), **fields)
        for i in range(3)
    ]
    # Fetched after the last is published: no article is listed later than its fetch.
    fetched = T0 + timedelta(hours=3)
    return list(
        store.save_outcome(outcome(source.id, *articles, fetched_at=fetched)).new_article_ids
    )


def _story(story_id: int, lead: int, **fields: object) -> Story:
    values: dict[str, object] = {
        "id": story_id,
        "title": f"Story {story_id}",
        "lead_article_id": lead,
        "section": "world",
        "first_seen": T0,
        "last_seen": T0 + timedelta(hours=1),
        "article_count": 2,
        "outlet_count": 2,
        "score": 1.5,
    }
    values.update(fields)
    return Story(**values)  # type: ignore[arg-type]


def test_inputs_come_oldest_first_with_text_or_summary(store: Store) -> None:
    a = _save(store, 1, text="Body text.")
    b = _save(store, 2, summary="Only a summary.")
    rows = store.story_inputs(T0)
    assert [r.id for r in rows] == [a[0], b[0], a[1], b[1], a[2], b[2]]
    assert rows[0].text == "Body text." and rows[1].text == "Only a summary."
    assert rows[0].published == T0 and rows[0].story_id is None
    page = store.story_inputs(T0, after=(rows[1].published, rows[1].id), limit=2)
    assert [r.id for r in page] == [a[1], b[1]]
    assert [r.id for r in store.story_inputs(T0 + timedelta(hours=2))] == [a[2], b[2]]
    assert [r.id for r in store.story_inputs_by_ids([b[2], a[0], 999_999])] == [a[0], b[2]]
    assert [r.id for r in store.story_inputs_after(b[0], limit=3)] == [b[1], b[2]]
    after = store.story_inputs_after(a[0], excluding={a[1], b[1]})
    assert [r.id for r in after] == [a[2], b[0], b[2]]  # by id
    assert store.last_article_id() == max(a + b)


def test_save_story_update_places_articles_and_upserts_stories(store: Store) -> None:
    a = _save(store, 1)
    b = _save(store, 2)
    store.save_story_update(
        StoryUpdate(
            placements=(
                Placement(a[0], a[0]),
                Placement(b[0], a[0], a[0]),
                Placement(a[1], a[1]),
            ),
            stories=(_story(a[0], a[0]), _story(a[1], a[1], score=0.5, article_count=1)),
            related=(RelatedStories(a[0], ((a[1], 0.4), (999_999, 0.3))),),
        )
    )
    first = store.site_story(a[0])
    assert first is not None and first.title == f"Story {a[0]}" and first.score == 1.5
    assert [x.id for x in store.story_coverage(a[0])] == [a[0], b[0]]
    placed = store.story_inputs_by_ids([*a, *b], placed_only=True)
    assert [r.id for r in placed] == [a[0], b[0], a[1]]
    copy = store.story_inputs_by_ids([b[0]])[0]
    assert copy.story_id == a[0] and copy.duplicate_of == a[0]
    assert [s.id for s in store.related_stories(a[0])] == [a[1]]  # unknown ids are skipped
    assert [s.id for s in store.site_stories()] == [a[0], a[1]]

    # Upserting again replaces title and score; counts and dates are those of its articles.
    later = _story(a[0], b[0], title="New title", score=3.0, article_count=1, first_seen=T0)
    store.save_story_update(StoryUpdate(stories=(later,)))
    again = store.site_story(a[0])
    assert again is not None and again.title == "New title" and again.score == 3.0
    assert (again.article_count, again.outlet_count) == (2, 2) and again.lead_article_id == b[0]
    assert (again.first_seen, again.last_seen) == (T0, T0)

    # An article moved to another story (a split) leaves the count and span of the first.
    moved = StoryUpdate(
        placements=(Placement(a[2], a[1]),),
        stories=(_story(a[1], a[1], article_count=2, first_seen=T0 - timedelta(days=9)),),
    )
    store.save_story_update(moved)
    grown = store.site_story(a[1])
    assert grown is not None and grown.article_count == 2
    assert (grown.first_seen, grown.last_seen) == (T0 + timedelta(hours=1), T0 + timedelta(hours=2))
    # A story left with no articles (another desk moved them all) is no longer listed.
    store.save_story_update(
        StoryUpdate(placements=(Placement(a[0], a[1]), Placement(b[0], a[1], a[0])))
    )
    store.save_story_update(StoryUpdate(stories=(_story(a[0], a[0]),)))
    emptied = store.site_story(a[0])
    assert emptied is not None and emptied.article_count == 0
    assert [s.id for s in store.site_stories()] == [a[1]]


def test_merging_moves_articles_and_leaves_a_pointer(store: Store) -> None:
    a = _save(store, 1)
    store.save_story_update(
        StoryUpdate(
            placements=(Placement(a[0], a[0]), Placement(a[1], a[1]), Placement(a[2], a[2])),
            stories=(_story(a[0], a[0]), _story(a[1], a[1]), _story(a[2], a[2])),
            related=(RelatedStories(a[1], ((a[2], 0.2),)),),
        )
    )
    store.save_story_update(StoryUpdate(merged=((a[1], a[0]),)))
    store.save_story_update(StoryUpdate(merged=((a[0], a[2]),)))  # a chain: a1 -> a0 -> a2
    assert {r.story_id for r in store.story_inputs_by_ids(a)} == {a[2]}
    survivor = store.site_story(a[1])
    assert survivor is not None and survivor.id == a[2]
    assert [s.id for s in store.site_stories()] == [a[2]]
    assert store.related_stories(a[1]) == []


def test_opt_outs_are_remembered(store: Store) -> None:
    one = store.add_source("https://one.example/feed.xml")
    two = store.add_source("https://two.example/feed.xml")
    assert store.dedup_opt_outs() == set()
    store.set_dedup_opt_out(one.id)
    store.set_dedup_opt_out(one.id)
    store.set_dedup_opt_out(two.id)
    assert store.dedup_opt_outs() == {one.id, two.id}
    store.set_dedup_opt_out(one.id, False)
    assert store.dedup_opt_outs() == {two.id}


def test_a_lead_whose_source_was_removed_meanwhile_is_no_lead(store: Store) -> None:
    a = _save(store, 1)
    b = _save(store, 2)
    gone = store.source_by_url("https://example.com/feed1.xml")
    assert gone is not None and store.remove_source(gone.id)
    # A desk in another process still names the deleted article as the lead.
    store.save_story_update(
        StoryUpdate(placements=(Placement(b[0], b[0]),), stories=(_story(b[0], a[0]),))
    )
    story = store.site_story(b[0])
    assert story is not None and story.lead_article_id is None
    assert store.story_inputs_by_ids([b[0]])[0].story_id == b[0]


def test_removing_a_source_recounts_its_stories(store: Store) -> None:
    a = _save(store, 1)
    b = _save(store, 2)
    store.save_story_update(
        StoryUpdate(
            placements=(Placement(a[0], a[0]), Placement(b[0], a[0]), Placement(b[1], b[1])),
            stories=(_story(a[0], a[0]), _story(b[1], b[1], article_count=1)),
        )
    )
    removed = store.list_sources()[1]
    assert store.remove_source(removed.id)
    shared = store.site_story(a[0])
    assert shared is not None and (shared.article_count, shared.outlet_count) == (1, 1)
    # A story only the removed source carried is left empty, and no longer listed.
    gone = store.site_story(b[1])
    assert gone is not None and gone.article_count == 0
    assert [s.id for s in store.site_stories()] == [a[0]]


def test_articles_moved_after_placing_are_stamped_in_commit_order(store: Store) -> None:
    a = _save(store, 1)
    assert store.last_story_move() == (0, 0)
    first = StoryUpdate(
        placements=(Placement(a[0], a[0]), Placement(a[1], a[0]), Placement(a[2], a[2])),
        stories=(_story(a[0], a[0]), _story(a[2], a[2])),
    )
    store.save_story_update(first)
    assert store.story_moves() == []  # first placements are learnt by id, not as moves
    store.save_story_update(StoryUpdate(placements=(Placement(a[1], a[2], a[2]),)))
    split = store.story_moves()
    assert split == [StoryMove(split[0].revision, a[1], a[2], a[2])]
    store.save_story_update(StoryUpdate(merged=((a[2], a[0]),)))
    merged = store.story_moves((split[0].revision, a[1]))
    assert [(m.article_id, m.story_id) for m in merged] == [(a[1], a[0]), (a[2], a[0])]
    assert merged[0].revision > split[0].revision and merged[0].revision == merged[1].revision
    assert store.last_story_move() == (merged[1].revision, a[2])
    assert store.story_moves(store.last_story_move()) == []
    assert [m.article_id for m in store.story_moves(limit=1)] == [a[1]]
    # Removing the source takes its stamps along; the next revision is still a new one.
    last = store.last_story_move()
    source = store.story_inputs_by_ids([a[0]])[0].source_id
    b = _save(store, 2)
    store.save_story_update(StoryUpdate(placements=(Placement(b[0], b[0]),)))
    assert store.remove_source(source) and store.last_story_move() == (0, 0)
    store.save_story_update(StoryUpdate(placements=(Placement(b[0], b[1]),)))
    (moved,) = store.story_moves(last)
    assert moved.article_id == b[0] and moved.revision > last[0]
