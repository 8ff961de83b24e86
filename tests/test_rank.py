from newsdesk.pipeline.cluster import StoryEngine
from newsdesk.pipeline.cluster_models import NewsItem, StoryMember, StoryView
from newsdesk.pipeline.rank import rank_stories, representative, section_of, top_by_section

NOW = 1_700_000_000.0
HOUR = 3600.0


def member(
    id_: str, source: str, age_hours: float = 1.0, dup: str | None = None, section: str = "world"
) -> StoryMember:
    return StoryMember(
        id_, source, NOW - age_hours * HOUR, f"headline {id_}", section=section, duplicate_of=dup
    )


def test_broad_coverage_beats_one_loud_source() -> None:
    loud = StoryView("loud", tuple(member(f"l{i}", "Shouty Daily") for i in range(12)))
    broad = StoryView("broad", tuple(member(f"b{i}", f"Outlet {i}") for i in range(4)))
    assert [r.story_id for r in rank_stories([loud, broad], NOW)] == ["broad", "loud"]


def test_fresh_story_beats_a_stale_one_of_equal_coverage() -> None:
    old = StoryView("old", tuple(member(f"o{i}", f"S{i}", age_hours=48) for i in range(5)))
    new = StoryView("new", tuple(member(f"n{i}", f"S{i}", age_hours=1) for i in range(5)))
    assert rank_stories([old, new], NOW)[0].story_id == "new"


def test_a_copy_republished_late_does_not_make_an_old_story_news() -> None:
    # One outlet's 3-day-old report, and a copy of it another outlet put out just now.
    revived = StoryView(
        "revived", (member("o", "Wire", age_hours=72), member("c", "Echo", age_hours=0, dup="o"))
    )
    fresh = StoryView("fresh", (member("f", "Daily", age_hours=1),))
    broad = StoryView(
        "broad", tuple(member(f"b{i}", f"Outlet {i}", age_hours=48) for i in range(8))
    )
    ranked = [r.story_id for r in rank_stories([revived, fresh, broad], NOW)]
    assert ranked.index("revived") > ranked.index("fresh")
    assert ranked.index("revived") > ranked.index("broad")


def test_representative_is_the_original_never_a_copy() -> None:
    story = StoryView(
        "s",
        (
            member("copy1", "Paper A", age_hours=5, dup="orig"),
            member("orig", "Wire", age_hours=2),
            member("copy2", "Paper B", age_hours=1, dup="orig"),
            member("other", "Paper C", age_hours=3),
        ),
    )
    assert representative(story).id == "orig"


def test_a_copy_never_becomes_representative_even_when_it_arrived_first() -> None:
    engine = StoryEngine()
    body = "\n".join(
        f"Sentence {i} about the flood in the river valley that forced the evacuation of towns."
        for i in range(12)
    )
    engine.add(
        NewsItem("copy", "Floods force evacuations", NOW, body, "https://paper.example/f", "Paper")
    )
    engine.add(
        NewsItem(
            "wire", "Floods force evacuations", NOW - HOUR, body, "https://wire.example/f", "Wire"
        )
    )
    ranked = rank_stories(engine.stories(), NOW)
    assert ranked[0].headline.id == "wire"
    assert ranked[0].outlets == 2


def test_a_tied_section_is_the_representatives() -> None:
    # The first to arrive is a health blog's aside; the original (most copied) is technology.
    story = StoryView(
        "s",
        (
            member("aside", "Blog", age_hours=5, section="health"),
            member("orig", "Wire", age_hours=4, section="technology"),
            member("copy", "Paper", age_hours=3, dup="orig", section=""),
        ),
    )
    assert section_of(story) == "technology"


def test_sections_rank_separately() -> None:
    world = StoryView("w", (member("w1", "A"), member("w2", "B")))
    sport = StoryView("s", tuple(member(f"s{i}", f"S{i}", section="sport") for i in range(3)))
    by_section = top_by_section([world, sport], NOW)
    assert [r.story_id for r in by_section["sport"]] == ["s"]
    assert [r.story_id for r in rank_stories([world, sport], NOW, section="world")] == ["w"]
