"""The stories in the engine's window: centroids, members and the term index that finds them."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from typing import Any

from newsdesk.pipeline.cluster_vectors import PackedVector, Vector, unpack


@dataclass(slots=True)
class Member:
    """One article of a story, as the engine keeps it (mutable: copies can be re-credited)."""

    id: str
    source: str
    published: float
    title: str
    url: str
    section: str
    duplicate_of: str | None
    # Kept for originals only, so a story can be split (and its centroid rebuilt) later.
    packed: PackedVector | None = None
    names: tuple[str, ...] = ()
    embedding: Any = None
    full: bool = False  # a body of at least `full_words`: only these are tested for a split

    @property
    def vector(self) -> Vector | None:
        """The article's TF-IDF vector (None for a copy)."""
        return None if self.packed is None else unpack(self.packed)


@dataclass(slots=True)
class Story:
    """A story's running state. Its id is the id of the article that founded it."""

    id: str
    first: float
    last: float  # the newest article, copies included: the story leaves the window after it
    # The newest original: a copy re-published later does not make a story news again.
    reported: float = 0.0
    centroid: Vector = field(default_factory=dict)
    members: list[Member] = field(default_factory=list)
    names: dict[str, int] = field(default_factory=dict)
    indexed: list[str] = field(default_factory=list)
    embedding: Any = None
    embedded: int = 0
    next_split: int = 0
    _norm: float = -1.0
    _name_norm: float = -1.0

    def norm(self) -> float:
        """Norm of the centroid, cached until the centroid changes."""
        if self._norm < 0:
            self._norm = math.sqrt(sum(v * v for v in self.centroid.values()))
        return self._norm

    def name_norm(self, idf: Callable[[str], float]) -> float:
        """Norm of the idf-weighted name counts, cached until the names change."""
        if self._name_norm < 0:
            self._name_norm = math.sqrt(sum((c * idf(n)) ** 2 for n, c in self.names.items()))
        return self._name_norm

    def add_names(self, found: Iterable[str], limit: int = 60) -> None:
        """Count names seen in the story's articles, keeping the most frequent."""
        counts = self.names
        for name in found:
            counts[name] = counts.get(name, 0) + 1
        if len(counts) > limit * 3 // 2:
            self.names = dict(heapq.nlargest(limit, counts.items(), key=_count))
        self._name_norm = -1.0

    def touch(self) -> None:
        """Forget the cached norm after the centroid changed."""
        self._norm = -1.0


def _count(name: tuple[str, int]) -> int:
    return name[1]


