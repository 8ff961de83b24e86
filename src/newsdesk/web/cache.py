"""A small time-to-live cache for store results that many page views share (the front page)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

_T = TypeVar("_T")


class TTLCache:
    """Values computed at most once per `ttl` seconds per key; `clear()` after any change."""

    def __init__(self, ttl: float = 5.0, max_entries: int = 4096) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        now = time.monotonic()
        with self._lock:
            found = self._values.get(key)
        if found is not None and found[0] > now:
            value: _T = found[1]
            return value
        value = compute()
        with self._lock:
            if len(self._values) >= self.max_entries:
                self._values.clear()
            self._values[key] = (now + self.ttl, value)
        return value

    def peek(self, key: Hashable) -> Any:
        """The live value under `key`, or None."""
        with self._lock:
            found = self._values.get(key)
        return found[1] if found is not None and found[0] > time.monotonic() else None

    def put(self, key: Hashable, value: object) -> None:
        with self._lock:
            if len(self._values) >= self.max_entries:
                self._values.clear()
            self._values[key] = (time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
