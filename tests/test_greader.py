"""The Google Reader API through the ASGI client: login, tokens, lists and counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from sync_fixtures import PASSWORD, Seeded, seed

API = "/api/greader.php/reader/api/0"


class Reader:
    """A logged-in Google Reader client."""

    def __init__(self, http: TestClient, seeded: Seeded) -> None:
        self.http = http
        self.seeded = seeded
        login = http.post(
            "/api/greader.php/accounts/ClientLogin",
            data={"Email": "reader", "Passwd": PASSWORD},
        )
        assert login.status_code == 200
        self.auth = dict(line.split("=", 1) for line in login.text.split())["Auth"]
        self.headers = {"Authorization": f"GoogleLogin auth={self.auth}"}
        self.token = self.get("/token").text

    def get(self, path: str, **params: Any) -> Any:
        return self.http.get(API + path, params=params, headers=self.headers)

    def post(self, path: str, data: list[tuple[str, str]] | dict[str, str]) -> Any:
        """A form POST; a list of pairs repeats keys (i=1&i=2), as clients send them."""
        pairs = list(data.items()) if isinstance(data, dict) else data
        headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
        return self.http.post(API + path, content=urlencode(pairs), headers=headers)


@pytest.fixture
def reader(settings: Settings) -> Iterator[Reader]:
    store = open_store(settings.database_url)
    seeded = seed(store)
    with TestClient(create_app(settings, store, refresh=False)) as http:
        yield Reader(http, seeded)
    store.close()


def test_client_login_replies_with_sid_lsid_and_auth(reader: Reader) -> None:
    reply = reader.http.get(
        "/api/greader.php/accounts/ClientLogin",
        params={"Email": "reader", "Passwd": PASSWORD},
    )
    lines = reply.text.splitlines()
    assert [line.split("=")[0] for line in lines] == ["SID", "LSID", "Auth"]
    assert PASSWORD not in reply.text
    assert reader.auth.startswith("reader/")


def test_bad_logins_and_tokens_get_401(reader: Reader) -> None:
    bad = reader.http.post(
        "/api/greader.php/accounts/ClientLogin", data={"Email": "reader", "Passwd": "nope"}
    )
    assert bad.status_code == 401 and "BadAuthentication" in bad.text
    for header in ("", "GoogleLogin auth=reader/forged", f"Bearer {reader.auth}"):
        got = reader.http.get(API + "/user-info", headers={"Authorization": header})
        assert got.status_code == 401


def test_a_new_api_password_revokes_tokens_and_cached_logins(reader: Reader) -> None:
    store = reader.http.app.state.store  # type: ignore[attr-defined]
    assert reader.get("/user-info").status_code == 200
    store.set_api_password("reader", "a brand new password")
    assert reader.get("/user-info").status_code == 401
    item = str(reader.seeded.article_ids[0])
    data = {"i": item, "a": "user/-/state/com.google/read", "T": reader.token}
    assert reader.post("/edit-tag", data).status_code == 401
    old = reader.http.post(
        "/api/greader.php/accounts/ClientLogin", data={"Email": "reader", "Passwd": PASSWORD}
    )
    assert old.status_code == 401
    new = reader.http.post(
        "/api/greader.php/accounts/ClientLogin",
        data={"Email": "reader", "Passwd": "a brand new password"},
    )
    assert new.status_code == 200


def test_post_actions_need_the_t_token(reader: Reader) -> None:
    item = str(reader.seeded.article_ids[0])
    data = {"i": item, "a": "user/-/state/com.google/read"}
    refused = reader.post("/edit-tag", data)
    assert refused.status_code == 401
    assert refused.headers["X-Reader-Google-Bad-Token"] == "true"
    assert reader.post("/edit-tag", {**data, "T": "wrong"}).status_code == 401
    assert reader.post("/edit-tag", {**data, "T": reader.token}).text == "OK"


def test_user_info(reader: Reader) -> None:
    info = reader.get("/user-info").json()
    assert info["userName"] == "reader"
    assert info["userId"] == str(reader.seeded.user.id)


def test_subscriptions_have_sections_as_categories(reader: Reader) -> None:
    subs = reader.get("/subscription/list", output="json").json()["subscriptions"]
    by_id = {s["id"]: s for s in subs}
    world = by_id[f"feed/{reader.seeded.world_id}"]
    assert world["title"] == "World Wire"
    assert world["categories"] == [{"id": "user/-/label/world", "label": "world"}]
    assert world["url"] == "https://world.example/feed"
    assert by_id[f"feed/{reader.seeded.misc_id}"]["categories"] == []


def test_tag_list(reader: Reader) -> None:
    tags = reader.get("/tag/list", output="json").json()["tags"]
    assert {"id": "user/-/state/com.google/starred"} in tags
    assert {"id": "user/-/label/world", "type": "folder"} in tags


def test_unread_count(reader: Reader) -> None:
    reader.post(
        "/edit-tag",
        {
            "i": str(reader.seeded.article_ids[0]),
            "a": "user/-/state/com.google/read",
            "T": reader.token,
        },
    )
    rows = reader.get("/unread-count", output="json").json()["unreadcounts"]
    counts = {r["id"]: r["count"] for r in rows}
    assert counts == {
        "user/-/state/com.google/reading-list": 7,
        f"feed/{reader.seeded.world_id}": 4,
        f"feed/{reader.seeded.misc_id}": 3,
        "user/-/label/world": 4,
    }
    assert all(int(r["newestItemTimestampUsec"]) > 10**15 for r in rows)


def test_subscription_edit_and_quickadd(reader: Reader) -> None:
    misc = f"feed/{reader.seeded.misc_id}"
    edit = {"ac": "edit", "s": misc, "t": "Odds and ends", "T": reader.token}
    assert reader.post("/subscription/edit", edit).text == "OK"
    subs = reader.get("/subscription/list").json()["subscriptions"]
    assert {s["id"]: s["title"] for s in subs}[misc] == "Odds and ends"
    gone = {"ac": "unsubscribe", "s": misc, "T": reader.token}
    assert reader.post("/subscription/edit", gone).text == "OK"
    subs = reader.get("/subscription/list").json()["subscriptions"]
    assert [s["id"] for s in subs] == [f"feed/{reader.seeded.world_id}"]
    added = reader.post(
        "/subscription/quickadd", {"quickadd": "https://misc.example/feed", "T": reader.token}
    ).json()
    assert added["streamId"] == misc and added["numResults"] == 1
    section = {"ac": "subscribe", "s": "feed/section/sports", "T": reader.token}
    assert reader.post("/subscription/edit", section).text == "OK"
    subs = reader.get("/subscription/list").json()["subscriptions"]
    assert "feed/section/sports" in {s["id"] for s in subs}


def test_a_non_admin_cannot_add_new_sources(reader: Reader) -> None:
    got = reader.post(
        "/subscription/quickadd", {"quickadd": "https://unknown.example/rss", "T": reader.token}
    )
    assert got.status_code == 400
