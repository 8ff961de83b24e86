"""GET /metrics (Prometheus text) and /readyz, on both stores, through the ASGI client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import Store
from newsdesk.web.app import create_app
from store_fixtures import article, outcome

SAMPLE = re.compile(r"^[a-z_]+(\{[a-z_]+=\"[^\"]*\"\})? (-?[0-9.e+]+|NaN)$")


@pytest.fixture
def client(store: Store, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store, refresh=False)) as test_client:
        yield test_client


def samples(text: str) -> dict[str, float]:
    values = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        assert SAMPLE.match(line), line
        name, value = line.rsplit(" ", 1)
        values[name] = float(value)
    return values


def test_metrics_report_refreshes_errors_latency_and_counts(
    client: TestClient, store: Store
) -> None:
    now = datetime.now(UTC)
    good, bad = store.add_source("https://a.example/feed"), store.add_source("https://b.example/")
    later = now + timedelta(hours=1)
    store.save_outcome(
        outcome(
            good.id,
            article(good.id, 1),
            article(good.id, 2),
            fetched_at=now,
            duration_ms=250,
            next_due_at=later,
        )
    )
    store.save_outcome(
        outcome(
            bad.id,
            fetched_at=now,
            status=503,
            error="HTTP 503",
            failed=True,
            duration_ms=1500,
            next_due_at=later,
        )
    )
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    values = samples(response.text)
    assert values["newsdesk_sources"] == 2
    assert values["newsdesk_sources_failing"] == 1
    assert values["newsdesk_articles"] == 2
    assert values["newsdesk_entries"] == 2
    assert values["newsdesk_refreshes_total"] == 2
    assert values['newsdesk_recent_refreshes{result="ok"}'] == 1
    assert values['newsdesk_recent_refreshes{result="error"}'] == 1
    assert values["newsdesk_recent_new_articles"] == 2
    assert values["newsdesk_refresh_duration_seconds_count"] == 2
    assert values["newsdesk_refresh_duration_seconds_sum"] == pytest.approx(1.75)
    assert values['newsdesk_refresh_duration_seconds{quantile="0.99"}'] == pytest.approx(1.5)
    # No job queue here: PostgreSQL has none until a worker installs it, SQLite never.
    assert not any(name.startswith("newsdesk_queue_jobs") for name in values)


def test_metrics_of_an_empty_store_are_well_formed(client: TestClient) -> None:
    values = samples(client.get("/metrics").text)
    assert values["newsdesk_articles"] == 0
    assert values["newsdesk_refresh_duration_seconds_count"] == 0


def test_ready_when_the_store_answers(client: TestClient, store: Store) -> None:
    assert client.get("/readyz").json() == {"status": "ready"}
    store.close()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
