"""Top headlines: stories ranked by breadth of coverage, velocity, freshness and diversity."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from newsdesk.pipeline.cluster_models import StoryMember, StoryView

HOUR = 3600.0


@dataclass(frozen=True)
class RankSettings:
    half_life_hours: float = 12.0
    velocity_hours: float = 3.0
    velocity_weight: float = 0.5


@dataclass(frozen=True)
class RankedStory:
    """A story's place in the headlines, with the article that stands for it."""

    story_id: str
    score: float
    headline: StoryMember
    outlets: int
    articles: int
    section: str


def representative(story: StoryView) -> StoryMember:
    """The article that stands for a story: an original (never a copy), most copied, earliest."""
    originals = [m for m in story.members if m.duplicate_of is None] or list(story.members)
    copies = Counter(m.duplicate_of for m in story.members if m.duplicate_of)
    return min(originals, key=lambda m: (-copies[m.id], m.published, m.id))


def outlets(story: StoryView) -> int:
    """Distinct sources that carried the story, copies included."""
    return len({m.source for m in story.members})


def diversity(story: StoryView) -> float:
    """Effective number of sources (exp of the entropy of articles per source)."""
    counts = Counter(m.source for m in story.members)
    total = sum(counts.values())
    entropy = -sum(n / total * math.log(n / total) for n in counts.values())
    return math.exp(entropy)


def section_of(story: StoryView) -> str:
    """The most common non-empty section among the story's articles; on a tie, the
    representative article's (not whichever article happened to arrive first)."""
    counts = Counter(m.section for m in story.members if m.section)
    if not counts:
        return ""
    top = max(counts.values())
    tied = {section for section, n in counts.items() if n == top}
    if len(tied) == 1:
        return tied.pop()
    lead = representative(story).section
    return lead if lead in tied else counts.most_common(1)[0][0]


def reported(story: StoryView) -> float:
    """When the story last had news: its newest original (a copy republished days later is no
    news), or its newest article when only copies are left in view."""
    originals = [m.published for m in story.members if m.duplicate_of is None]
    return max(originals or [m.published for m in story.members])


def story_score(story: StoryView, now: float, settings: RankSettings | None = None) -> float:
    """Coverage and diversity, lifted by recent velocity, decayed by the age of its last news."""
    s = settings or RankSettings()
    latest = reported(story)
    recent = {m.source for m in story.members if now - m.published <= s.velocity_hours * HOUR}
    breadth = math.log1p(outlets(story)) * math.sqrt(diversity(story))
    velocity = 1.0 + s.velocity_weight * math.log1p(len(recent))
    age_hours = max(0.0, now - latest) / HOUR
    decay: float = 0.5 ** (age_hours / s.half_life_hours)
    return breadth * velocity * decay


# Hotness is measured from here so that its numbers stay small (about 1.4 a day at 12 h half-life).
HOTNESS_EPOCH = 1_577_836_800.0  # 2020-01-01 UTC


def story_hotness(story: StoryView, settings: RankSettings | None = None) -> float:
    """A score to store that never needs refreshing.

    log(story_score) at any one moment equals this minus a term common to every story, so
    ordering by it is ordering by `story_score` (with velocity as of the story's last article).
    """
    s = settings or RankSettings()
    latest = reported(story)
    at_latest = story_score(story, latest, s)
    return math.log(at_latest) + math.log(2.0) * (latest - HOTNESS_EPOCH) / (
        s.half_life_hours * HOUR
    )


def rank_stories(
    stories: Iterable[StoryView],
    now: float,
    limit: int = 20,
    section: str | None = None,
    settings: RankSettings | None = None,
) -> list[RankedStory]:
    """The top stories overall, or in one section, best first."""
    ranked = []
    for story in stories:
        if not story.members:
            continue
        story_section = section_of(story)
        if section is not None and story_section != section:
            continue
        ranked.append(
            RankedStory(
                story.id,
                round(story_score(story, now, settings), 6),
                representative(story),
                outlets(story),
                len(story.members),
                story_section,
            )
        )
    ranked.sort(key=lambda r: (-r.score, -r.outlets, r.story_id))
    return ranked[:limit]


def top_by_section(
    stories: Iterable[StoryView], now: float, limit: int = 10
) -> dict[str, list[RankedStory]]:
    """Top stories per section, for section pages."""
    views = list(stories)
    sections = sorted({section_of(v) for v in views if v.members} - {""})
    return {name: rank_stories(views, now, limit, name) for name in sections}
