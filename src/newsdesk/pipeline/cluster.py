"""Online story clustering: each arriving article joins the best story in the window, or starts one.

`StoryEngine.add(item)` is the one entry point, for the live pipeline and for the batch command.

Story ids are the id of the article that founded the story, so they need no counter. When two
stories merge, the older id survives and the assignment lists the absorbed ids, for the caller
to remap. When a growing story turns out to hold two events, it splits: the side with the older
first article keeps the id, the other side becomes a story named by its oldest original, copies
go with their original, and the assignment lists the articles that moved (`moved`) and the story
split (`split_from`).

State across restarts: the window is rebuilt from stored articles. Call `restore(item, story_id,
duplicate_of)` for each article still in the window, oldest first, with the ids stored for it; the
engine then holds the same stories under the same ids and carries on with `add`. Nothing else needs
saving; document frequencies are relearnt from the same articles.
"""

from __future__ import annotations

import heapq
import math
import sys
from collections import deque
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from newsdesk.pipeline.cluster_embed import Embedder, embedding_text
from newsdesk.pipeline.cluster_models import Assignment, NewsItem, StoryMember, StoryView
from newsdesk.pipeline.cluster_score import (
    DAY,
    join_threshold,
    other_names,
    quiet_factor,
    shared_terms,
    similarity,
    time_factor,
)
from newsdesk.pipeline.cluster_settings import StorySettings
from newsdesk.pipeline.cluster_split import side_totals, split_sides, with_names
from newsdesk.pipeline.cluster_stories import Member, Story, StoryIndex
from newsdesk.pipeline.cluster_vectors import (
    DocumentFrequencies,
    Vector,
    article_terms,
    cosine,
    pack,
    tfidf,
    vector_norm,
)
from newsdesk.pipeline.dedup import DedupSettings, DuplicateFinder, DuplicateMatch
from newsdesk.pipeline.related import pick_related

__all__ = ["StoryEngine", "StorySettings"]


