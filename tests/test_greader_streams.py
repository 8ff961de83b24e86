"""Google Reader streams: contents, ids, items by id, paging, filters, state changes, Atom."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from starlette.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from sync_fixtures import T0, TITLES, reading_state, seed
from test_greader import API, Reader

LONG = "tag:google.com,2005:reader/item/"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"


@pytest.fixture
def reader(settings: Settings) -> Iterator[Reader]:
    store = open_store(settings.database_url)
    seeded = seed(store)
    with TestClient(create_app(settings, store, refresh=False)) as http:
        yield Reader(http, seeded)
    store.close()


def _contents(reader: Reader, stream: str, **params: object) -> Any:
    got = reader.get(f"/stream/contents/{stream}", **params)
    assert got.status_code == 200, got.text
    return got.json()


def _edit(reader: Reader, ids: list[str], add: str = "", remove: str = "") -> None:
    data = [("i", i) for i in ids] + [("T", reader.token)]
    data += [("a", add)] if add else []
    data += [("r", remove)] if remove else []
    assert reader.post("/edit-tag", data).text == "OK"


def test_stream_contents_items(reader: Reader) -> None:
    body = _contents(reader, f"feed%2F{reader.seeded.world_id}", n=2)
    assert body["id"] == f"feed/{reader.seeded.world_id}"
    assert body["title"] == "World Wire"
    first = body["items"][0]
    assert first["title"] == TITLES[0]
    assert first["id"] == f"{LONG}{reader.seeded.article_ids[0]:016x}"
    assert first["published"] == int(T0.timestamp()) and isinstance(first["published"], int)
    assert first["origin"]["streamId"] == f"feed/{reader.seeded.world_id}"
    # The feed's web site (this source names none, so its feed), never the article itself.
    assert first["origin"]["htmlUrl"] == "https://world.example/feed" != first["canonical"]
    assert "user/-/label/world" in first["categories"]
    assert READ not in first["categories"]
    assert first["summary"]["content"] == f"<p>Summary of {TITLES[0]}</p>"
    assert isinstance(body["continuation"], str)


def test_continuation_pages_through_without_gaps_or_repeats(reader: Reader) -> None:
    seen: list[str] = []
    params: dict[str, object] = {"n": 3}
    while True:
        body = _contents(reader, READING_LIST, **params)
        seen += [i["id"] for i in body["items"]]
        if "continuation" not in body:
            break
        params["c"] = body["continuation"]
    assert seen == [f"{LONG}{i:016x}" for i in reader.seeded.article_ids]
    oldest_first = _contents(reader, READING_LIST, n=8, r="o")
    assert [i["id"] for i in oldest_first["items"]] == list(reversed(seen))
    assert "continuation" not in oldest_first


def test_exclude_read_and_time_bounds(reader: Reader) -> None:
    ids = [str(i) for i in reader.seeded.article_ids]
    _edit(reader, ids[:2], add=READ)
    unread = _contents(reader, READING_LIST, n=20, xt=READ)
    assert len(unread["items"]) == 6
    window = _contents(reader, READING_LIST, ot=int(T0.timestamp()) - 3600, nt=int(T0.timestamp()))
    assert [i["title"] for i in window["items"]] == [TITLES[1]]


def test_item_ids_and_contents_by_long_and_short_id(reader: Reader) -> None:
    refs = reader.get("/stream/items/ids", s=READING_LIST, n=5).json()
    short = [r["id"] for r in refs["itemRefs"]]
    assert short == [str(i) for i in reader.seeded.article_ids[:5]]
    assert refs["continuation"]
    rest = reader.get("/stream/items/ids", s=READING_LIST, n=5, c=refs["continuation"]).json()
    assert [r["id"] for r in rest["itemRefs"]] == [str(i) for i in reader.seeded.article_ids[5:]]
    assert "continuation" not in rest
    long_id = f"{LONG}{int(short[1]):016x}"
    got = reader.http.get(
        API + "/stream/items/contents",
        params=[("i", short[0]), ("i", long_id)],
        headers=reader.headers,
    ).json()
    assert [i["title"] for i in got["items"]] == [TITLES[0], TITLES[1]]
    posted = reader.post("/stream/items/contents", [("i", long_id), ("T", reader.token)]).json()
    assert [i["title"] for i in posted["items"]] == [TITLES[1]]


def test_edit_tag_read_kept_unread_and_starred(reader: Reader) -> None:
    item = f"{LONG}{reader.seeded.article_ids[0]:016x}"
    _edit(reader, [item], add=READ)
    _edit(reader, [item], add=STARRED)
    starred = _contents(reader, STARRED)
    assert [i["id"] for i in starred["items"]] == [item]
    assert READ in starred["items"][0]["categories"]
    _edit(reader, [item], add="user/-/state/com.google/kept-unread", remove=READ)
    _edit(reader, [item], remove=STARRED)
    assert _contents(reader, STARRED)["items"] == []
    assert _contents(reader, READ)["items"] == []


def test_mark_all_as_read_with_and_without_ts(reader: Reader) -> None:
    world = f"feed/{reader.seeded.world_id}"
    ts_usec = int(T0.timestamp() - 2 * 3600) * 1_000_000
    data = {"s": world, "ts": str(ts_usec), "T": reader.token}
    assert reader.post("/mark-all-as-read", data).text == "OK"
    assert len(_contents(reader, world, xt=READ)["items"]) == 2
    label = {"s": "user/-/label/world", "T": reader.token}
    assert reader.post("/mark-all-as-read", label).text == "OK"
    assert _contents(reader, world, xt=READ)["items"] == []
    assert len(_contents(reader, READING_LIST, xt=READ)["items"]) == 3


def test_bad_stream_and_continuation_are_400(reader: Reader) -> None:
    assert reader.get("/stream/contents/feed/abc").status_code == 400
    assert reader.get("/stream/contents/user/-/state/com.google/nope").status_code == 400
    assert reader.get(f"/stream/contents/{READING_LIST}", c="garbage").status_code == 400


def test_atom_stream_for_newsboat(reader: Reader) -> None:
    ids = [str(i) for i in reader.seeded.article_ids]
    _edit(reader, ids[:1], add=READ)
    got = reader.http.get(
        f"/api/greader.php/reader/atom/feed%2F{reader.seeded.world_id}",
        params={"n": 2},
        headers=reader.headers,
    )
    assert got.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ElementTree.fromstring(got.content).findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == list(TITLES[:2])
    labels = [{c.get("label") for c in e.findall("a:category", ns)} for e in entries]
    assert "read" in labels[0] and "fresh" not in labels[0]
    assert "fresh" in labels[1] and "read" not in labels[1]
    assert reader.http.get(f"/api/greader.php/reader/atom/{READING_LIST}").status_code == 401


HUGE = "99999999999999999999"  # past 2**64: SQLite cannot even bind it


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/stream/contents/feed/" + HUGE, []),
        ("/stream/contents/feed/\u00b2", []),
        ("/stream/contents", [("s", f"feed/{HUGE}")]),
        ("/stream/contents", [("c", "1x" + "9" * 23)]),
        ("/stream/contents", [("c", f"{'9' * 30}x1")]),
        ("/stream/contents", [("ot", "inf")]),
        ("/stream/contents", [("nt", "-inf")]),
        ("/stream/contents", [("ot", "nan")]),
        ("/stream/items/ids", [("s", f"feed/{HUGE}")]),
        ("/stream/items/ids", [("s", READING_LIST), ("c", f"1x{HUGE}")]),
    ],
)
def test_out_of_range_stream_parameters_are_400(
    reader: Reader, path: str, params: list[tuple[str, str]]
) -> None:
    got = reader.http.get(API + path, params=params, headers=reader.headers)
    assert got.status_code == 400, got.text


def test_out_of_range_atom_feed_is_400(reader: Reader) -> None:
    got = reader.http.get(f"/api/greader.php/reader/atom/feed/{HUGE}", headers=reader.headers)
    assert got.status_code == 400


@pytest.mark.parametrize(
    "item",
    ["-5", f"{LONG}ffffffffffffffff", HUGE, str(2**63), "0"],
)
def test_items_no_article_can_have_are_unknown(reader: Reader, item: str) -> None:
    """Such ids are as unknown as missing ones: left out of the items, next to known ones."""
    store = reader.http.app.state.store  # type: ignore[attr-defined]
    before = reading_state(store, reader.seeded.user.id)
    known = str(reader.seeded.article_ids[0])
    got = reader.http.get(
        API + "/stream/items/contents", params=[("i", item), ("i", known)], headers=reader.headers
    )
    assert got.status_code == 200, got.text
    assert [i["title"] for i in got.json()["items"]] == [TITLES[0]]
    alone = reader.post("/stream/items/contents", [("i", item), ("T", reader.token)])
    assert alone.status_code == 200 and alone.json()["items"] == []
    assert reading_state(store, reader.seeded.user.id) == before
