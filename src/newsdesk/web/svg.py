"""Geometry for the site's inline SVG pictures; templates draw it, so no markup is built here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from newsdesk.models import Article, FetchLog
from newsdesk.store.base_site import SectionCount


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the bar's tooltip and accessible text
    kind: str = ""  # a CSS class: "ok", "fail", "original"
    href: str = ""
    name: str = ""
    value: int = 0


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    summary: str  # what the picture says, for screen readers
    start: str = ""
    end: str = ""


def coverage_timeline(articles: Sequence[Article], original_id: int | None) -> Chart | None:
    """Articles of a story per time bin: when the coverage came, and how much."""
    if len(articles) < 2:
        return None
    width, height, bins = 600, 90, 24
    first = min(a.published for a in articles)
    last = max(a.published for a in articles)
    span = max((last - first).total_seconds(), 1.0)
    counts = [0] * bins
    has_original = [False] * bins
    for a in articles:
        slot = min(int((a.published - first).total_seconds() / span * bins), bins - 1)
        counts[slot] += 1
        has_original[slot] = has_original[slot] or a.id == original_id
    top = max(counts)
    step = width / bins
    bars = tuple(
        Bar(
            x=round(i * step + 1, 1),
            y=round(height - count / top * (height - 4), 1),
            width=round(step - 2, 1),
            height=round(count / top * (height - 4), 1),
            label=f"{count} article{'s' if count != 1 else ''}"
            + (" (includes the original)" if has_original[i] else ""),
            kind="original" if has_original[i] else "",
        )
        for i, count in enumerate(counts)
        if count
    )
    summary = f"{len(articles)} articles from {_when(first)} to {_when(last)}"
    return Chart(width, height, bars, summary, _when(first), _when(last))


def fetch_sparkline(history: Sequence[FetchLog]) -> Chart | None:
    """One bar per fetch, oldest left: height is the time taken, red when it failed."""
    fetches = list(reversed(history))[-60:]
    if not fetches:
        return None
    width, height = 240, 32
    step = width / max(len(fetches), 12)
    slowest = max(max(f.duration_ms for f in fetches), 1)
    bars = []
    for i, f in enumerate(fetches):
        failed = bool(f.error) or f.status is None or f.status >= 400
        share = 1.0 if failed else 0.25 + 0.75 * f.duration_ms / slowest
        status = f.error or f"HTTP {f.status}"
        bars.append(
            Bar(
                x=round(i * step, 1),
                y=round(height - share * height, 1),
                width=round(max(step - 1, 1), 1),
                height=round(share * height, 1),
                label=f"{_when(f.fetched_at)}: {status}, {f.new_articles} new, {f.duration_ms} ms",
                kind="fail" if failed else "ok",
            )
        )
    failures = sum(1 for b in bars if b.kind == "fail")
    summary = f"{len(bars)} recent fetches, {failures} failed"
    return Chart(width, height, tuple(bars), summary)


def section_spread(counts: Sequence[SectionCount], link: dict[str, str]) -> Chart | None:
    """Horizontal bars: the day's stories (else articles) per section."""
    use_stories = any(c.stories for c in counts)
    values = [(c.section, c.stories if use_stories else c.articles) for c in counts]
    values = [(name, n) for name, n in values if n][:12]
    if not values:
        return None
    row, width = 22, 320
    top = max(n for _, n in values)
    unit = "stories" if use_stories else "articles"
    bars = tuple(
        Bar(
            x=110,
            y=i * row + 3,
            width=round(max(n / top * (width - 150), 2), 1),
            height=row - 6,
            label=f"{name}: {n} {unit}",
            href=link.get(name, ""),
            name=name,
            value=n,
        )
        for i, (name, n) in enumerate(values)
    )
    summary = ", ".join(f"{name} {n}" for name, n in values) + f" ({unit} in the last day of news)"
    return Chart(width, row * len(values), bars, summary)


def _when(moment: datetime) -> str:
    return moment.strftime("%-d %b %H:%M")