class StoryIndex:
    """Stories by id, an index from centroid terms to stories, and expiry by last article."""

    def __init__(self, centroid_terms: int, index_terms: int = 0) -> None:
        self.centroid_terms = centroid_terms
        self.index_terms = index_terms
        self.stories: dict[str, Story] = {}
        self.postings: dict[str, dict[str, float]] = {}
        self._expiry: list[tuple[float, str]] = []

    def __len__(self) -> int:
        return len(self.stories)

    def get(self, story_id: str) -> Story | None:
        """The story with this id, if it is still in the window."""
        return self.stories.get(story_id)

    def create(self, story_id: str, published: float) -> Story:
        """A new, empty story."""
        story = Story(id=story_id, first=published, last=published, reported=published)
        self.stories[story_id] = story
        heapq.heappush(self._expiry, (published, story_id))
        return story

    def add_vector(self, story: Story, vector: Vector, published: float) -> None:
        """Fold an article's vector into the story's centroid, keeping the centroid short."""
        centroid = story.centroid
        for word, weight in vector.items():
            centroid[word] = centroid.get(word, 0.0) + weight
        if len(centroid) > self.centroid_terms * 3 // 2:
            strongest = sorted(centroid, key=centroid.__getitem__, reverse=True)
            story.centroid = centroid = {w: centroid[w] for w in strongest[: self.centroid_terms]}
        story.touch()
        # Only the strongest terms are posted: an article finds a story by its main words, and
        # the exact cosine still uses the whole centroid.
        if self.index_terms and len(centroid) > self.index_terms:
            indexed = sorted(centroid, key=centroid.__getitem__, reverse=True)[: self.index_terms]
        else:
            indexed = list(centroid)
        self._reindex(story.id, story.indexed, indexed)
        story.indexed = indexed
        norm = story.norm() or 1.0
        postings = self.postings
        for word in indexed:
            # Postings hold unit-centroid weights, so candidate scoring is one multiply per story.
            postings[word][story.id] = centroid[word] / norm
        story.last = max(story.last, published)
        story.first = min(story.first, published)
        if vector:
            story.reported = max(story.reported, published)

    def _reindex(self, story_id: str, before: Iterable[str], after: Iterable[str]) -> None:
        before, after = set(before), set(after)
        for word in before - after:
            posting = self.postings.get(word)
            if posting is not None:
                posting.pop(story_id, None)
                if not posting:
                    del self.postings[word]
        for word in after - before:
            self.postings.setdefault(word, {})[story_id] = 0.0

    def rebuild(self, story: Story) -> None:
        """Recompute a story's centroid, names, embedding and span from its members."""
        centroid: Vector = {}
        names: dict[str, int] = {}
        embedding: Any = None
        embedded = 0
        for member in story.members:
            if member.packed is not None:
                for word, weight in zip(*member.packed, strict=True):
                    centroid[word] = centroid.get(word, 0.0) + weight
            for name in member.names:
                names[name] = names.get(name, 0) + 1
            if member.embedding is not None:
                embedding = member.embedding if embedding is None else embedding + member.embedding
                embedded += 1
        story.centroid, story.names = centroid, names
        story.add_names(())
        story.embedding, story.embedded = embedding, embedded
        times = [m.published for m in story.members]
        story.first, story.last = min(times), max(times)
        story.reported = max((m.published for m in story.members if m.packed), default=story.first)
        self.add_vector(story, {}, story.last)

    def merge(self, survivor: Story, absorbed: Story) -> None:
        """Move absorbed's members and centroid into survivor, and drop absorbed."""
        survivor.members.extend(absorbed.members)
        for name, count in absorbed.names.items():
            survivor.names[name] = survivor.names.get(name, 0) + count
        survivor.add_names(())
        if absorbed.embedding is not None:
            if survivor.embedding is None:
                survivor.embedding, survivor.embedded = absorbed.embedding, absorbed.embedded
            else:
                survivor.embedding = survivor.embedding + absorbed.embedding
                survivor.embedded += absorbed.embedded
        self.add_vector(survivor, absorbed.centroid, absorbed.last)
        survivor.first = min(survivor.first, absorbed.first)
        survivor.reported = max(survivor.reported, absorbed.reported)
        self.remove(absorbed.id)

    def remove(self, story_id: str) -> Story | None:
        """Drop a story from the index (its expiry entry goes stale and is skipped)."""
        story = self.stories.pop(story_id, None)
        if story is not None:
            self._reindex(story_id, story.indexed, ())
        return story

    def expire(self, cutoff: float) -> Iterator[Story]:
        """Remove and yield every story whose last article is older than cutoff.

        Each story has one entry in the expiry heap, pushed when it is created; a story that
        gained articles since is pushed back with its newer time when its entry comes up. (Its
        `last` moves with every article, copies included, so no update is ever missed.)
        """
        while self._expiry and self._expiry[0][0] < cutoff:
            _, story_id = heapq.heappop(self._expiry)
            story = self.stories.get(story_id)
            if story is None:
                continue
            if story.last < cutoff:
                self.remove(story_id)
                yield story
            else:
                heapq.heappush(self._expiry, (story.last, story_id))

    def candidates(self, vector: Vector, top_terms: int, per_term: int) -> dict[str, float]:
        """Stories sharing the article's strongest terms, with a partial dot product as a score."""
        scores: dict[str, float] = {}
        score = scores.get
        postings = self.postings.get
        for word, weight in heapq.nlargest(top_terms, vector.items(), key=itemgetter(1)):
            posting = postings(word)
            if not posting:
                continue
            # Newest stories first: with many stories on a common term, recent ones matter.
            for story_id, unit in islice(reversed(posting.items()), per_term):
                scores[story_id] = score(story_id, 0.0) + weight * unit
        return scores
