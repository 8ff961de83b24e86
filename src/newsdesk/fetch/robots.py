"""robots.txt (RFC 9309): fetched through the same client, parsed by protego, cached per origin."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from protego import Protego
from yarl import URL

from newsdesk.fetch.errors import BlockedAddressError, FetchError, HTTPStatusError
from newsdesk.fetch.result import FetchResult

USER_AGENT_TOKEN = "newsdesk"
CACHE_SECONDS = 3600.0


@dataclass(frozen=True)
class _Rules:
    """One origin's verdict: parsed rules, or a blanket allow/deny when there are none."""

    parser: Protego | None
    allow_all: bool
    expires_at: float
    why: str = ""

    def refusal(self, url: str, token: str) -> str | None:
        if self.parser is None:
            return None if self.allow_all else self.why
        return None if self.parser.can_fetch(url, token) else "robots.txt disallows it"


class RobotsCache:
    """Answers "may newsdesk fetch this URL?", fetching each origin's robots.txt at most hourly."""

    def __init__(
        self,
        fetch: Callable[[str], Awaitable[FetchResult]],
        *,
        token: str = USER_AGENT_TOKEN,
        ttl: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._token = token
        self._ttl = ttl
        self._clock = clock
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        """Return True if robots.txt of ``url``'s origin lets newsdesk fetch it."""
        return await self.refusal(url) is None

    async def refusal(self, url: str) -> str | None:
        """Return why robots.txt forbids fetching ``url``, or None if it may be fetched."""
        parsed = URL(url)
        origin = str(parsed.origin())
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            rules = self._rules.get(origin)
            if rules is None or rules.expires_at <= self._clock():
                rules = await self._load(origin)
                self._rules[origin] = rules
        return rules.refusal(url, self._token)

    async def _load(self, origin: str) -> _Rules:
        expires_at = self._clock() + self._ttl
        try:
            result = await self._fetch(origin + "/robots.txt")
        except HTTPStatusError as exc:
            # RFC 9309 2.3.1.3: "unavailable" (4xx) allows everything; 2.3.1.4: 5xx disallows.
            # 429 is a request to slow down, not a missing file, so it counts as unreachable.
            unavailable = exc.status is not None and 400 <= exc.status < 500 and exc.status != 429
            why = f"robots.txt answered HTTP {exc.status}"
            return _Rules(None, allow_all=unavailable, expires_at=expires_at, why=why)
        except BlockedAddressError:
            raise
        except FetchError as exc:
            why = f"robots.txt unreachable ({exc})"
            return _Rules(None, allow_all=False, expires_at=expires_at, why=why)
        return _Rules(Protego.parse(result.text()), allow_all=True, expires_at=expires_at)
