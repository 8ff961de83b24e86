"""The web side under attack: CSRF and logins, search syntax, traversal, sizes, redirects, headers.

Each test tries the attack on the real app (ASGI client or a real uvicorn on loopback) and then
checks that nothing changed and nothing leaked.
"""

from __future__ import annotations

import asyncio
import logging
import re
import select
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.testclient import TestClient

from browser import serve
from newsdesk.logs import SafeFormatter
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from newsdesk.web.limits import MAX_BODY_BYTES, UVICORN_LIMITS, RequestLimitsMiddleware
from newsdesk.web.security import same_site_location
from site_data import Site, seed_site

PASSWORD = "correct horse battery"
HEADERS = {
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
}


@pytest.fixture
def site(settings: Settings) -> Site:
    site = seed_site(settings.database_url)
    store = open_store(settings.database_url)
    store.add_user("admin", PASSWORD, is_admin=True)
    store.close()
    return site


@pytest.fixture
def client(settings: Settings, site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(settings, refresh=False)) as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field"
    return found.group(1)


def log_in(client: TestClient) -> str:
    token = csrf_of(client.get("/admin/login").text)
    response = client.post(
        "/admin/login", data={"csrf": token, "username": "admin", "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


def state_of(settings: Settings) -> tuple[Any, ...]:
    """Everything an admin POST could change."""
    store = open_store(settings.database_url)
    try:
        sources = tuple((s.id, s.url) for s in store.list_sources())
        mutes = tuple((m.kind, m.ref) for m in store.list_mutes())
        sections = tuple((a.id, a.section) for a in store.latest_articles(100))
        return sources, mutes, sections
    finally:
        store.close()


def all_routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """(full path, methods) of every route, inside mounts too."""
    for route in routes:
        if isinstance(route, Mount):
            yield from all_routes(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            yield prefix + route.path, set(route.methods or ())


def concrete(path: str, site: Site) -> str:
    """A route's path with its parameters filled in with ids that exist."""
    values = {"source_id": site.sources["wire"], "article_id": site.articles["talks"]}
    return re.sub(r"{(\w+)(:\w+)?}", lambda m: str(values.get(m.group(1), 1)), path)


# CSRF and login


ADMIN_FORMS = {
    "/admin/sources": {"url": "http://127.0.0.1:9/feed"},
    "/admin/sources/opml": {},
    "/admin/sources/{source_id}/remove": {},
    "/admin/articles/{article_id}/section": {"section": "politics"},
    "/admin/mutes": {"kind": "topic", "ref": "vladimir putin"},
    "/admin/mutes/remove": {"kind": "topic", "ref": "vladimir putin"},
    "/admin/login": {"username": "admin", "password": PASSWORD},
    "/admin/logout": {},
}


def test_every_admin_post_is_listed_here(client: TestClient) -> None:
    posts = {
        path
        for path, methods in all_routes(client.app.routes)  # type: ignore[attr-defined]
        if "POST" in methods and path.startswith("/admin")
    }
    assert posts == set(ADMIN_FORMS)


@pytest.mark.parametrize("path", sorted(ADMIN_FORMS))
def test_admin_posts_without_login_or_csrf_change_nothing(
    client: TestClient, settings: Settings, site: Site, path: str
) -> None:
    url = concrete(path, site)
    form = ADMIN_FORMS[path]
    files = {"opml": ("x.opml", b"<opml/>", "text/xml")} if path.endswith("opml") else None
    before = state_of(settings)
    anonymous = client.post(url, data={**form, "csrf": "guess"}, files=files)
    assert anonymous.status_code in {401, 403}
    token = log_in(client)
    for csrf in ({}, {"csrf": ""}, {"csrf": "x" + token}, {"csrf": token[:-1]}):
        response = client.post(url, data={**form, **csrf}, files=files, follow_redirects=False)
        assert response.status_code == 403, (csrf, response.status_code)
    # A cross-site form post carries no session cookie at all (SameSite=Strict).
    client.cookies.clear()
    stranger = client.post(url, data={**form, "csrf": token}, files=files)
    assert stranger.status_code in {401, 403}
    assert state_of(settings) == before


def test_api_and_sync_mutations_need_credentials(
    client: TestClient, settings: Settings, site: Site
) -> None:
    before = state_of(settings)
    for path, methods in all_routes(client.app.routes):  # type: ignore[attr-defined]
        url = concrete(path, site)
        if path.startswith("/api/v1/"):
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                response = client.request(method, url)
                assert response.status_code == 405, (method, url)
                assert response.headers["content-type"].startswith("application/json")
        elif not path.startswith("/admin"):
            for method in sorted(methods - {"GET", "HEAD"}):
                response = client.request(method, url, data={"a": "user/-/state/com.google/read"})
                assert response.status_code in {401, 403}, (method, url, response.status_code)
    assert state_of(settings) == before


# Search syntax

INJECTIONS = [
    "') OR 1=1--",
    "' OR '1'='1",
    '" OR ""="',
    "geneva') OR 1=1--",
    "NEAR(",
    "NEAR(ceasefire geneva, 2)",
    "ceasefire NEAR geneva",
    '"',
    '"geneva',
    "*",
    "**geneva",
    "gen*",
    "%",
    "%geneva%",
    "_",
    "title:geneva",
    "text : bank",
    "-geneva",
    "geneva OR derby",
    "geneva AND NOT talks",
    "{title text}: geneva",
    "^geneva",
    "geneva \\",
    "\x00geneva",
    "geneva\ud800",
    "\udfff",
    "'; DROP TABLE articles; --",
    "(((((",
    "geneva " * 1500,  # about 10 KB
]


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _real_matches(payload: str, articles: list[Any]) -> set[int]:
    """Articles holding every word of `payload` (a word may be a prefix where the
    payload marks it so), the oracle for "only real matches"."""
    wanted = []
    for token in payload.split():
        words = _words(token)
        wanted.extend((w, token.endswith("*") and i == len(words) - 1) for i, w in enumerate(words))
    found = set()
    for article in articles:
        have = _words(f"{article.title} {article.text}")
        if all(any(h == w or (prefix and h.startswith(w)) for h in have) for w, prefix in wanted):
            found.add(article.id)
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def search_client(request: pytest.FixtureRequest, settings: Settings) -> Iterator[TestClient]:
    url = settings.database_url
    if request.param == "postgresql":
        url = request.getfixturevalue("database_url_pg")
    seed_site(url)
    with TestClient(create_app(settings.replace(database_url=url), refresh=False)) as client:
        yield client


@pytest.fixture
def database_url_pg(postgres_module_url: str) -> str:
    from store_fixtures import empty_postgres_schema

    empty_postgres_schema(postgres_module_url)
    return postgres_module_url


@pytest.mark.parametrize("payload", INJECTIONS, ids=lambda p: repr(p[:24]))
def test_search_syntax_is_only_searched_for(search_client: TestClient, payload: str) -> None:
    store = search_client.app.state.store  # type: ignore[attr-defined]
    articles = [a for a in store.latest_articles(100) if a.duplicate_of is None]
    count_before = len(store.latest_articles(100))
    # The search reads the first 500 characters and, of those, the first 32 terms.
    real = _real_matches(" ".join(payload[:500].split()[:32]), articles)
    q = quote(payload, safe="", errors="surrogatepass")
    page = search_client.get(f"/search?q={q}")
    assert page.status_code in {200, 400}, page.status_code
    shown = {int(i) for i in re.findall(r'href="/article/(\d+)"', page.text)}
    assert shown <= real
    api = search_client.get(f"/api/v1/search?q={q}&limit=100")
    assert api.status_code in {200, 400}, api.status_code
    if api.status_code == 200:
        assert {item["id"] for item in api.json()["items"]} <= real
    feed = search_client.get(f"/feeds/search.atom?q={q}")
    assert feed.status_code == 200
    linked = {int(i) for i in re.findall(r"/article/(\d+)</id>", feed.text)}
    assert linked <= real
    assert len(store.latest_articles(100)) == count_before


def test_search_syntax_still_finds_real_matches(search_client: TestClient) -> None:
    for q, title in [
        ("gen*", "Geneva talks: negotiators meet again"),
        ('"geneva', "Geneva talks: negotiators meet again"),
        ("%central%", "Central bank holds interest rates"),
        ("geneva\ud800", "Geneva talks: negotiators meet again"),
    ]:
        q = quote(q, safe="", errors="surrogatepass")
        titles = [i["title"] for i in search_client.get(f"/api/v1/search?q={q}").json()["items"]]
        assert title in titles, (q, titles)


# Path traversal

TRAVERSALS = [
    "/static/..%2fapp.py",
    "/static/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py",
    "/static/..%5capp.py",
    "/static/%2e%2e%5c%2e%2e%5cpyproject.toml",
    "/static/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%252e%252e%252fapp.py",
    "/static/..%c0%afapp.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/..\\app.py",
    "/feeds/section/..%2f..%2fapp.py.rss",
    "/feeds/search.%2e%2e%2fapp.py",
    "/feeds/topic/..%2f..%2f..%2fetc%2fpasswd.rss",
    "/feeds/story/..%2f1.atom",
    "/sources.opml/..%2f..%2fapp.py",
    "/reader/atom/..%2f..%2f..%2fetc%2fpasswd",
]


def _raw_get(base: str, target: str, host: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
    """GET `target` exactly as written (no client normalises it) over a plain socket."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.fixture
def live(settings: Settings, site: Site) -> Iterator[str]:
    """The app on a real uvicorn (h11, as `newsdesk serve` runs it) on 127.0.0.1."""
    with serve(create_app(settings, refresh=False), http="h11", **UVICORN_LIMITS) as url:
        yield url


@pytest.mark.parametrize("target", TRAVERSALS)
def test_path_traversal_serves_nothing_outside(live: str, target: str) -> None:
    status, headers, body = _raw_get(live, target)
    assert status in {400, 404}, (target, status)
    assert b"def create_app" not in body and b"root:" not in body and b"[project]" not in body
    assert set(headers) >= HEADERS or status == 400


def test_static_files_are_still_served(live: str) -> None:
    status, headers, body = _raw_get(live, "/static/style.css")
    assert status == 200 and body
    assert headers["x-content-type-options"] == "nosniff"


# Sizes


def test_long_urls_are_refused_with_414(client: TestClient) -> None:
    for target in (
        "/search?q=" + "a" * 40_000,
        "/search?" + "&".join("p" for _ in range(10_000)),
        "/api/v1/search?q=x&" + "&".join("a=" for _ in range(2_000)),
        "/" + "a/" * 2_000,
    ):
        response = client.get(target)
        assert response.status_code == 414, target[:40]
        assert set(response.headers) >= HEADERS


def test_long_urls_get_414_from_a_real_server(live: str) -> None:
    status, headers, _ = _raw_get(live, "/search?q=" + "a" * 100_000)
    assert status == 414
    assert set(headers) >= HEADERS


def test_declared_large_body_is_refused_before_reading(client: TestClient) -> None:
    # The body is 16 bytes but declares 50 MB: only a refusal before reading answers 413 here.
    for path in (
        "/admin/login",
        "/admin/sources",
        "/api/greader.php/accounts/ClientLogin",
        "/api/v1/search",
    ):
        response = client.post(path, content=b"x" * 16, headers={"content-length": str(50_000_000)})
        assert response.status_code == 413, path


def test_form_with_many_fields_is_refused(client: TestClient) -> None:
    body = "&".join(f"f{i}=1" for i in range(10_000))
    response = client.post(
        "/admin/login", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 413


def _stream_until_answered(base: str, path: str, total: int) -> tuple[int, int, float]:
    """POST a chunked body of up to `total` bytes; (status, bytes sent, seconds) once answered."""
    parts = urlsplit(base)
    started = time.perf_counter()
    sent = 0
    chunk = b"a=" + b"x" * 65_534
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
        )
        while sent < total and not select.select([sock], [], [], 0)[0]:
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:  # the server answered and closed, or stopped reading
                break
            sent += len(chunk)
        answer = b""
        while b"\r\n" not in answer:
            answer += sock.recv(65536)
    return int(answer.split()[1]), sent, time.perf_counter() - started


def test_chunked_body_is_cut_off_on_a_real_server(live: str) -> None:
    # Starlette's form parser refuses a field over 1 MB (400) before the total limit (413).
    status, sent, seconds = _stream_until_answered(live, "/admin/login", 50_000_000)
    assert status in {400, 413}
    assert sent <= MAX_BODY_BYTES + 1_000_000
    assert seconds < 5


def test_bodies_without_a_length_are_counted_as_they_stream() -> None:
    read = 0

    async def echo(request: Request) -> Response:
        nonlocal read
        async for chunk in request.stream():
            read += len(chunk)
        return PlainTextResponse(str(read))

    app = RequestLimitsMiddleware(Starlette(routes=[Route("/", echo, methods=["POST"])]))
    piece = b"x" * 1_000_000

    def body() -> Iterator[bytes]:
        for _ in range(50):
            yield piece

    with TestClient(app) as client:
        assert client.post("/", content=body()).status_code == 413
        assert read <= MAX_BODY_BYTES
        assert client.post("/", content=iter([piece])).status_code == 200


# Redirects


def test_login_next_cannot_redirect_off_site(client: TestClient) -> None:
    token = csrf_of(client.get("/admin/login?next=https://evil.example/").text)
    response = client.post(
        "/admin/login?next=https://evil.example/&return_to=//evil.example",
        data={"csrf": token, "username": "admin", "password": PASSWORD, "next": "//evil.example"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert urlsplit(response.headers["location"]).netloc in {"", "testserver"}
    assert urlsplit(response.headers["location"]).path == "/admin"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "//evil.example/%2e%2e", "/\\evil.example/", "/%5cevil.example/",
     "/search/", "/section/world/", "//search/", "/place/ua", "/admin/"],
)  # fmt: skip
def test_redirects_stay_on_this_site(live: str, target: str) -> None:
    status, headers, _ = _raw_get(live, target)
    if status in {301, 302, 303, 307, 308}:
        location = headers["location"]
        parts = urlsplit(location)
        assert parts.netloc in {"", "127.0.0.1"}, location
        assert not re.match(r"^[/\\]{2}", parts.path), location


def test_same_site_location() -> None:
    assert same_site_location("//evil.example/x", "site") == "/evil.example/x"
    assert same_site_location("/\\evil.example", "site") == "/evil.example"
    assert same_site_location("http://site//evil.example", "site") == "http://site/evil.example"
    assert same_site_location("/search?q=1", "site") == "/search?q=1"


def test_host_header_never_reaches_another_clients_response(live: str) -> None:
    _raw_get(live, "/feeds/section/world.rss", host="evil.example")
    status, _, body = _raw_get(live, "/feeds/section/world.rss")
    assert status == 200 and b"evil.example" not in body


# Headers


def test_security_headers_on_every_kind_of_response(client: TestClient, site: Site) -> None:
    requests = [
        ("GET", "/"), ("GET", "/section/world"), ("GET", f"/article/{site.articles['talks']}"),
        ("GET", "/story/1"), ("GET", "/search?q=geneva"),
        ("GET", f"/source/{site.sources['wire']}"),
        ("GET", "/static/style.css"), ("GET", "/static/missing.css"), ("GET", "/nowhere"),
        ("GET", "/api/v1/articles"), ("GET", "/api/v1/articles/999999"),
        ("GET", "/api/v1/openapi.json"), ("POST", "/api/v1/articles"),
        ("GET", "/feeds/section/world.rss"), ("GET", "/feeds/search.atom?q=geneva"),
        ("GET", "/sources.opml"), ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
        ("GET", "/admin"), ("GET", "/admin/login"), ("POST", "/admin/sources"),
        ("GET", "/reader/api/0/subscription/list"), ("POST", "/accounts/ClientLogin"),
        ("GET", "/v1/me"), ("GET", "/search?q=" + "a" * 50_000),
    ]  # fmt: skip
    for method, url in requests:
        response = client.request(method, url, follow_redirects=False)
        missing = HEADERS - set(response.headers)
        assert not missing, (method, url, response.status_code, missing)
        csp = response.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "strict-transport-security" not in response.headers


def test_security_headers_on_server_errors(settings: Settings, site: Site) -> None:
    app = create_app(settings, refresh=False)
    with TestClient(app, raise_server_exceptions=False) as client:

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("the store is down")

        app.state.store.site_stories = broken
        for url in ("/", "/api/v1/stories"):
            response = client.get(url)
            assert response.status_code == 500
            assert set(response.headers) >= HEADERS, url


def test_hsts_only_over_https(settings: Settings, site: Site) -> None:
    with TestClient(create_app(settings, refresh=False), base_url="https://testserver") as c:
        assert c.get("/").headers["strict-transport-security"].startswith("max-age=")


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_session_cookie_is_secure_over_https(
    settings: Settings, site: Site, scheme: str
) -> None:
    app = create_app(settings, refresh=False)
    with TestClient(app, base_url=f"{scheme}://testserver") as c:
        token = csrf_of(c.get("/admin/login").text)
        response = c.post(
            "/admin/login", data={"csrf": token, "username": "admin", "password": PASSWORD}
        )
        cookie = response.history[0] if response.history else response
        flags = [part.strip().lower() for part in cookie.headers["set-cookie"].split(";")]
        assert ("secure" in flags) == (scheme == "https"), flags
        assert "httponly" in flags and "samesite=strict" in flags


# Logs


def test_logged_paths_and_user_names_are_one_line(
    settings: Settings, site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings, refresh=False)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("down")

    app.state.store.site_topic = broken
    with caplog.at_level(logging.INFO), TestClient(app, raise_server_exceptions=False) as client:
        # Sent as a raw ASGI path: HTTP clients refuse to put CR/LF into one.
        with pytest.raises(RuntimeError):  # logged, answered 500, then raised to the server
            asyncio.run(_asgi_get(app, "/topic/a\r\n2026-01-01 CRITICAL forged\n"))
        token = csrf_of(client.get("/admin/login").text)
        client.post(
            "/admin/login",
            data={"csrf": token, "username": "x\r\n2026-01-01 CRITICAL forged", "password": "no"},
        )
    web = [r for r in caplog.records if r.name.startswith("newsdesk.web")]
    messages = [r.getMessage() for r in web]
    assert any("failed admin login as x\\r\\n2026" in m for m in messages), messages
    assert any("error serving /topic/a\\r\\n2026" in m for m in messages), messages
    formatter = SafeFormatter("%(levelname)s %(message)s")
    for record in web:
        assert "\n" not in record.getMessage() and "\r" not in record.getMessage()
        lines = formatter.format(record).split("\n")
        assert not any(line.startswith("2026-01-01") for line in lines)


async def _asgi_get(app: Any, path: str) -> int:
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http", "method": "GET", "path": path, "raw_path": path.encode(),
        "query_string": b"", "headers": [(b"host", b"testserver")], "scheme": "http",
        "server": ("testserver", 80), "client": ("127.0.0.1", 1), "root_path": "",
        "http_version": "1.1",
    }  # fmt: skip
    await app(scope, receive, send)
    status: int = messages[0]["status"]
    return status


@pytest.mark.parametrize("digits", ["²", "١٢", "３"])  # superscript, Arabic-Indic, full-width
def test_ids_in_other_scripts_digits_are_no_ids(
    client: TestClient, settings: Settings, digits: str
) -> None:
    # str.isdigit() accepts them, int() refuses "²": these pages answered 500 with a traceback.
    for path in ("/source/", "/story/", "/article/"):
        assert client.get(path + quote(digits)).status_code == 404, path
    assert client.get("/search", params={"q": "x", "source": digits}).status_code == 400
    before = state_of(settings)
    token = log_in(client)
    response = client.post(
        "/admin/mutes",
        data={"csrf": token, "kind": "source", "ref": digits},
        follow_redirects=False,
    )
    assert response.status_code < 500
    assert state_of(settings) == before
