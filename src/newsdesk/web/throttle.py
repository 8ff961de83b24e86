"""Password guessing is slowed down: too many failed logins from one address, per name and in all.

Every login path (the admin form, Google Reader's ClientLogin, HTTP Basic on the Miniflux API)
calls `begin_login` before it hashes a password, and `login_succeeded` when the password was
right. `begin_login` counts the attempt as a failure there and then, in the same step as the
check, so that concurrent guesses cannot all pass the check while the first ones are still
hashing: at most `MAX_FAILURES` guesses per (client address, user name) pair are in flight or
failed within `WINDOW_SECONDS`, and at most `MAX_ADDRESS_FAILURES` per address over all names,
so one address cannot spray made-up or real names either. Past a limit the caller gets 429
with a Retry-After until the oldest failure leaves the window. A success clears its pair and
takes back its own count from the address. Pairs are keyed by both, so a guesser cannot lock a
user out from other addresses. The record lives in this process: each web process of a
PostgreSQL deployment keeps its own.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from starlette.exceptions import HTTPException
from starlette.requests import Request

MAX_FAILURES = 10
MAX_ADDRESS_FAILURES = 50
WINDOW_SECONDS = 600.0
MAX_TRACKED = 10_000

K = TypeVar("K", bound=Hashable)


@dataclass
class FailureLog(Generic[K]):
    """Failure times per key within a sliding window; a key at `limit` of them is locked.

    At `max_tracked` keys, expired and then the oldest unlocked records make room for a new
    key, but a locked record is never dropped: otherwise a flood of cheap failures for other
    keys would lift a lockout. Only locked records can push the count past `max_tracked`, and
    each costs `limit` password checks, so their number is bounded by the hashing the server
    can do in one window.
    """

    limit: int
    window: float
    max_tracked: int = MAX_TRACKED
    times: dict[K, deque[float]] = field(default_factory=dict)

    def retry_after(self, key: K, now: float) -> float:
        """Seconds until `key` may try again; 0 when it may now."""
        times = self.times.get(key)
        if times is None:
            return 0.0
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self.times[key]
            return 0.0
        if len(times) < self.limit:
            return 0.0
        return times[0] + self.window - now

    def add(self, key: K, now: float) -> None:
        if key not in self.times and len(self.times) >= self.max_tracked:
            self._make_room(now)
        self.times.setdefault(key, deque(maxlen=self.limit)).append(now)

    def take_back_one(self, key: K) -> None:
        times = self.times.get(key)
        if times:
            times.pop()
        if not times:
            self.times.pop(key, None)

    def clear(self, key: K) -> None:
        self.times.pop(key, None)

    def _locked(self, times: deque[float], now: float) -> bool:
        return len(times) >= self.limit and times[0] > now - self.window

    def _make_room(self, now: float) -> None:
        """Drop expired records, then the oldest unlocked ones down to 90% of `max_tracked`."""
        self.times = {k: v for k, v in self.times.items() if v and v[-1] > now - self.window}
        excess = len(self.times) - self.max_tracked * 9 // 10
        if excess > 0:
            unlocked = [k for k, v in self.times.items() if not self._locked(v, now)]
            for key in unlocked[:excess]:  # a dict keeps insertion order: oldest first
                del self.times[key]


@dataclass
class LoginThrottle:
    max_failures: int = MAX_FAILURES
    max_address_failures: int = MAX_ADDRESS_FAILURES
    window: float = WINDOW_SECONDS
    pairs: FailureLog[tuple[str, str]] = field(init=False)
    addresses: FailureLog[str] = field(init=False)
    # Logins are checked on the event loop, but the lock keeps check-and-count one step even
    # when the throttle is shared with threads.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.pairs = FailureLog(self.max_failures, self.window)
        self.addresses = FailureLog(self.max_address_failures, self.window)

    def retry_after(self, key: tuple[str, str], now: float | None = None) -> float:
        """Seconds until `key` (address, name) may try again; 0 when it may now."""
        now = time.monotonic() if now is None else now
        with self.lock:
            return self._retry_after(key, now)

    def begin(self, key: tuple[str, str], now: float | None = None) -> float:
        """Count an attempt as failed unless refused: 0 when it may go ahead, else the wait."""
        now = time.monotonic() if now is None else now
        with self.lock:
            wait = self._retry_after(key, now)
            if wait <= 0:
                self._add(key, now)
            return wait

    def succeeded(self, key: tuple[str, str]) -> None:
        """Forget the pair's failures; the address keeps all but this attempt's own."""
        with self.lock:
            self.pairs.clear(key)
            self.addresses.take_back_one(key[0])

    def _retry_after(self, key: tuple[str, str], now: float) -> float:
        return max(self.pairs.retry_after(key, now), self.addresses.retry_after(key[0], now))

    def _add(self, key: tuple[str, str], now: float) -> None:
        self.pairs.add(key, now)
        self.addresses.add(key[0], now)


def login_key(request: Request, username: str) -> tuple[str, str]:
    return (request.client.host if request.client else "?", username.strip().lower())


def throttle_of(request: Request) -> LoginThrottle:
    throttle: LoginThrottle | None = getattr(request.app.state, "login_throttle", None)
    if throttle is None:
        throttle = request.app.state.login_throttle = LoginThrottle()
    return throttle


def begin_login(request: Request, username: str) -> None:
    """Count this login as failed until `login_succeeded`; HTTPException 429 when too many have."""
    wait = throttle_of(request).begin(login_key(request, username))
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        raise HTTPException(
            429,
            f"Too many failed logins; try again in {minutes} minute{'s' * (minutes > 1)}.",
            headers={"Retry-After": str(math.ceil(wait))},
        )


def login_succeeded(request: Request, username: str) -> None:
    throttle_of(request).succeeded(login_key(request, username))
