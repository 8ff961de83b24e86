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
from newsdesk.web.sync.ids import parse_item_id
from sync_fixtures import PASSWORD, Seeded, reading_state, seed

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
    subs = {s["id"]: s for s in reader.get("/subscription/list").json()["subscriptions"]}
    # The site's own section page and feed.
    assert subs["feed/section/sports"]["htmlUrl"] == "http://testserver/section/sports"
    assert subs["feed/section/sports"]["url"] == "http://testserver/feeds/section/sports.atom"
    for url in (subs["feed/section/sports"]["htmlUrl"], subs["feed/section/sports"]["url"]):
        assert reader.http.get(url).status_code == 200


def test_a_topic_is_one_feed_however_its_key_is_spelt(settings: Settings) -> None:
    from newsdesk.models import Topic
    from store_fixtures import article, outcome

    store = open_store(settings.database_url)
    seeded = seed(store)
    covid = Topic("covid 19", "COVID-19", "name", 2)
    store.save_outcome(outcome(seeded.misc_id, article(seeded.misc_id, "v", topics=(covid,))))
    with TestClient(create_app(settings, store, refresh=False)) as http:
        reader = Reader(http, seeded)
        follow = {"ac": "subscribe", "s": "feed/topic/COVID-19", "T": reader.token}
        assert reader.post("/subscription/edit", follow).text == "OK"
        subs = reader.get("/subscription/list").json()["subscriptions"]
        topic = {s["id"]: s for s in subs}["feed/topic/covid 19"]
        assert topic["htmlUrl"] == "http://testserver/topic/covid-19"
        assert reader.http.get(topic["url"]).status_code == 200
        for stream in ("feed/topic/covid-19", "feed/topic/covid 19"):
            items = reader.get(f"/stream/contents/{stream}").json()["items"]
            assert [i["title"] for i in items] == ["Article v"], stream
    store.close()


def test_a_non_admin_cannot_add_new_sources(reader: Reader) -> None:
    got = reader.post(
        "/subscription/quickadd", {"quickadd": "https://unknown.example/rss", "T": reader.token}
    )
    assert got.status_code == 400


READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
HUGE = "99999999999999999999"  # past 2**64: SQLite cannot even bind it


def test_item_ids_no_article_can_have_are_unknown() -> None:
    assert parse_item_id("5") == 5
    assert parse_item_id(f"tag:google.com,2005:reader/item/{5:016x}") == 5
    assert parse_item_id(str(2**63 - 1)) == 2**63 - 1
    # A negative short id is a 64-bit id in two's complement, so at or past 2**63.
    for unknown in ("-5", "-1", str(-(2**63)), str(2**63), "0", HUGE):
        assert parse_item_id(unknown) is None, unknown
    assert parse_item_id("tag:google.com,2005:reader/item/ffffffffffffffff") is None


@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("/edit-tag", [("i", "-5"), ("a", READ)], 200),
        (
            "/edit-tag",
            [("i", "tag:google.com,2005:reader/item/ffffffffffffffff"), ("a", READ)],
            200,
        ),
        ("/edit-tag", [("i", HUGE), ("a", STARRED)], 200),
        ("/edit-tag", [("i", "x"), ("a", READ)], 400),
        ("/subscription/edit", [("ac", "subscribe"), ("s", f"feed/{HUGE}")], 400),
        ("/subscription/edit", [("ac", "unsubscribe"), ("s", f"feed/{HUGE}")], 400),
        ("/subscription/edit", [("ac", "edit"), ("s", "feed/\u00b2")], 400),
        ("/subscription/edit", [("ac", "subscribe"), ("s", "feed/section/bogus")], 400),
        ("/subscription/edit", [("ac", "edit"), ("s", "feed/section/bogus"), ("t", "B")], 400),
        ("/mark-all-as-read", [("s", "user/-/state/com.google/reading-list"), ("ts", "inf")], 400),
    ],
    ids=[
        "edit-tag-negative-short-id",
        "edit-tag-long-id-past-2**63",
        "edit-tag-id-past-2**64",
        "edit-tag-not-an-id",
        "subscribe-feed-id-past-2**64",
        "unsubscribe-feed-id-past-2**64",
        "edit-feed-unicode-digit",
        "subscribe-unknown-section",
        "rename-unknown-section",
        "mark-all-as-read-ts-inf",
    ],
)
def test_out_of_range_input_changes_nothing(
    reader: Reader, path: str, data: list[tuple[str, str]], status: int
) -> None:
    """Ids no stored row can have are unknown (edit-tag skips them) or a 400, never a 500."""
    store = reader.http.app.state.store  # type: ignore[attr-defined]
    before = reading_state(store, reader.seeded.user.id)
    got = reader.post(path, [*data, ("T", reader.token)])
    assert got.status_code == status, got.text
    assert reading_state(store, reader.seeded.user.id) == before
    labels = {t["id"] for t in reader.get("/tag/list").json()["tags"]}
    assert "user/-/label/bogus" not in labels


def test_edit_tag_skips_unknown_ids_and_applies_known_ones(reader: Reader) -> None:
    known = str(reader.seeded.article_ids[0])
    data = [("i", "-5"), ("i", HUGE), ("i", known), ("a", READ), ("T", reader.token)]
    assert reader.post("/edit-tag", data).text == "OK"
    store = reader.http.app.state.store  # type: ignore[attr-defined]
    read, _, _ = reading_state(store, reader.seeded.user.id)
    assert read == [reader.seeded.article_ids[0]]


def test_unfollowing_any_section_is_allowed(reader: Reader) -> None:
    """Only newsdesk's sections can be followed, but a client may drop any it holds."""
    gone = {"ac": "unsubscribe", "s": "feed/section/bogus", "T": reader.token}
    assert reader.post("/subscription/edit", gone).text == "OK"
