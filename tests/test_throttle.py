"""Password guessing is refused after ten failures on any login path; others are not locked out."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from newsdesk.passwords import N, P, R
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from newsdesk.web.throttle import (
    MAX_ADDRESS_FAILURES,
    MAX_FAILURES,
    MAX_TRACKED,
    WINDOW_SECONDS,
    LoginThrottle,
)
from sync_fixtures import PASSWORD, seed

LOGIN = "/api/greader.php/accounts/ClientLogin"


def test_failures_in_the_window_refuse_until_the_oldest_expires() -> None:
    throttle, key = LoginThrottle(), ("10.0.0.1", "reader")
    for n in range(MAX_FAILURES - 1):
        throttle.begin(key, now=float(n))
    assert throttle.retry_after(key, now=10.0) == 0
    throttle.begin(key, now=10.0)
    assert throttle.retry_after(key, now=11.0) == pytest.approx(WINDOW_SECONDS - 11.0)
    assert throttle.retry_after(("10.0.0.2", "reader"), now=11.0) == 0  # another address
    assert throttle.retry_after(("10.0.0.1", "other"), now=11.0) == 0  # another name
    assert throttle.retry_after(key, now=WINDOW_SECONDS + 0.5) == 0  # the first one expired
    throttle.succeeded(key)
    assert throttle.retry_after(key, now=11.0) == 0


def test_an_attempt_counts_as_failed_from_its_start_until_it_succeeds() -> None:
    throttle, key = LoginThrottle(), ("10.0.0.1", "reader")
    # Ten attempts whose passwords are still being checked: the eleventh must wait.
    assert [throttle.begin(key, now=1.0) for _ in range(MAX_FAILURES)] == [0] * MAX_FAILURES
    assert throttle.begin(key, now=2.0) == pytest.approx(WINDOW_SECONDS - 1.0)
    throttle.succeeded(key)  # one of them had the right password
    assert throttle.begin(key, now=3.0) == 0


def test_a_flood_of_other_names_does_not_lift_a_lockout() -> None:
    throttle, locked = LoginThrottle(), ("10.0.0.1", "admin")
    for _ in range(MAX_FAILURES):
        throttle.begin(locked, now=1.0)
    # Twice as many records as are kept, each from its own address, so none of them is locked.
    for i in range(2 * MAX_TRACKED):
        throttle.begin((f"10.1.{i // 250}.{i % 250}", f"nobody{i}"), now=2.0)
    assert throttle.retry_after(locked, now=3.0) == pytest.approx(WINDOW_SECONDS - 2.0)


def test_one_address_failing_for_many_names_is_refused_for_every_name() -> None:
    throttle = LoginThrottle()
    for i in range(MAX_ADDRESS_FAILURES):
        assert throttle.retry_after(("10.0.0.1", f"nobody{i}"), now=1.0) == 0
        throttle.begin(("10.0.0.1", f"nobody{i}"), now=1.0)
    assert throttle.retry_after(("10.0.0.1", "reader"), now=2.0) == pytest.approx(
        WINDOW_SECONDS - 1.0
    )
    assert throttle.retry_after(("10.0.0.2", "reader"), now=2.0) == 0  # another address


def test_a_success_takes_back_only_its_own_attempt_from_the_address() -> None:
    throttle = LoginThrottle()
    for i in range(MAX_ADDRESS_FAILURES - 1):
        throttle.begin(("10.0.0.1", f"nobody{i}"), now=1.0)
    assert throttle.begin(("10.0.0.1", "reader"), now=2.0) == 0  # the last one allowed
    assert throttle.begin(("10.0.0.1", "anyone"), now=2.0) > 0
    throttle.succeeded(("10.0.0.1", "reader"))
    assert throttle.begin(("10.0.0.1", "anyone"), now=3.0) == 0
    assert throttle.begin(("10.0.0.1", "reader"), now=4.0) == pytest.approx(WINDOW_SECONDS - 3.0)


def test_one_address_leaves_at_most_its_limit_of_records() -> None:
    throttle = LoginThrottle()
    for i in range(2 * MAX_TRACKED):
        throttle.begin(("10.0.0.1", f"nobody{i}"), now=1.0)
    assert len(throttle.pairs.times) == MAX_ADDRESS_FAILURES


@pytest.fixture
def http(settings: Settings) -> Iterator[TestClient]:
    store = open_store(settings.database_url)
    seed(store)
    with TestClient(create_app(settings, store, refresh=False)) as client:
        yield client
    store.close()


def test_client_login_and_basic_auth_get_429_after_ten_wrong_passwords(http: TestClient) -> None:
    for _ in range(MAX_FAILURES):
        bad = http.post(LOGIN, data={"Email": "reader", "Passwd": "guess"})
        assert bad.status_code == 401
    # Now even the right password is refused, with a clear reason and when to come back.
    refused = http.post(LOGIN, data={"Email": "reader", "Passwd": PASSWORD})
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.json()["error"]["message"]
    assert 0 < int(refused.headers["retry-after"]) <= WINDOW_SECONDS
    basic = http.get("/v1/me", auth=("reader", PASSWORD))
    assert basic.status_code == 429 and "Too many" in basic.json()["error_message"]
    assert "retry-after" in basic.headers


def test_unknown_names_count_too_and_a_success_clears_the_count(http: TestClient) -> None:
    for _ in range(MAX_FAILURES):
        http.post(LOGIN, data={"Email": "nobody", "Passwd": "guess"})
    assert http.post(LOGIN, data={"Email": "nobody", "Passwd": "guess"}).status_code == 429
    for _ in range(MAX_FAILURES - 1):
        http.post(LOGIN, data={"Email": "reader", "Passwd": "guess"})
    assert http.post(LOGIN, data={"Email": "reader", "Passwd": PASSWORD}).status_code == 200
    for _ in range(MAX_FAILURES - 1):  # counting starts again from zero
        assert http.get("/v1/me", auth=("reader", "guess")).status_code == 401
    assert http.get("/v1/me", auth=("reader", PASSWORD)).status_code == 200


def test_an_unknown_name_costs_a_full_password_check_on_every_path(
    http: TestClient, scrypt_calls: list[tuple[int, int, int]]
) -> None:
    """Answering an unknown name without hashing would tell, by the time taken, which are real."""
    assert http.post(LOGIN, data={"Email": "nobody", "Passwd": "guess"}).status_code == 401
    assert http.get("/v1/me", auth=("nobody", "guess")).status_code == 401
    found = re.search(r'name="csrf" value="([^"]+)"', http.get("/admin/login").text)
    assert found
    form = {"csrf": found.group(1), "username": "nobody", "password": "guess"}
    assert http.post("/admin/login", data=form).status_code == 401
    assert scrypt_calls == [(N, R, P)] * 3
