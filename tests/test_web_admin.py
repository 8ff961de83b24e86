"""Admin: the CLI sets the password, login, CSRF and auth refusals, sources, sections, mutes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from fixture_server import FixtureServer
from newsdesk.cli import main
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from site_data import Site, seed_site

PASSWORD = "correct horse battery"
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture News</title>
<link>https://fixture.example/</link><item><title>Hello</title><link>https://fixture.example/1</link>
</item></channel></rss>"""
OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>
<outline text="Tech"><outline type="rss" text="Gadgets" xmlUrl="https://gadgets.example/feed"/>
</outline></body></opml>"""


@pytest.fixture
def site(settings: Settings) -> Site:
    site = seed_site(settings.database_url)
    result = CliRunner().invoke(
        main,
        ["--database-url", settings.database_url, "admin", "set-password"],
        env={"NEWSDESK_ADMIN_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    assert 'Created the "admin" user' in result.output
    return site


@pytest.fixture
def client(settings: Settings, site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(settings, refresh=False)) as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field"
    return found.group(1)


def log_in(client: TestClient, password: str = PASSWORD) -> str:
    token = csrf_of(client.get("/admin/login").text)
    response = client.post(
        "/admin/login", data={"csrf": token, "username": "admin", "password": password}
    )
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


def test_set_password_changes_an_existing_admin(settings: Settings, site: Site) -> None:
    result = CliRunner().invoke(
        main,
        ["--database-url", settings.database_url, "admin", "set-password"],
        input="another password\nanother password\n",
    )
    assert result.exit_code == 0 and "Changed the admin password" in result.output
    store = open_store(settings.database_url)
    assert store.check_password("admin", "another password") is not None
    store.close()
    short = CliRunner().invoke(
        main, ["--database-url", settings.database_url, "admin", "set-password"],
        env={"NEWSDESK_ADMIN_PASSWORD": "short"},
    )  # fmt: skip
    assert short.exit_code != 0 and "at least" in short.output


def test_login_sets_a_safe_session_cookie(client: TestClient) -> None:
    assert client.get("/admin", follow_redirects=False).headers["location"] == (
        "http://testserver/admin/login"
    )
    token = csrf_of(client.get("/admin/login").text)
    wrong = client.post("/admin/login", data={"csrf": token, "password": "nope nope"})
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    no_csrf = client.post("/admin/login", data={"password": PASSWORD})
    assert no_csrf.status_code == 403
    response = client.post(
        "/admin/login", data={"csrf": token, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "Sources and their health" in client.get("/admin").text
    # The session's CSRF token changed at login.
    assert csrf_of(client.get("/admin").text) != token


def test_a_reader_account_is_told_it_cannot_run_the_desk(
    settings: Settings, client: TestClient
) -> None:
    store = open_store(settings.database_url)
    store.add_user("reader", "reader's password")
    store.close()
    token = csrf_of(client.get("/admin/login").text)
    data = {"csrf": token, "username": "reader", "password": "reader's password"}
    refused = client.post("/admin/login", data=data, follow_redirects=False)
    assert refused.status_code == 403 and "cannot run the desk" in refused.text
    assert client.get("/admin", follow_redirects=False).status_code == 303  # no session
    data["password"] = "not the password"
    wrong = client.post("/admin/login", data=data)
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text


def test_logout_and_a_new_password_end_every_copy_of_the_session(
    settings: Settings, site: Site
) -> None:
    app = create_app(settings, refresh=False)
    with TestClient(app) as first, TestClient(app) as second:
        token = log_in(first)
        second.cookies.update(first.cookies)  # a copied (stolen) cookie
        assert "Sources and their health" in second.get("/admin").text
        assert first.post("/admin/logout", data={"csrf": token}).status_code == 200
        assert second.get("/admin", follow_redirects=False).status_code == 303
        log_in(first)
        second.cookies.update(first.cookies)
        store = open_store(settings.database_url)
        store.set_password("admin", "a brand new password")
        store.close()
        for client in (first, second):
            assert client.get("/admin", follow_redirects=False).status_code == 303


def test_admin_login_is_refused_after_ten_wrong_passwords(client: TestClient) -> None:
    token = csrf_of(client.get("/admin/login").text)
    for _ in range(10):
        wrong = client.post("/admin/login", data={"csrf": token, "password": "a guess"})
        assert wrong.status_code == 401
    refused = client.post("/admin/login", data={"csrf": token, "password": PASSWORD})
    assert refused.status_code == 429 and "Too many failed logins" in refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert client.get("/admin", follow_redirects=False).status_code == 303  # not logged in


def test_refusals_change_nothing(client: TestClient, settings: Settings, site: Site) -> None:
    talks = site.articles["talks"]
    actions = [
        ("/admin/sources", {"url": "https://x.example/feed"}),
        (f"/admin/sources/{site.sources['wire']}/remove", {}),
        (f"/admin/articles/{talks}/section", {"section": "sports"}),
        ("/admin/mutes", {"kind": "topic", "ref": "vladimir putin"}),
    ]
    for path, data in actions:
        assert client.post(path, data=data).status_code == 401  # not logged in
    token = log_in(client)
    for path, data in actions:
        assert client.post(path, data=data).status_code == 403  # no CSRF token
        assert client.post(path, data={**data, "csrf": "forged"}).status_code == 403
    store = open_store(settings.database_url)
    assert len(store.list_sources()) == 3 and store.list_mutes() == []
    article = store.article_by_id(talks)
    assert article is not None and article.section == "world"
    store.close()
    assert client.post("/admin/logout", data={"csrf": token}).status_code == 200
    assert (
        client.post("/admin/mutes", data={"csrf": token, "kind": "topic", "ref": "x"}).status_code
        == 401
    )


def test_add_upload_and_remove_sources(
    client: TestClient, settings: Settings, http_server: FixtureServer
) -> None:
    http_server.route("/feed.xml", FEED, content_type="application/rss+xml")
    token = log_in(client)
    client.app.state.settings = settings.replace(allow_private_networks=True)
    added = client.post("/admin/sources", data={"csrf": token, "url": http_server.url("/feed.xml")})
    assert "Added Fixture News" in added.text
    again = client.post("/admin/sources", data={"csrf": token, "url": http_server.url("/feed.xml")})
    assert "Already following Fixture News" in again.text
    failed = client.post("/admin/sources", data={"csrf": token, "url": "ftp://nope"})
    assert "Not added" in failed.text
    uploaded = client.post(
        "/admin/sources/opml",
        data={"csrf": token},
        files={"opml": ("feeds.opml", OPML, "text/x-opml")},
    )
    assert "From the OPML file: imported 1 new source." in uploaded.text
    twice = client.post(
        "/admin/sources/opml",
        data={"csrf": token},
        files={"opml": ("feeds.opml", OPML, "text/x-opml")},
    )
    assert "imported 0 new sources (1 already followed)" in twice.text
    store = open_store(settings.database_url)
    by_title = {s.title: s for s in store.list_sources()}
    assert {"Fixture News", "Gadgets"} <= set(by_title)
    store.close()
    removed = client.post(f"/admin/sources/{by_title['Gadgets'].id}/remove", data={"csrf": token})
    assert "Removed the source" in removed.text
    assert "Gadgets" not in client.get("/admin").text


def test_correct_a_section(client: TestClient, settings: Settings, site: Site) -> None:
    token = log_in(client)
    talks = site.articles["talks"]
    page = client.get(f"/article/{talks}").text
    assert "Correct the section" in page
    response = client.post(
        f"/admin/articles/{talks}/section", data={"csrf": token, "section": "politics"}
    )
    assert "Section set to politics" in response.text
    assert 'class="tag tag-politics"' in response.text and "(corrected)" in response.text
    bad = client.post(f"/admin/articles/{talks}/section", data={"csrf": token, "section": "x"})
    assert "Not changed" in bad.text


def test_mutes_hide_sources_and_topics(client: TestClient, site: Site) -> None:
    token = log_in(client)
    client.post("/admin/mutes", data={"csrf": token, "kind": "topic", "ref": "Vladimir Putin"})
    front = client.get("/").text
    assert "Ceasefire talks" not in front and "Geneva talks" not in front
    assert "Central bank holds" in front
    client.post(
        "/admin/mutes", data={"csrf": token, "kind": "source", "ref": str(site.sources["post"])}
    )
    assert "Markets rally" not in client.get("/section/business").text
    admin = client.get("/admin").text
    assert "topic: vladimir putin" in admin and "source: Morning Post" in admin
    for ref in ("9999", "9" * 40):
        nobody = client.post("/admin/mutes", data={"csrf": token, "kind": "source", "ref": ref})
        assert f"There is no source {ref}." in nobody.text
    assert "source: 9999" not in client.get("/admin").text
    client.post(
        "/admin/mutes/remove", data={"csrf": token, "kind": "topic", "ref": "vladimir putin"}
    )
    assert "Ceasefire talks" in client.get("/").text
