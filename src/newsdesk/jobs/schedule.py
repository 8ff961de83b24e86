"""When to fetch a source next: adapt to its publishing rate, back off when it fails."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from datetime import datetime

from newsdesk.settings import Settings


def adaptive_interval(publish_times: Sequence[datetime], settings: Settings) -> int:
    """Seconds until the next fetch: half the median gap between recent entries, within bounds.

    Half the gap means a source is usually fetched about twice per new entry, which catches news
    quickly without polling a quiet source every few minutes.
    """
    times = sorted(t for t in publish_times if t is not None)
    if len(times) < 3:
        return settings.refresh_interval
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
    gaps = [g for g in gaps if g > 0] or [0.0]
    wanted = int(statistics.median(gaps) / 2)
    return max(settings.refresh_min_interval, min(settings.refresh_max_interval, wanted))


def backoff_delay(
    failures: int, interval: int, settings: Settings, retry_after: float | None = None
) -> int:
    """Seconds to wait after `failures` consecutive failures: exponential, capped, never sooner
    than the server's Retry-After."""
    exponent = max(0, min(failures - 1, 16))
    delay = min(settings.backoff_max, interval * (2**exponent))
    if retry_after is not None:
        delay = max(delay, int(retry_after))
    return max(1, int(delay))
