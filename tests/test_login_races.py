"""Guesses sent all at once still meet the login throttle, on the app served for real.

Each password check takes ~50 ms in a thread, so without counting an attempt before its check,
every guess of a burst would pass the throttle before the first failure was recorded.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest

from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.web.throttle import MAX_ADDRESS_FAILURES, MAX_FAILURES
from sync_fixtures import PASSWORD, served

BURST = 4 * MAX_FAILURES
ADMIN_PASSWORD = "admin password 1"
Guess = Callable[[str], Awaitable[int]]  # a password in, the HTTP status out


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings.database_url)
    opened.add_user("reader", PASSWORD)
    opened.add_user("admin", ADMIN_PASSWORD, is_admin=True)
    yield opened
    opened.close()


async def admin_form(client: httpx.AsyncClient) -> Guess:
    page = (await client.get("/admin/login")).text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no CSRF field"
    token = found.group(1)  # one form, many guesses: as a script would

    async def guess(password: str) -> int:
        data = {"csrf": token, "username": "admin", "password": password}
        return (await client.post("/admin/login", data=data)).status_code

    return guess


async def client_login(client: httpx.AsyncClient) -> Guess:
    async def guess(password: str) -> int:
        data = {"Email": "reader", "Passwd": password}
        response = await client.post("/api/greader.php/accounts/ClientLogin", data=data)
        return response.status_code

    return guess


async def basic(client: httpx.AsyncClient, username: str = "reader") -> Guess:
    async def guess(password: str) -> int:
        return (await client.get("/v1/me", auth=(username, password))).status_code

    return guess


def unlimited(base: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base, limits=httpx.Limits(max_connections=None), timeout=60)


async def burst_then_right_password(
    base: str, login: Callable[[httpx.AsyncClient], Awaitable[Guess]], right: str
) -> tuple[Counter[int], int]:
    async with unlimited(base) as client:
        guess = await login(client)
        wrong = await asyncio.gather(*(guess(f"wrong guess {i}") for i in range(BURST)))
        return Counter(wrong), await guess(right)


@pytest.mark.parametrize(
    ("login", "right"),
    [(admin_form, ADMIN_PASSWORD), (client_login, PASSWORD), (basic, PASSWORD)],
    ids=["admin-form", "client-login", "basic"],
)
def test_a_burst_of_wrong_passwords_gets_no_more_guesses_than_the_limit(
    settings: Settings,
    store: Store,
    login: Callable[[httpx.AsyncClient], Awaitable[Guess]],
    right: str,
) -> None:
    with served(settings, store) as base:
        wrong, then = asyncio.run(burst_then_right_password(base, login, right))
    assert wrong == {401: MAX_FAILURES, 429: BURST - MAX_FAILURES}
    assert then == 429  # locked, even for the right password


async def flood_then_real_name(base: str) -> tuple[Counter[int], Counter[int], int]:
    """Lock the reader's name, try twice the address's limit of made-up names at once."""
    async with unlimited(base) as client:
        reader = await basic(client)
        locking = Counter([await reader(f"wrong guess {i}") for i in range(MAX_FAILURES)])
        made_up = [await basic(client, f"nobody{i}") for i in range(2 * MAX_ADDRESS_FAILURES)]
        flood = await asyncio.gather(*(guess("x") for guess in made_up))
        return locking, Counter(flood), await reader(PASSWORD)


def test_flooding_made_up_names_is_refused_and_keeps_a_lockout(
    settings: Settings, store: Store
) -> None:
    with served(settings, store) as base:
        locking, flood, then = asyncio.run(flood_then_real_name(base))
    assert locking == {401: MAX_FAILURES}
    # The address as a whole may fail MAX_ADDRESS_FAILURES times; the reader's ten count too.
    allowed = MAX_ADDRESS_FAILURES - MAX_FAILURES
    assert flood == {401: allowed, 429: 2 * MAX_ADDRESS_FAILURES - allowed}
    assert then == 429


async def parallel_right_passwords(base: str) -> Counter[int]:
    async with unlimited(base) as client:
        reader = await basic(client)
        return Counter(await asyncio.gather(*(reader(PASSWORD) for _ in range(BURST))))


def test_a_clients_parallel_requests_with_the_right_password_all_get_in(
    settings: Settings, store: Store
) -> None:
    # Counted before its check, each request of a reader app's burst was a guess until the
    # first check succeeded: the eleventh and later got 429. They now share one check.
    with served(settings, store) as base:
        assert asyncio.run(parallel_right_passwords(base)) == {200: BURST}