class StoryEngine:
    """Holds the sliding window of stories and decides where each new article belongs."""

    def __init__(
        self,
        settings: StorySettings | None = None,
        dedup: DedupSettings | None = None,
        opted_out: Iterable[str] = (),
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings or StorySettings()
        self.embedder = embedder
        self.duplicates = DuplicateFinder(dedup, opted_out)
        self.df = DocumentFrequencies(self.settings.df_half_life_docs)
        self.index = StoryIndex(self.settings.centroid_terms, self.settings.index_terms)
        self.story_of: dict[str, str] = {}
        # Called with the articles that leave the window, as a view of their story (the whole
        # story when it expires): a caller that stores stories still writes those it placed but
        # has not saved yet (an article older than the window founds a story, or joins the
        # oldest end of one, that the next, newer article moves out of it).
        self.on_leave: Callable[[StoryView], None] | None = None
        self.now = 0.0
        self._arrivals: deque[tuple[float, str]] = deque()

    def add(self, item: NewsItem, embedding: Any = None) -> Assignment:
        """Place one article: fold it into its original if it is a copy, else cluster it."""
        self._slide(item.published)
        mh = self.duplicates.minhash(item.text) if item.text else None
        match = self.duplicates.find(item, mh)
        vector, found, body_words = self._features(item)
        other_event = None
        if match is not None and match.reason != "url" and self._names_differ(found, match):
            # The same template of words about other people or places: another event, which
            # a match this close in words (not a rewrite naming its people by other names)
            # keeps out of the template's story.
            if match.reason == "text" and match.similarity >= self.settings.template_similarity:
                other_event = self.story_of.get(match.original)
            match = None
        if match is not None and match.original in self.story_of:
            assignment = self._add_copy(item, match, mh)
            scored, raw = self._score(vector, None, item.published, found)
            related = self._related(raw, assignment.story_id)
            return Assignment(
                item.id,
                assignment.story_id,
                assignment.duplicate_of,
                related,
                recredited=assignment.recredited,
                score=assignment.score,
            )
        if embedding is None and self.embedder is not None:
            embedding = self.embedder.embed([embedding_text(item.title, item.text)])[0]
        # A headline alone names too few people to tell two events apart by them.
        scored, raw = self._score(vector, embedding, item.published, found, body_words > 0)
        if other_event is not None:
            # Its words would join the template's story: related to it, never part of it.
            scored = [pair for pair in scored if pair[1].id != other_event]
        self.duplicates.add(item, None, mh)
        best = scored[0] if scored else None
        threshold = join_threshold(self.settings, body_words)
        full = body_words >= self.settings.full_words
        if best is None or best[0] < threshold:
            story = self.index.create(item.id, item.published)
            self._join(story, item, vector, embedding, None, found, full)
            related = self._related(raw, story.id)
            return Assignment(item.id, story.id, None, related, new_story=True)
        joined = best[1]
        self._join(joined, item, vector, embedding, None, found, full)
        moved = self._split(joined, item.id)
        story = self.index.stories[self.story_of[item.id]]
        split = bool(moved) or story is not joined
        merged = self._merge_bridged(story, scored[1:], threshold)
        survivor = self.story_of[item.id]
        related = self._related(raw, survivor, merged)
        return Assignment(
            item.id,
            survivor,
            None,
            related,
            merged,
            score=best[0],
            moved=moved,
            split_from=joined.id if split else None,
        )

    def restore(self, item: NewsItem, story_id: str, duplicate_of: str | None = None) -> None:
        """Put back a stored article with the story and original it was given (see module doc)."""
        self._slide(item.published)
        vector, found, body_words = self._features(item)
        self.duplicates.add(item, duplicate_of)
        story = self.index.get(story_id) or self.index.create(story_id, item.published)
        if duplicate_of:
            self._join(story, item, None, None, duplicate_of)
        else:
            full = body_words >= self.settings.full_words
            self._join(story, item, vector, None, None, found, full)

    def follow(self, moves: Iterable[tuple[str, str, str | None]]) -> int:
        """Take on what another engine on the same store did: its splits and merges.

        Each move is (article id, the story it is in now, the original it copies or None).
        Articles this engine does not hold, or holds there already, are left alone; the stories
        the others leave and join are rebuilt, and a story left empty is dropped. A copy's
        original is taken as given (a re-credit elsewhere); future copies are still matched
        against the originals this engine knows. Returns how many articles changed story.
        """
        stories = self.index.stories
        wanted: dict[str, dict[str, tuple[str, str | None]]] = {}
        for article_id, story_id, original in moves:
            current = self.story_of.get(article_id)
            if current is not None and current in stories:
                wanted.setdefault(current, {})[article_id] = (story_id, original)
        touched: dict[str, Story] = {}
        moved = 0
        for current, targets in wanted.items():
            story = stories[current]
            staying: list[Member] = []
            for member in story.members:
                story_id, original = targets.get(member.id, (current, member.duplicate_of))
                member.duplicate_of = original
                if story_id == current:
                    staying.append(member)
                    continue
                joined = stories.get(story_id) or self.index.create(story_id, member.published)
                joined.members.append(member)
                self.story_of[member.id] = story_id
                touched[story_id] = joined
                moved += 1
            if len(staying) < len(story.members):
                story.members = staying
                touched[current] = story
        for story in touched.values():
            if story.members:
                self.index.rebuild(story)
                # The other engine tested it for a split as it grew; test again as it grows on.
                story.next_split = math.ceil(len(story.members) * self.settings.split_growth)
            else:
                self.index.remove(story.id)
        return moved

    def _names_differ(self, found: tuple[str, ...], match: DuplicateMatch) -> bool:
        """Whether a text match names other people and places than its original does.

        Wire templates (quake bulletins, court reports, "checks into rehab") share most of
        their words from one event to the next; a copy, spun or not, keeps the names. So a
        match where neither article names any of the other's `copy_names` leading names (its
        most named people and places) is another event, not a copy.
        """
        s = self.settings
        story_id = self.story_of.get(match.original)
        story = self.index.stories.get(story_id) if story_id else None
        if not s.copy_names or story is None or len(found) < s.min_names:
            return False
        original = next((m for m in story.members if m.id == match.original), None)
        if original is None or len(original.names) < s.min_names:
            return False
        k = s.copy_names
        theirs, ours = set(original.names), set(found)
        # Neither names the other's leading people and places (a copy keeps them however it
        # is spun; a shortened or reordered copy may lose the rest).
        return not ours.intersection(original.names[:k]) and not theirs.intersection(found[:k])

    def _features(self, item: NewsItem) -> tuple[Vector, tuple[str, ...], int]:
        """The article's TF-IDF vector, its names, and how many words its body has."""
        s = self.settings
        got = article_terms(item, s.lead_words, s.title_weight, s.entity_weight)
        self.df.add(set(got.counts) | set(got.names))
        vector = tfidf(got.counts, self.df, got.term_limit(s.article_terms))
        return vector, got.names, got.body_words

    def _add_copy(self, item: NewsItem, match: DuplicateMatch, mh: Any) -> Assignment:
        original_id = match.original
        story = self.index.stories[self.story_of[original_id]]
        original = next((m for m in story.members if m.id == original_id), None)
        recredited = None
        if (
            match.reason != "url"
            and original is not None
            and item.published + 60.0 < original.published
        ):
            # The copy we saw first was published later: credit the earlier publisher instead.
            recredited = original_id
            for member in story.members:
                if member.id == original_id or member.duplicate_of == original_id:
                    member.duplicate_of = item.id
            self.duplicates.add(item, None, mh)
            self.duplicates.recredit(original_id, item.id)
            self._join(story, item, None, None, None)
            return Assignment(
                item.id, story.id, None, recredited=recredited, score=match.similarity
            )
        self.duplicates.add(item, original_id, mh)
        # A copy adds coverage, not new words, to its story: it leaves the centroid alone.
        self._join(story, item, None, None, original_id)
        return Assignment(item.id, story.id, original_id, score=match.similarity)

    def _join(
        self,
        story: Story,
        item: NewsItem,
        vector: Vector | None,
        embedding: Any,
        dup: str | None,
        found: tuple[str, ...] = (),
        full: bool = False,
    ) -> None:
        story.members.append(
            Member(
                item.id,
                item.source,
                item.published,
                item.title,
                item.url,
                item.section,
                dup,
                None if vector is None else pack(vector),
                found,
                embedding,
                full,
            )
        )
        self.story_of[item.id] = story.id
        self._arrivals.append((item.published, item.id))
        story.add_names(found)
        if vector is not None:
            self.index.add_vector(story, vector, item.published)
        elif item.published > story.last:
            story.last = item.published
        if embedding is not None:
            story.embedding = embedding if story.embedding is None else story.embedding + embedding
            story.embedded += 1

    def _score(
        self,
        vector: Vector,
        embedding: Any,
        published: float,
        found: tuple[str, ...],
        check_names: bool = True,
    ) -> tuple[list[tuple[float, Story]], dict[str, float]]:
        """Candidate stories best first, and their similarity before the name check."""
        s = self.settings
        idf = self.df.idf
        rough = self.index.candidates(vector, s.candidate_terms, s.candidates_per_term)
        # heapq.nlargest is sorted(...)[:n], ties in first-seen order, and several times
        # cheaper than sorting the hundreds of rough candidates a big window yields.
        shortlist = heapq.nlargest(s.exact_candidates, rough.items(), key=itemgetter(1))
        scored: list[tuple[float, Story]] = []
        raw: dict[str, float] = {}
        for story_id, _ in shortlist:
            story = self.index.stories[story_id]
            sim = similarity(vector, found, story, idf, s)
            if embedding is not None and story.embedding is not None:
                total = story.embedding
                emb = float(embedding @ total) / (float(total @ total) ** 0.5 or 1.0)
                if emb < s.embedding_threshold:
                    # The words agree but the sentences mean something else.
                    sim *= s.embedding_penalty
            recency = time_factor(story, published, s)
            # See also looks across the whole window: an earlier development days back is
            # related however far it has faded as a place to join; time only orders it.
            raw[story.id] = sim * (0.5 + 0.5 * recency)
            sim *= recency
            # A follow-up to a story gone quiet is related to it, not part of it.
            sim *= quiet_factor(story, published, s)
            if check_names and other_names(found, story, s.min_names):
                # Same kind of event, other people and places: most likely another event.
                sim *= s.name_penalty
            elif not check_names and shared_terms(vector, story) < 2:
                # A headline of five words sharing one rare word ("deaths") with a story scores
                # over the low headline bar, and such joins pile unrelated headlines together.
                sim *= s.lone_word_penalty
            scored.append((sim, story))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        return scored, raw

    def _split(self, story: Story, arriving: str) -> tuple[tuple[str, str], ...]:
        """Split a story holding two events (see cluster_split); the articles that moved.

        The side with the older first article keeps the story id; the other side becomes a story
        whose id is its oldest original's. Copies go with their original; members without a
        vector (an original re-credited from a copy) stay. The arriving article is not listed.
        """
        s = self.settings
        # Cheap guard first: this runs on every join, and originals never outnumber members.
        if not s.split_ratio or len(story.members) < max(story.next_split, s.split_min):
            return ()
        # Headlines alone are too short to tell two events apart by their words.
        originals = [m for m in story.members if m.packed is not None and m.full]
        n = len(originals)
        if n < max(story.next_split, s.split_min, 2 * s.split_min_side):
            return ()
        if n > s.split_max:
            story.next_split = sys.maxsize
            return ()
        story.next_split = max(n + 1, math.ceil(n * s.split_growth))
        idf = self.df.idf
        texts = [m.vector or {} for m in originals]
        vectors = [
            with_names(text, m.names, idf, s.name_weight)
            for text, m in zip(texts, originals, strict=True)
        ]
        sides = split_sides(
            vectors,
            s.split_ratio,
            s.split_min_side,
            [m.names for m in originals],
            s.name_penalty,
        )
        if sides is None:
            return ()
        side_of = {m.id: side for m, side in zip(originals, sides, strict=True)}
        self._place_short(story, texts, sides, side_of)
        oldest = {
            side: min(m.published for m in originals if side_of[m.id] == side)
            for side in (False, True)
        }
        # On a tie, the side of the earliest-listed original stays.
        moving_side = oldest[True] > oldest[False] or (
            oldest[True] == oldest[False] and not sides[0]
        )
        moving = [
            m
            for m in story.members
            if side_of.get(m.id, side_of.get(m.duplicate_of or "")) == moving_side
        ]
        founders = sorted(
            (m for m in moving if m.packed is not None and m.id not in self.index.stories),
            key=lambda m: m.published,
        )
        if not founders:
            return ()
        leaving = {m.id for m in moving}
        story.members = [m for m in story.members if m.id not in leaving]
        split_off = self.index.create(founders[0].id, founders[0].published)
        split_off.members = moving
        for part in (story, split_off):
            self.index.rebuild(part)
            part.next_split = math.ceil(len(part.members) * s.split_growth)
        for m in moving:
            self.story_of[m.id] = split_off.id
        return tuple((m.id, split_off.id) for m in moving if m.id != arriving)

    def _place_short(
        self, story: Story, tested: list[Vector], sides: list[bool], side_of: dict[str, bool]
    ) -> None:
        """Put the originals left out of the split test (`tested` holds the text vectors of
        those in it) on the side whose centroid is nearer."""
        rest = [m for m in story.members if m.packed is not None and not m.full]
        if not rest:
            return
        totals = side_totals(tested, sides)
        norms = [vector_norm(t) for t in totals]
        for m in rest:
            vector = m.vector or {}
            side_of[m.id] = cosine(vector, totals[1], norms[1]) > cosine(
                vector, totals[0], norms[0]
            )

    def _merge_bridged(
        self, story: Story, others: list[tuple[float, Story]], threshold: float
    ) -> tuple[str, ...]:
        """Merge stories the new article bridges: it fits both, and their centroids agree."""
        merged: list[str] = []
        survivor = story
        for score, other in others:
            if score < threshold:
                break
            if other.id not in self.index.stories or other is survivor:
                continue
            agreement = cosine(
                {w: v / survivor.norm() for w, v in survivor.centroid.items()},
                other.centroid,
                other.norm(),
            )
            if agreement < self.settings.merge_threshold:
                continue
            keep, drop = (survivor, other) if survivor.first <= other.first else (other, survivor)
            for member in drop.members:
                self.story_of[member.id] = keep.id
            self.index.merge(keep, drop)
            merged.append(drop.id)
            survivor = keep
        return tuple(merged)

    def _related(
        self, raw: dict[str, float], own: str, merged: tuple[str, ...] = ()
    ) -> tuple[str, ...]:
        stories = self.index.stories
        live = sorted(
            ((score, stories[sid]) for sid, score in raw.items() if sid in stories),
            key=lambda pair: pair[0],
            reverse=True,
        )
        s = self.settings
        return pick_related(live, own, s.related_count, s.related_threshold, merged)

    def related_stories(self, story_id: str) -> tuple[str, ...]:
        """See also for a whole story: similar stories in the window, never the story itself."""
        return tuple(sid for sid, _ in self.related_scored(story_id))

    def related_scored(self, story_id: str) -> tuple[tuple[str, float], ...]:
        """`related_stories` with each one's similarity, best first."""
        story = self.index.get(story_id)
        if story is None or not story.centroid:
            return ()
        norm = story.norm()
        query = {w: v / norm for w, v in story.centroid.items()}
        embedding = story.embedding
        _, raw = self._score(query, embedding, story.last, tuple(story.names))
        picked = self._related(raw, story_id)
        return tuple((sid, round(raw[sid], 4)) for sid in picked)

    def story(self, story_id: str) -> StoryView | None:
        """A frozen view of one story in the window."""
        story = self.index.get(story_id)
        return None if story is None else _view(story)

    def stories(self) -> list[StoryView]:
        """Frozen views of every story in the window."""
        return [view for sid in list(self.index.stories) if (view := self.story(sid))]

    def _slide(self, published: float) -> None:
        if published <= self.now:
            return
        self.now = published
        cutoff = published - self.settings.window_days * DAY
        for story in self.index.expire(cutoff):
            if self.on_leave is not None:
                self.on_leave(_view(story))
            for member in story.members:
                self.story_of.pop(member.id, None)
                self.duplicates.forget(member.id)
        # Stories that never go quiet would otherwise keep every article they ever had.
        arrivals = self._arrivals
        while arrivals and arrivals[0][0] < cutoff:
            _, article_id = arrivals.popleft()
            story_id = self.story_of.pop(article_id, None)
            self.duplicates.forget(article_id)
            current = self.index.get(story_id) if story_id else None
            if current is None:
                continue
            if current.members and current.members[0].id == article_id:
                left = [current.members.pop(0)]
            else:
                left = [m for m in current.members if m.id == article_id]
                current.members = [m for m in current.members if m.id != article_id]
            if self.on_leave is not None and left:
                self.on_leave(_view(current, left))


def _view(story: Story, members: Iterable[Member] | None = None) -> StoryView:
    """A frozen view of the story, or of some of its members."""
    return StoryView(
        story.id,
        tuple(
            StoryMember(m.id, m.source, m.published, m.title, m.url, m.section, m.duplicate_of)
            for m in (story.members if members is None else members)
        ),
    )
