from dataclasses import dataclass

from newsdesk.pipeline.related import pick_related, remap_related


@dataclass(frozen=True)
class S:
    id: str


def test_pick_related_skips_own_story_and_respects_threshold_and_count() -> None:
    scored = [(0.9, S("own")), (0.5, S("a")), (0.4, S("b")), (0.3, S("c")), (0.05, S("d"))]
    assert pick_related(scored, "own", 2, 0.1) == ("a", "b")
    assert pick_related(scored, "own", 9, 0.1) == ("a", "b", "c")


def test_pick_related_skips_excluded_stories() -> None:
    assert pick_related([(0.5, S("a")), (0.4, S("b"))], "own", 5, 0.1, exclude=["a"]) == ("b",)


def test_remap_related_follows_merges_and_drops_own_story() -> None:
    assert remap_related(["x", "y", "z"], {"x": "own", "y": "w", "z": "w"}, "own", 5) == ("w",)
