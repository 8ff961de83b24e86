"""Story splitting: a story that absorbed two same-kind events splits back into two."""

import json
from dataclasses import replace

from newsdesk.cluster_batch import cluster_lines
from newsdesk.pipeline.cluster import StoryEngine, StorySettings
from newsdesk.pipeline.cluster_models import Assignment, NewsItem
from newsdesk.pipeline.cluster_split import split_sides
from newsdesk.pipeline.dedup import DedupSettings

T0 = 1_700_000_000.0
HOUR = 3600.0

QUAKE = [
    "The earthquake shook buildings and sent residents into the streets before dawn.",
    "Rescue teams searched collapsed houses while officials counted the injured.",
    "Seismologists warned of aftershocks through the night and into the weekend.",
    "Schools were closed and the tsunami warning was lifted by the afternoon.",
    "Power was cut to thousands of homes, and hospitals ran on generators for hours.",
    "Roads cracked along the coast and landslides blocked two mountain highways.",
    "Television showed shelves thrown down in supermarkets and shattered windows.",
    "Engineers began inspecting bridges, dams and the railway line for damage.",
]
PLACES = {
    "chile": ("Chile", "Valparaiso", "Onemi", "Santiago", "Boric", "Vina del Mar"),
    "japan": ("Japan", "Sendai", "Miyagi", "Onagawa", "Tohoku Electric", "Kishida"),
}
# Everything joins one story unless it splits: the bars are as low as they go.
MIXING = replace(
    StorySettings(),
    threshold=0.0,
    short_threshold=0.0,
    long_threshold=0.0,
    name_penalty=1.0,
    split_ratio=0.6,
    split_min=8,
    split_min_side=4,
)


# The reports are written from one template: only true copies count as copies here.
EXACT = DedupSettings(min_jaccard=0.95, min_jaccard_same_title=0.95)


def engine(settings: StorySettings = MIXING) -> StoryEngine:
    return StoryEngine(settings, EXACT)


def report(event: str, n: int) -> NewsItem:
    """The nth report of one quake, with a body long enough to be tested for a split."""
    a, b, c, d, e, f = PLACES[event]
    names = [a, b, c, d, e, f]
    lead = names[n % 6]
    title = f"{lead} earthquake: {names[(n + 1) % 6]} and {names[(n + 2) % 6]} assess damage"
    local = [
        f"In {b}, {a}, the quake damaged the port and cracked the old sea wall.",
        f"{c} said {d} and {f} would send help to {b} within the day.",
        f"{e} reported damage near {b}, and {a} officials in {d} met {c} at noon.",
        f"Crowds gathered in the squares of {b} as {f} promised to rebuild {a}.",
        f"{d} sent doctors to {b}; {c} kept shelters open across {a}.",
        f"Fishermen in {b} said the sea drew back before the quake, {e} noted.",
    ]
    sentences = [local[(n + k) % 6] for k in range(3)] + [QUAKE[(3 * n + k) % 8] for k in (0, 3)]
    body = f"Report {n} from {b}. " + " ".join(sentences)
    return NewsItem(
        f"{event}-{n}",
        title,
        T0 + n * HOUR + (0.0 if event == "chile" else 1.0),
        body,
        f"https://{event}.example/{n}",
        f"{event}-outlet-{n}",
    )


def copy_of(item: NewsItem, n: int) -> NewsItem:
    return replace(
        item,
        id=f"copy-{n}",
        url=f"https://copies.example/{n}",
        source="copies",
        published=item.published + 60.0,
    )


def arrivals() -> list[NewsItem]:
    """Chile and Japan reports in turn (Chile first), with a copy of a Japan report."""
    items: list[NewsItem] = []
    for n in range(4):
        items += [report("chile", n), report("japan", n)]
        if n == 1:
            items.append(copy_of(report("japan", 1), 1))
    return items


def test_a_story_holding_two_quakes_splits_and_the_older_keeps_its_id() -> None:
    eng = engine()
    assignments = [eng.add(item) for item in arrivals()]
    last = assignments[-1]
    assert last.split_from == "chile-0"
    chile = eng.story("chile-0")
    japan = eng.story("japan-0")
    assert chile is not None and japan is not None
    assert {m.id for m in chile.members} == {f"chile-{n}" for n in range(4)}
    assert {m.id for m in japan.members} == {f"japan-{n}" for n in range(4)} | {"copy-1"}
    # The moves are reported, so callers that store stories can follow them.
    moved = dict(last.moved)
    assert last.story_id == "japan-0" and last.article_id == "japan-3"
    assert moved == {
        "japan-0": "japan-0",
        "japan-1": "japan-0",
        "japan-2": "japan-0",
        "copy-1": "japan-0",
    }
    assert eng.story_of["copy-1"] == "japan-0"


