"""See also: stories related to an article or a story that are not that story itself."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol


class Scored(Protocol):
    """Anything with a story id (the engine's stories)."""

    @property
    def id(self) -> str: ...


def pick_related(
    scored: Sequence[tuple[float, Scored]],
    own_story: str,
    count: int,
    threshold: float,
    exclude: Iterable[str] = (),
) -> tuple[str, ...]:
    """Up to count story ids from best-first (score, story) pairs, never own_story nor exclude."""
    skip = {own_story, *exclude}
    out: list[str] = []
    for score, story in scored:
        if score < threshold or len(out) >= count:
            break
        if story.id in skip or story.id in out:
            continue
        out.append(story.id)
    return tuple(out)


def remap_related(
    related: Iterable[str], story_of: dict[str, str], own_story: str, count: int
) -> tuple[str, ...]:
    """Related ids after story merges: follow the remap, drop own story and repeats."""
    out: list[str] = []
    for story_id in related:
        final = story_of.get(story_id, story_id)
        if final != own_story and final not in out:
            out.append(final)
        if len(out) >= count:
            break
    return tuple(out)
