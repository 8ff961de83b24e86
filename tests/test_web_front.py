"""The first page lists the latest headlines from the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.testclient import TestClient

from newsdesk.models import NewArticle
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.store.base import FetchOutcome
from newsdesk.web.app import create_app
from newsdesk.web.templating import relative_time

NOW = datetime.now(UTC)


def _seed(settings: Settings) -> None:
    store = open_store(settings.database_url)
    source = store.add_source("https://feeds.example/world.xml", title="Example World")
    dated = [
        NewArticle(
            source_id=source.id,
            guid=f"g{i}",
            url=f"https://example.com/{i}",
            canonical_url=f"https://example.com/{i}",
            title=f"Headline number {i}",
            published=NOW - timedelta(hours=i),
        )
        for i in range(3)
    ]
    articles = (
        *dated,
        NewArticle(
            source_id=source.id,
            guid="xss",
            url="javascript:alert(1)",
            canonical_url="https://example.com/xss",
            title="<script>alert(1)</script>",
            published=NOW - timedelta(days=3),
        ),
        NewArticle(
            source_id=source.id,
            guid="wn",
            url="http://127.0.0.1:9/news/x",
            canonical_url="https://en.wikinews.org/wiki/X",
            title="Wikinews story",
            published=NOW - timedelta(days=4),
        ),
    )
    store.save_outcome(
        FetchOutcome(
            source_id=source.id,
            fetched_at=NOW,
            status=200,
            error="",
            failed=False,
            entries_seen=len(articles),
            duration_ms=1,
            interval_seconds=600,
            next_due_at=NOW + timedelta(hours=1),
            articles=articles,
        )
    )
    store.close()


def test_front_page_lists_latest_headlines(settings: Settings) -> None:
    _seed(settings)
    with TestClient(create_app(settings, refresh=False)) as client:
        response = client.get("/")
        article_ids = [a.id for a in client.app.state.store.latest_articles(10)]
        article_pages = [client.get(f"/article/{i}").text for i in article_ids]
    assert response.status_code == 200
    html = response.text
    assert html.index("Headline number 0") < html.index("Headline number 2")
    assert "Example World" in html
    assert "1 hour ago" in html
    # Headlines open the article page, which links to the original.
    assert f'href="/article/{article_ids[1]}"' in html
    assert 'href="https://example.com/1" rel="noopener noreferrer"' in article_pages[1]
    for page in [html, *article_pages]:
        assert "<script>alert(1)</script>" not in page
        assert 'href="javascript:' not in page
    assert "&lt;script&gt;" in html
    assert "https://en.wikinews.org/wiki/X" in html and "CC BY 2.5" in html
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_empty_store_says_what_to_do(settings: Settings) -> None:
    with TestClient(create_app(settings, refresh=False)) as client:
        response = client.get("/")
        assert "No headlines yet" in response.text
        assert client.get("/healthz").json() == {"status": "ok", "articles": 0}


def test_relative_time() -> None:
    assert relative_time(NOW - timedelta(seconds=5), NOW) == "just now"
    assert relative_time(NOW - timedelta(minutes=1), NOW) == "1 minute ago"
    assert relative_time(NOW - timedelta(hours=5), NOW) == "5 hours ago"
    assert relative_time(NOW - timedelta(days=2), NOW) == "2 days ago"


def test_relative_time_of_a_future_moment_is_its_date() -> None:
    now = datetime(2024, 3, 9, 12, 0, tzinfo=UTC)
    assert relative_time(now, now) == "just now"
    assert relative_time(now - timedelta(seconds=59), now) == "just now"
    assert relative_time(now + timedelta(seconds=30), now) == "9 Mar 2024"
    assert relative_time(now + timedelta(days=3), now) == "12 Mar 2024"