def test_copies_move_with_their_original_and_never_lead() -> None:
    eng = engine()
    for item in arrivals():
        eng.add(item)
    japan = eng.story("japan-0")
    assert japan is not None
    copy = next(m for m in japan.members if m.id == "copy-1")
    assert copy.duplicate_of == "japan-1"
    # A new story's id is its oldest original's, never a copy's.
    assert japan.id != "copy-1"


def test_later_articles_join_the_split_story_they_belong_to() -> None:
    eng = engine(replace(MIXING, threshold=0.2))
    for item in arrivals():
        eng.add(item)
    assert eng.add(report("japan", 4)).story_id == "japan-0"
    assert eng.add(report("chile", 4)).story_id == "chile-0"


def test_without_splitting_the_two_quakes_stay_mixed() -> None:
    eng = engine(replace(MIXING, split_ratio=0.0))
    assignments = [eng.add(item) for item in arrivals()]
    assert {a.story_id for a in assignments} == {"chile-0"}
    assert all(not a.moved and a.split_from is None for a in assignments)


def test_one_event_is_never_split() -> None:
    eng = engine()
    assignments = [eng.add(report("chile", n)) for n in range(12)]
    assert {a.story_id for a in assignments} == {"chile-0"}


def test_split_sides_needs_a_clear_gap() -> None:
    a = [{"x": 1.0}, {"x": 0.8, "y": 0.6}, {"x": 0.8, "z": 0.6}, {"x": 0.9, "w": 0.436}]
    b = [{"p": 1.0}, {"p": 0.8, "q": 0.6}, {"p": 0.8, "r": 0.6}, {"p": 0.9, "s": 0.436}]
    sides = split_sides(a + b, 0.6, 4)
    assert sides is not None and len(set(sides[:4])) == 1 and set(sides) == {True, False}
    assert split_sides(a + a, 0.6, 4) is None


def test_batch_output_follows_a_split() -> None:
    lines = [
        json.dumps(
            {
                "id": i.id,
                "title": i.title,
                "text": i.text,
                "url": i.url,
                "source": i.source,
                "published": i.published,
            }
        )
        for i in arrivals()
    ]
    out = {o["id"]: o for o in map(json.loads, cluster_lines(lines, engine()))}
    assert {o["story"] for k, o in out.items() if k.startswith("chile")} == {"chile-0"}
    assert {o["story"] for k, o in out.items() if not k.startswith("chile")} == {"japan-0"}
    assert out["copy-1"]["duplicate_of"] == "japan-1"


def test_assignment_lists_no_moves_by_default() -> None:
    assert Assignment("a", "a", None).moved == () and Assignment("a", "a", None).split_from is None


def test_an_engine_follows_the_split_another_engine_made() -> None:
    # Two desks on one store: the second holds the mixed story, the first splits it.
    items = arrivals()
    first, second = engine(), engine(replace(MIXING, split_ratio=0.0))
    for item in items:
        first.add(item)
    for item in items:
        second.add(item)
    assert len(second.stories()) == 1  # it would not split the story itself
    moves = [(i.id, first.story_of[i.id], None) for i in items]
    moves[items.index(copy_of(report("japan", 1), 1))] = ("copy-1", "japan-0", "japan-1")
    assert second.follow(moves) == 5
    for view in first.stories():
        followed = second.story(view.id)
        assert followed is not None and set(followed.members) == set(view.members)
    # The followed stories are whole again: a later report joins the right one.
    assert second.add(report("japan", 4)).story_id == "japan-0"
    assert second.follow(moves) == 0  # nothing left to move
    # A merge elsewhere moves a whole story: the emptied one is dropped.
    japan = second.story("japan-0")
    assert japan is not None
    assert second.follow((m.id, "chile-0", m.duplicate_of) for m in japan.members) == 6
    assert second.story("japan-0") is None and len(second.stories()) == 1
