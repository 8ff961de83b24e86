"""Password guessing is slowed down: too many failed logins from one address for one user name.

Every login path (the admin form, Google Reader's ClientLogin, HTTP Basic on the Miniflux API)
asks `check` before it hashes a password and reports each failure. After `MAX_FAILURES` failures
within `WINDOW_SECONDS` for one (client address, user name) pair, that pair gets 429 with a
Retry-After until the oldest failure leaves the window; a success clears the pair. Keyed by both,
so a guesser cannot lock a user out from other addresses. The record lives in this process: each
web process of a PostgreSQL deployment keeps its own.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException
from starlette.requests import Request

MAX_FAILURES = 10
WINDOW_SECONDS = 600.0
MAX_TRACKED = 10_000


@dataclass
class LoginThrottle:
    max_failures: int = MAX_FAILURES
    window: float = WINDOW_SECONDS
    failures: dict[tuple[str, str], deque[float]] = field(default_factory=dict)

    def retry_after(self, key: tuple[str, str], now: float | None = None) -> float:
        """Seconds until `key` may try again; 0 when it may now."""
        now = time.monotonic() if now is None else now
        times = self.failures.get(key)
        if times is None:
            return 0.0
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self.failures[key]
            return 0.0
        if len(times) < self.max_failures:
            return 0.0
        return times[0] + self.window - now

    def failed(self, key: tuple[str, str], now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self.failures) >= MAX_TRACKED and key not in self.failures:
            self._forget_expired(now)
        self.failures.setdefault(key, deque(maxlen=self.max_failures)).append(now)

    def succeeded(self, key: tuple[str, str]) -> None:
        self.failures.pop(key, None)

    def _forget_expired(self, now: float) -> None:
        self.failures = {k: v for k, v in self.failures.items() if v and v[-1] > now - self.window}
        while len(self.failures) >= MAX_TRACKED:  # still full: drop the oldest record
            del self.failures[next(iter(self.failures))]


def login_key(request: Request, username: str) -> tuple[str, str]:
    return (request.client.host if request.client else "?", username.strip().lower())


def throttle_of(request: Request) -> LoginThrottle:
    throttle: LoginThrottle | None = getattr(request.app.state, "login_throttle", None)
    if throttle is None:
        throttle = request.app.state.login_throttle = LoginThrottle()
    return throttle


def refuse_if_throttled(request: Request, username: str) -> None:
    """HTTPException 429 when this address has failed too often for this user name."""
    wait = throttle_of(request).retry_after(login_key(request, username))
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        raise HTTPException(
            429,
            f"Too many failed logins; try again in {minutes} minute{'s' * (minutes > 1)}.",
            headers={"Retry-After": str(math.ceil(wait))},
        )


def record_login(request: Request, username: str, ok: bool) -> None:
    throttle, key = throttle_of(request), login_key(request, username)
    if ok:
        throttle.succeeded(key)
    else:
        throttle.failed(key)
