"""How well an article fits a story: words, names and time, and the bar it must clear to join."""

from __future__ import annotations

import math
from collections.abc import Callable

from newsdesk.pipeline.cluster_settings import StorySettings
from newsdesk.pipeline.cluster_stories import Story
from newsdesk.pipeline.cluster_vectors import Vector, cosine

DAY = 86_400.0


def name_cosine(found: tuple[str, ...], story: Story, idf: Callable[[str], float]) -> float:
    """Cosine of the article's names (idf-weighted) with the story's name counts (idf-weighted).

    Two events of one kind share their vocabulary ("rehab", "heavyweight title") but not their
    people and places, so names weigh apart what the words alone would put together.
    """
    known = story.names
    dot = 0.0
    own = 0.0
    for name in found:
        weight = idf(name)
        own += weight * weight
        count = known.get(name)
        if count:
            dot += weight * weight * count
    if not dot:
        return 0.0
    return dot / (math.sqrt(own) * (story.name_norm(idf) or 1.0))


def similarity(
    vector: Vector,
    found: tuple[str, ...],
    story: Story,
    idf: Callable[[str], float],
    s: StorySettings,
) -> float:
    """Text cosine to the story's centroid, blended with name agreement when both have names."""
    text = cosine(vector, story.centroid, story.norm())
    if s.name_weight and len(found) >= s.min_names and len(story.names) >= s.min_names:
        return (1.0 - s.name_weight) * text + s.name_weight * name_cosine(found, story, idf)
    return text


def shared_terms(vector: Vector, story: Story) -> int:
    """How many of the article's terms the story's centroid holds."""
    centroid = story.centroid
    return sum(1 for word in vector if word in centroid)


def other_names(found: tuple[str, ...], story: Story, min_names: int) -> bool:
    """True when the article and the story both name names, and share none of them."""
    if len(found) < min_names or len(story.names) < min_names:
        return False
    known = story.names
    return not any(name in known for name in found)


def time_factor(story: Story, published: float, s: StorySettings) -> float:
    """1 within `story_gap_days` of the story's reports, then fading with `time_scale_days`."""
    gap_s = s.story_gap_days * DAY
    if story.first - gap_s <= published <= story.reported + gap_s:
        return 1.0
    gap = min(abs(published - story.reported), abs(published - story.first))
    return math.exp(-(gap - gap_s) / (s.time_scale_days * DAY))


def quiet_factor(story: Story, published: float, s: StorySettings) -> float:
    """How much an article reported after a story went quiet may still join it.

    A story of `quiet_articles` or more is quiet once it has had no new report for
    `quiet_pace` times its own pace (its span over its articles), and for at least
    `quiet_days`; fewer articles tell too little of its pace. What comes after is a new
    development: its fit fades with `quiet_scale_days`, so it starts a story of its own, and
    the quiet one stays linked in "See also" (the caller applies this to joins only). A story
    reported slowly (a few outlets, days apart) keeps the `story_gap_days` allowance.
    """
    n = len(story.members)
    if not s.quiet_days or n < max(2, s.quiet_articles) or published <= story.reported:
        return 1.0
    pace = (story.reported - story.first) / (n - 1)
    quiet = max(s.quiet_days * DAY, s.quiet_pace * pace)
    gap = published - story.reported
    if gap <= quiet or quiet >= s.story_gap_days * DAY:
        return 1.0
    return math.exp(-(gap - quiet) / (s.quiet_scale_days * DAY))


def join_threshold(s: StorySettings, body_words: int) -> float:
    """The similarity an article needs to join a story rather than start one."""
    if body_words >= s.full_words:
        if s.long_words <= s.lead_words or body_words <= s.lead_words:
            return s.threshold
        # Long-form pieces open with scene-setting and share fewer words with a story's lede,
        # so the bar falls towards long_threshold at long_words (0 turns this off).
        reach = math.log(body_words / s.lead_words) / math.log(s.long_words / s.lead_words)
        return s.threshold + (s.long_threshold - s.threshold) * min(1.0, reach)
    # A few words share less with any story than a whole lede does: ask for less, in proportion.
    return s.short_threshold + (s.threshold - s.short_threshold) * body_words / s.full_words
