"""The Miniflux v1 subset through the ASGI client: auth, feeds, categories, entries, state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from newsdesk.web.sync.auth import auth_token
from sync_fixtures import PASSWORD, TITLES, Seeded, reading_state, seed


@pytest.fixture
def api(settings: Settings) -> Iterator[tuple[TestClient, Seeded, str]]:
    store = open_store(settings.database_url)
    seeded = seed(store)
    token = auth_token(store, seeded.user)
    with TestClient(create_app(settings, store, refresh=False)) as http:
        http.auth = ("reader", PASSWORD)
        yield http, seeded, token
    store.close()


def test_basic_auth_and_token(api: tuple[TestClient, Seeded, str]) -> None:
    http, seeded, token = api
    me = http.get("/v1/me").json()
    assert (me["id"], me["username"], me["is_admin"]) == (seeded.user.id, "reader", False)
    assert http.get("/v1/me", auth=("reader", "wrong")).status_code == 401
    anonymous = TestClient(http.app)
    assert anonymous.get("/v1/feeds").json() == {"error_message": "Access Unauthorized"}
    assert anonymous.get("/v1/feeds").status_code == 401
    assert anonymous.get("/v1/me", headers={"X-Auth-Token": token}).status_code == 200
    assert anonymous.get("/v1/me", headers={"X-Auth-Token": "reader/x"}).status_code == 401


def test_categories_and_feeds(api: tuple[TestClient, Seeded, str]) -> None:
    http, seeded, _ = api
    categories = {c["title"]: c["id"] for c in http.get("/v1/categories").json()}
    assert categories == {"All": 1, "world": 2}
    feeds = {f["id"]: f for f in http.get("/v1/feeds").json()}
    world = feeds[seeded.world_id]
    assert world["title"] == "World Wire"
    assert world["feed_url"] == "https://world.example/feed"
    assert world["category"] == {
        "id": 2,
        "title": "world",
        "user_id": seeded.user.id,
        "hide_globally": False,
    }
    assert feeds[seeded.misc_id]["category"]["id"] == 1
    assert world["checked_at"] == "2024-05-01T12:00:00Z"  # its last fetch, from its health
    assert (world["parsing_error_count"], world["parsing_error_message"]) == (0, "")
    counters = http.get("/v1/feeds/counters").json()
    assert counters["unreads"] == {str(seeded.world_id): 5, str(seeded.misc_id): 3}


def test_feed_entries_newest_first_with_limit_and_offset(
    api: tuple[TestClient, Seeded, str],
) -> None:
    http, seeded, _ = api
    url = f"/v1/feeds/{seeded.world_id}/entries"
    page = http.get(url, params={"order": "published_at", "direction": "desc", "limit": 2}).json()
    assert page["total"] == 5
    assert [e["title"] for e in page["entries"]] == list(TITLES[:2])
    entry = page["entries"][0]
    assert entry["status"] == "unread" and entry["starred"] is False
    assert entry["published_at"] == "2024-05-01T12:00:00Z"
    assert entry["feed_id"] == seeded.world_id and entry["feed"]["id"] == seeded.world_id
    more = http.get(url, params={"direction": "desc", "limit": 2, "offset": 2}).json()
    assert [e["title"] for e in more["entries"]] == list(TITLES[2:4])
    oldest = http.get(url, params={"direction": "asc", "limit": 1}).json()
    assert [e["title"] for e in oldest["entries"]] == [TITLES[-1]]
    assert http.get("/v1/feeds/424242/entries").status_code == 404


def test_put_entries_changes_status(api: tuple[TestClient, Seeded, str]) -> None:
    http, seeded, _ = api
    ids = list(seeded.article_ids[:3])
    done = http.put("/v1/entries", json={"entry_ids": ids, "status": "read"})
    assert done.status_code == 204 and done.content == b""
    unread = http.get("/v1/entries", params={"status": "unread", "limit": 100}).json()
    assert unread["total"] == 5
    read = http.get("/v1/entries", params={"status": "read"}).json()
    assert sorted(e["id"] for e in read["entries"]) == sorted(ids)
    # Marking moves changed_at (fetched in 2024, marked now); unmarked entries keep theirs.
    assert all(e["changed_at"] > e["created_at"] for e in read["entries"])
    untouched = http.get("/v1/entries", params={"status": "unread", "limit": 1}).json()
    assert all(e["changed_at"] == e["created_at"] for e in untouched["entries"])
    assert (
        http.put("/v1/entries", json={"entry_ids": ids[:1], "status": "unread"}).status_code == 204
    )
    assert http.get("/v1/entries", params={"status": "unread"}).json()["total"] == 6
    assert http.put("/v1/entries", json={"entry_ids": ids, "status": "bogus"}).status_code == 400
    assert http.put("/v1/entries", json={"entry_ids": []}).status_code == 400


def test_entries_by_category_bookmark_and_mark_feed_read(
    api: tuple[TestClient, Seeded, str],
) -> None:
    http, seeded, _ = api
    world = http.get("/v1/entries", params={"category_id": 2}).json()
    assert world["total"] == 5
    assert http.get("/v1/categories/1/entries").json()["total"] == 3
    first = seeded.article_ids[0]
    assert http.put(f"/v1/entries/{first}/bookmark").status_code == 204
    assert http.get(f"/v1/entries/{first}").json()["starred"] is True
    starred = http.get("/v1/entries", params={"starred": "true"}).json()
    assert [e["id"] for e in starred["entries"]] == [first]
    assert http.put(f"/v1/feeds/{seeded.misc_id}/mark-all-as-read").status_code == 204
    assert http.get("/v1/entries", params={"status": "unread"}).json()["total"] == 5


HUGE = "99999999999999999999"  # past 2**64: SQLite cannot even bind it


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("GET", f"/v1/entries?offset={HUGE}", None, 400),
        ("GET", "/v1/entries?offset=-1", None, 400),
        ("GET", "/v1/entries?limit=-1", None, 400),
        ("GET", f"/v1/entries?limit={HUGE}", None, 400),
        ("GET", f"/v1/entries?feed_id={HUGE}", None, 400),
        ("GET", f"/v1/entries?category_id={HUGE}", None, 400),
        ("GET", "/v1/entries?after=inf", None, 400),
        ("GET", "/v1/entries?before=-inf", None, 400),
        ("GET", f"/v1/entries/{HUGE}", None, 404),
        ("GET", f"/v1/entries/{'9' * 1000}", None, 404),
        ("GET", "/v1/entries/abc", None, 404),
        ("GET", f"/v1/feeds/{HUGE}", None, 404),
        ("GET", f"/v1/feeds/{HUGE}/entries", None, 404),
        ("GET", f"/v1/categories/{HUGE}/entries", None, 404),
        ("PUT", f"/v1/entries/{HUGE}/bookmark", None, 404),
        ("PUT", f"/v1/feeds/{HUGE}/mark-all-as-read", None, 404),
        ("PUT", "/v1/feeds/424242/mark-all-as-read", None, 404),
        ("PUT", "/v1/entries", {"entry_ids": [int(HUGE)], "status": "read"}, 400),
        ("PUT", "/v1/entries", {"entry_ids": [2**63], "status": "read"}, 400),
        ("PUT", "/v1/entries", {"entry_ids": [True], "status": "read"}, 400),
        ("PUT", "/v1/entries", {"entry_ids": [1.7], "status": "read"}, 400),
        ("PUT", "/v1/entries", {"entry_ids": [1.0], "status": "read"}, 400),
        ("PUT", "/v1/entries", {"entry_ids": ["1"], "status": "read"}, 400),
        ("PUT", "/v1/entries", {"entry_ids": [-1], "status": "read"}, 400),
        ("PUT", "/v1/entries", {"entry_ids": "12", "status": "read"}, 400),
    ],
)
def test_out_of_range_input_is_a_json_client_error_that_changes_nothing(
    api: tuple[TestClient, Seeded, str], method: str, path: str, body: Any, status: int
) -> None:
    http, seeded, _ = api
    store = http.app.state.store  # type: ignore[attr-defined]
    before = reading_state(store, seeded.user.id)
    got = http.request(method, path, json=body)
    assert got.status_code == status, got.text
    assert got.headers["content-type"] == "application/json"
    assert isinstance(got.json()["error_message"], str)
    assert reading_state(store, seeded.user.id) == before


def test_limit_zero_means_the_default_page(api: tuple[TestClient, Seeded, str]) -> None:
    http, _, _ = api
    page = http.get("/v1/entries", params={"limit": 0}).json()
    assert page["total"] == 8 and len(page["entries"]) == 8


def test_entries_can_be_searched(api: tuple[TestClient, Seeded, str]) -> None:
    http, seeded, _ = api
    found = http.get("/v1/entries", params={"search": "café"}).json()
    assert (found["total"], [e["title"] for e in found["entries"]]) == (1, [TITLES[3]])
    misc = http.get("/v1/entries", params={"search": "misc", "limit": 2}).json()
    assert misc["total"] == 3 and [e["title"] for e in misc["entries"]] == ["Misc 1", "Misc 2"]
    in_feed = http.get(f"/v1/feeds/{seeded.world_id}/entries", params={"search": "misc"})
    assert in_feed.json()["total"] == 0


def test_a_failing_feed_shows_its_error(
    api: tuple[TestClient, Seeded, str], settings: Settings
) -> None:
    from store_fixtures import outcome

    http, seeded, _ = api
    store = open_store(settings.database_url)
    failed = outcome(
        seeded.misc_id, status=500, error="HTTP 500 Internal Server Error", failed=True
    )
    store.save_outcome(failed)
    store.close()
    misc = http.get(f"/v1/feeds/{seeded.misc_id}").json()
    assert misc["parsing_error_count"] == 1
    assert misc["parsing_error_message"] == "HTTP 500 Internal Server Error"
    listed = {f["id"]: f for f in http.get("/v1/feeds").json()}
    assert listed[seeded.misc_id]["parsing_error_count"] == 1
