"""The story desk: one `StoryEngine` per process, kept in step with the store.

`StoryDesk.open(store)` rebuilds the engine's window from the stored articles (with the story and
original each was given, so story ids survive a restart) and places any article never placed.
After each save, `desk.assign(store, saved.new_article_ids)` places the new articles and writes
what changed in one transaction: each article's story and original, the stories touched (title
and lead from the representative article, which is an original, never a copy), merges, and
"See also". A story found to hold two events is split: the articles that move are written with
their new story.

Several processes (queue workers) may each hold a desk on one store. Before placing its own
articles, a desk follows the articles the others moved since it last looked (their splits and
merges, read from the store's moves in revision order), restores what they placed, and adopts
articles that nobody placed within `adopt_after` (a worker died between saving and placing). It
reads each article of another refresh once, when it appears, and again only while it waits to be
placed; the articles it is asked to place are never read back this way. Two desks placing at the
same moment can still each write a story from a view the other is changing; the next round of
either sets the story right.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta

from newsdesk.models import Story
from newsdesk.pipeline.cluster import StoryEngine, StorySettings
from newsdesk.pipeline.cluster_embed import Embedder
from newsdesk.pipeline.cluster_models import Assignment, NewsItem, StoryMember, StoryView
from newsdesk.pipeline.dedup import DedupSettings
from newsdesk.pipeline.rank import RankSettings, outlets, representative, section_of, story_hotness
from newsdesk.store.base import Store
from newsdesk.store.base_stories import Placement, RelatedStories, StoryInput, StoryUpdate

log = logging.getLogger(__name__)

_PAGE = 1000
_EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
# How far ahead of the clock a publication date is believed (feeds do lie about the future).
_FUTURE_SLACK = timedelta(hours=1)


def new_engine(opted_out: Iterable[str] = (), embedder: Embedder | None = None) -> StoryEngine:
    """The engine both the live desk and `newsdesk cluster` use: one algorithm, one setting."""
    return StoryEngine(StorySettings(), DedupSettings(), opted_out, embedder)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AssignReport:
    """What one call placed: articles, new stories, copies folded, stories merged away, and
    articles moved to a new story by a split."""

    articles: int = 0
    new_stories: int = 0
    copies: int = 0
    merged: int = 0
    moved: int = 0


class StoryDesk:
    """Places stored articles into stories; thread-safe, one per process."""

    def __init__(
        self,
        engine: StoryEngine | None = None,
        *,
        rank: RankSettings | None = None,
        clock: Callable[[], datetime] = _now,
        adopt_after: timedelta = timedelta(minutes=10),
    ) -> None:
        self.engine = engine or new_engine()
        self.rank = rank or RankSettings()
        self.clock = clock
        self.adopt_after = adopt_after
        self._lock = threading.Lock()
        # What the store holds for each article in the window: (story id, original or None).
        self._written: dict[str, tuple[str, str | None]] = {}
        # The highest article id looked at, and those seen unplaced that another refresh (in this
        # process or another) is about to place: only these are read again.
        self._scan_from = 0
        self._waiting: dict[int, datetime] = {}  # id: when it was fetched
        self._moves_from = (0, 0)  # the store's cursor of the last move followed
        # Articles that left the engine's window since the last save, by story: some may have
        # been placed in this round (an article older than the window) and are still unwritten.
        self._left: dict[str, list[StoryMember]] = {}
        self.engine.on_leave = self._keep_left

    @classmethod
    def open(
        cls,
        store: Store,
        *,
        embedder: Embedder | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> StoryDesk:
        """A desk with the store's opt-outs and window restored (see `restore`)."""
        opted_out = {str(source_id) for source_id in store.dedup_opt_outs()}
        desk = cls(new_engine(opted_out, embedder), clock=clock)
        desk.restore(store)
        return desk

    def restore(self, store: Store) -> AssignReport:
        """Rebuild the window from the store, oldest first; place articles never placed.

        Articles older than the window that were never placed (stored while understanding was
        off, say) are placed first, a page at a time, each page in its own transaction.
        """
        with self._lock:
            self._scan_from = store.last_article_id()
            self._moves_from = store.last_story_move()
            self._waiting = {}
            newest = store.newest_article_time()
            if newest is None:
                return AssignReport()
            since = min(newest, self.clock()) - timedelta(days=self.engine.settings.window_days)
            report = self._place_unplaced(store, since)
            placed: list[Assignment] = []
            after: tuple[datetime, int] | None = None
            while rows := store.story_inputs(since, after=after, limit=_PAGE):
                for row in rows:
                    if row.story_id is not None:
                        self._restore_one(row)
                    else:
                        placed.append(self.engine.add(self._item(row)))
                after = (rows[-1].published, rows[-1].id)
            return _sum(report, self._save(store, placed))

    def _place_unplaced(self, store: Store, before: datetime) -> AssignReport:
        report = AssignReport()
        after: tuple[datetime, int] | None = None
        while rows := store.story_inputs(
            _EARLIEST, before=before, unplaced=True, after=after, limit=_PAGE
        ):
            placed = [self.engine.add(self._item(row)) for row in rows]
            report = _sum(report, self._save(store, placed))
            after = (rows[-1].published, rows[-1].id)
        return report

    def assign(self, store: Store, article_ids: Sequence[int]) -> AssignReport:
        """Place newly saved articles (and any left unplaced) and store the outcome."""
        with self._lock:
            wanted = set(article_ids)
            self._follow(store)
            adopted = self._catch_up(store, wanted)
            placed: list[Assignment] = []
            for row in store.story_inputs_by_ids([*wanted, *adopted]):
                if str(row.id) in self.engine.story_of:
                    continue
                if row.story_id is not None:  # another process placed it meanwhile
                    self._restore_one(row)
                    continue
                placed.append(self.engine.add(self._item(row)))
            return self._save(store, placed)

    def _follow(self, store: Store) -> None:
        """Move the articles other desks moved since the last look (their splits and merges)."""
        while moves := store.story_moves(self._moves_from, _PAGE):
            self._moves_from = (moves[-1].revision, moves[-1].article_id)
            changed: dict[str, tuple[str, str | None]] = {}
            for move in moves:
                where = (str(move.story_id), str(move.duplicate_of) if move.duplicate_of else None)
                # This desk's own moves (and those it already holds) are what it wrote.
                if self._written.get(str(move.article_id)) != where:
                    changed[str(move.article_id)] = where
            self.engine.follow((article, *where) for article, where in changed.items())
            held = self.engine.story_of
            self._written.update((a, where) for a, where in changed.items() if a in held)
            if len(moves) < _PAGE:
                break

    def _catch_up(self, store: Store, wanted: set[int]) -> list[int]:
        """Restore what other processes placed since the last look; ids to adopt."""
        placed = self.engine.story_of
        waiting = {
            i: fetched
            for i, fetched in self._waiting.items()
            if i not in wanted and str(i) not in placed
        }
        # Of the articles seen waiting, only those placed since are read again.
        rows = store.story_inputs_by_ids(list(waiting), placed_only=True) if waiting else []
        while page := store.story_inputs_after(self._scan_from, _PAGE, excluding=wanted):
            rows.extend(page)
            self._scan_from = page[-1].id
            if len(page) < _PAGE:
                break
        # Every id above the cursor was read or is wanted (saved before this call).
        self._scan_from = max(self._scan_from, max(wanted, default=0))
        for row in sorted(rows, key=lambda r: r.id):
            if str(row.id) in placed:
                waiting.pop(row.id, None)
            elif row.story_id is not None:
                self._restore_one(row)
                waiting.pop(row.id, None)
            else:
                waiting[row.id] = row.fetched_at
        deadline = self.clock() - self.adopt_after
        # Adopted ones are read again when placed, and restored if someone placed them meanwhile.
        adopted = sorted(i for i, fetched in waiting.items() if fetched <= deadline)
        self._waiting = {i: f for i, f in waiting.items() if f > deadline}
        return adopted

    def _item(self, row: StoryInput) -> NewsItem:
        published = min(row.published, self.clock() + _FUTURE_SLACK)
        return NewsItem(
            id=str(row.id),
            title=row.title,
            published=published.timestamp(),
            text=row.text,
            url=row.url,
            source=str(row.source_id),
            section=row.section,
        )

    def _restore_one(self, row: StoryInput) -> None:
        assert row.story_id is not None
        original = str(row.duplicate_of) if row.duplicate_of else None
        self.engine.restore(self._item(row), str(row.story_id), original)
        self._written[str(row.id)] = (str(row.story_id), original)

    def _keep_left(self, view: StoryView) -> None:
        self._left.setdefault(view.id, []).extend(view.members)

    def _view(self, story_id: str, left: dict[str, list[StoryMember]]) -> StoryView | None:
        """The story as the engine holds it, with its articles that left the window meanwhile."""
        view = self.engine.story(story_id)
        gone = left.get(story_id)
        if not gone:
            return view
        kept = view.members if view is not None else ()
        held = {m.id for m in kept}
        return StoryView(story_id, (*[m for m in gone if m.id not in held], *kept))

    def _save(self, store: Store, placed: list[Assignment]) -> AssignReport:
        left, self._left = self._left, {}
        if not placed:
            return AssignReport()
        survivor: dict[str, str] = {}
        touched: set[str] = set()
        for a in placed:
            # A split's new story may carry the id of one merged away before: it lives again.
            for _, split_off in a.moved:
                survivor.pop(split_off, None)
                touched.add(split_off)
            if a.split_from:
                touched.add(a.split_from)
            survivor.pop(a.story_id, None)
            for absorbed in a.merged:
                survivor[absorbed] = a.story_id
            touched.add(a.story_id)
        merged = tuple((int(a), int(_follow(survivor, a))) for a in survivor)
        for story_id in [sid for sid in left if sid in survivor]:
            left.setdefault(_follow(survivor, story_id), []).extend(left.pop(story_id))
        # Every story touched that is still in the window is written whole: a split leaves
        # members behind, and a merge moves what the store holds under the absorbed id.
        absorbed_ids = set(survivor)
        placements: list[Placement] = []
        stories: list[Story] = []
        related: list[RelatedStories] = []
        for story_id in sorted(touched):
            view = self._view(story_id, left)
            if view is None or not view.members:
                continue
            for m in view.members:
                written = self._written.get(m.id)
                if written != (story_id, m.duplicate_of) or written[0] in absorbed_ids:
                    dup = int(m.duplicate_of) if m.duplicate_of else None
                    placements.append(Placement(int(m.id), int(story_id), dup))
            stories.append(self._story_row(view))
            scored = self.engine.related_scored(story_id)
            related.append(RelatedStories(int(story_id), tuple((int(r), s) for r, s in scored)))
        store.save_story_update(
            StoryUpdate(tuple(placements), tuple(stories), merged, tuple(related))
        )
        for p in placements:
            dup_id = str(p.duplicate_of) if p.duplicate_of else None
            self._written[str(p.article_id)] = (str(p.story_id), dup_id)
        self._prune()
        return AssignReport(
            articles=len(placed),
            new_stories=sum(1 for a in placed if a.new_story),
            copies=sum(1 for a in placed if a.duplicate_of),
            merged=len(merged),
            moved=sum(len(a.moved) for a in placed),
        )

    def _story_row(self, view: StoryView) -> Story:
        lead = representative(view)
        # When every original has left the window, a copy still names the original it copies.
        lead_id = lead.duplicate_of or lead.id
        times = [m.published for m in view.members]
        return Story(
            id=int(view.id),
            title=lead.title,
            lead_article_id=int(lead_id),
            section=section_of(view),
            first_seen=datetime.fromtimestamp(min(times), UTC),
            last_seen=datetime.fromtimestamp(max(times), UTC),
            article_count=len(view.members),
            outlet_count=outlets(view),
            score=round(story_hotness(view, self.rank), 6),
        )

    def _prune(self) -> None:
        live = self.engine.story_of
        if len(self._written) > 2 * len(live) + 1000:
            self._written = {k: v for k, v in self._written.items() if k in live}


def _sum(a: AssignReport, b: AssignReport) -> AssignReport:
    return AssignReport(*(x + y for x, y in zip(astuple(a), astuple(b), strict=True)))


def _follow(remap: dict[str, str], key: str) -> str:
    for _ in range(1000):
        if key not in remap:
            break
        key = remap[key]
    return key
