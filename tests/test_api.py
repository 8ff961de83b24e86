"""The JSON API: lists, filters, cursors, single items and JSON errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.web.app import create_app
from site_data import Site, seed_site


@pytest.fixture
def site(settings: Settings) -> Site:
    return seed_site(settings.database_url)


@pytest.fixture
def client(settings: Settings, site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(settings, refresh=False)) as client:
        yield client


def test_articles_page_through_with_a_cursor(client: TestClient) -> None:
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        params = {"limit": "3", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/articles", params=params).json()
        seen.extend(item["id"] for item in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    everything = client.get("/api/v1/articles", params={"limit": "100"}).json()
    assert [a["id"] for a in everything["items"]] == seen
    assert everything["next_cursor"] is None


def test_article_filters(client: TestClient, site: Site) -> None:
    def titles(**params: str) -> set[str]:
        return {a["title"] for a in client.get("/api/v1/articles", params=params).json()["items"]}

    assert titles(section="business") == {
        "Central bank holds interest rates",
        "Markets rally after rate decision",
    }
    assert titles(place="ua") == {
        "Ceasefire talks resume in Geneva",
        "Geneva talks: negotiators meet again",
    }
    assert "Ceasefire talks resume in Geneva" in titles(topic="vladimir-putin", region="europe")
    assert titles(source=str(site.sources["planet"]), section="world") == {
        "Geneva talks: negotiators meet again"
    }
    assert titles(since="2001-01-01", until="2001-01-02") == set()


def test_single_items(client: TestClient, site: Site) -> None:
    article = client.get(f"/api/v1/articles/{site.articles['talks']}").json()
    assert article["section"] == "world" and article["author"] == "Ana Reporter"
    assert article["places"] == ["UA", "CH"] and article["topics"][0]["key"] == "vladimir putin"
    assert article["text"].startswith("Negotiators met")
    story = client.get(f"/api/v1/stories/{site.stories['talks']}").json()
    assert story["outlet_count"] == 3 and len(story["articles"]) == 3
    stories = client.get("/api/v1/stories", params={"limit": "2"}).json()
    assert [s["title"] for s in stories["items"]] == [
        "Ceasefire talks resume",
        "Central bank holds rates",
    ]
    rest = client.get("/api/v1/stories", params={"cursor": stories["next_cursor"]}).json()
    assert [s["title"] for s in rest["items"]] == ["Derby double"]
    sections = client.get("/api/v1/sections").json()["items"]
    world = next(s for s in sections if s["name"] == "world")
    assert world["stories_today"] == 1 and "europe" in world["regions"]
    sources = client.get("/api/v1/sources").json()["items"]
    assert {s["title"] for s in sources} == {"Wire Service", "Daily Planet", "Morning Post"}
    source = client.get(f"/api/v1/sources/{site.sources['wire']}").json()
    assert source["health"]["last_status"] == 200


def test_search(client: TestClient) -> None:
    body = client.get(
        "/api/v1/search", params={"q": "central", "sort": "time", "limit": "1"}
    ).json()
    assert [a["title"] for a in body["items"]] == ["Markets rally after rate decision"]
    more = client.get(
        "/api/v1/search",
        params={"q": "central", "sort": "time", "cursor": body["next_cursor"], "limit": "1"},
    ).json()
    assert [a["title"] for a in more["items"]] == ["Central bank holds interest rates"]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/v1/articles?limit=0", 400, "limit must be"),
        ("/api/v1/articles?limit=abc", 400, "limit must be"),
        ("/api/v1/articles?section=nope", 400, "unknown section"),
        ("/api/v1/articles?place=Ukraine", 400, "two-letter"),
        ("/api/v1/articles?since=yesterday", 400, "ISO 8601"),
        ("/api/v1/articles?cursor=!!!", 400, "cursor"),
        ("/api/v1/stories?cursor=WzFd", 400, "cursor"),
        ("/api/v1/search", 400, "q (the words"),
        ("/api/v1/search?q=x&from=May", 400, "from must be a date"),
        ("/api/v1/articles/999", 404, "not found"),
        ("/api/v1/articles/abc", 404, "not found"),
        ("/api/v1/stories/999", 404, "not found"),
        ("/api/v1/sources/999", 404, "not found"),
        ("/api/v1/nothing", 404, "Not Found"),
    ],
)
def test_errors_are_json(client: TestClient, path: str, status: int, message: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == status and message in error["message"]


def test_wrong_method_is_a_json_405(client: TestClient) -> None:
    response = client.post("/api/v1/articles")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_article_without_a_safe_link_has_null_urls(
    client: TestClient, site: Site, settings: Settings
) -> None:
    from site_data import execute

    execute(
        settings.database_url,
        "UPDATE articles SET url = 'javascript:alert(1)', canonical_url = 'guid:1:x' WHERE id = ?",
        (site.articles["derby"],),
    )
    body = client.get(f"/api/v1/articles/{site.articles['derby']}").json()
    assert (body["url"], body["canonical_url"]) == (None, None)  # never "#"
    talks = client.get(f"/api/v1/articles/{site.articles['talks']}").json()
    assert talks["url"].startswith("https://")
