"""Password guessing is refused after ten failures on any login path; others are not locked out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from newsdesk.web.throttle import MAX_FAILURES, WINDOW_SECONDS, LoginThrottle
from sync_fixtures import PASSWORD, seed

LOGIN = "/api/greader.php/accounts/ClientLogin"


def test_failures_in_the_window_refuse_until_the_oldest_expires() -> None:
    throttle, key = LoginThrottle(), ("10.0.0.1", "reader")
    for n in range(MAX_FAILURES - 1):
        throttle.failed(key, now=float(n))
    assert throttle.retry_after(key, now=10.0) == 0
    throttle.failed(key, now=10.0)
    assert throttle.retry_after(key, now=11.0) == pytest.approx(WINDOW_SECONDS - 11.0)
    assert throttle.retry_after(("10.0.0.2", "reader"), now=11.0) == 0  # another address
    assert throttle.retry_after(("10.0.0.1", "other"), now=11.0) == 0  # another name
    assert throttle.retry_after(key, now=WINDOW_SECONDS + 0.5) == 0  # the first one expired
    throttle.succeeded(key)
    assert key not in throttle.failures


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
