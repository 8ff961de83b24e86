"""The Wikinews demo corpus and the local demo site, fetched over real HTTP on 127.0.0.1."""

from __future__ import annotations

import gzip
import html
import itertools
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, time

import feedparser
import pytest

from newsdesk.demo import DemoServer, load_wikinews
from newsdesk.demo_corpus import split_into_feeds
from newsdesk.demo_pages import attribution_text


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer() as running:
        yield running


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def test_corpus_loads_every_article_complete() -> None:
    articles = load_wikinews()
    assert len(articles) == 293
    assert len({a.url for a in articles}) == len({a.slug for a in articles}) == 293
    for article in articles:
        assert article.url.startswith("https://en.wikinews.org/wiki/")
        assert article.title and article.text and article.slug
        assert article.published.tzinfo is UTC and article.published.time() == time(12)
    assert articles[0].published.year == 2019 and articles[-1].published.year == 2020


def test_feeds_split_the_corpus_into_consecutive_periods() -> None:
    articles = load_wikinews()
    feeds = split_into_feeds(articles)
    assert len(feeds) == 6
    assert sum(len(f.articles) for f in feeds) == 293
    for earlier, later in itertools.pairwise(feeds):
        assert max(a.published for a in earlier.articles) <= later.articles[-1].published


def test_every_feed_is_valid_rss_and_every_item_page_is_served(server: DemoServer) -> None:
    feed_urls = server.feed_urls()
    assert len(feed_urls) == 6
    seen = 0
    for title, url in feed_urls:
        status, headers, body = get(url)
        assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "rss20" and parsed.feed.title == title
        for entry in parsed.entries:
            assert entry.title and entry.id.startswith("https://en.wikinews.org/wiki/")
            assert entry.published_parsed and "From Wikinews" in entry.summary
            assert entry.link.startswith(server.base_url + "/news/")
            status, headers, page = get(entry.link)
            text = page.decode()
            assert status == 200 and headers["Content-Type"].startswith("text/html")
            assert f'<link rel="canonical" href="{html.escape(entry.id)}">' in text
            assert '<html lang="en">' in text and "<article" in text
            assert "From Wikinews, <a href=" in text and "CC BY 2.5</a>" in text
            seen += 1
    assert seen == 293


def test_article_page_carries_metadata_and_attribution(server: DemoServer) -> None:
    article = next(a for a in load_wikinews() if "Notre Dame" in a.title)
    path = f"/news/{article.published:%Y/%m/%d}/{article.slug}"
    status, _, body = get(server.base_url + path)
    text = html.unescape(body.decode())
    assert status == 200
    assert f'<meta property="og:url" content="{article.url}">' in text
    assert f'<meta property="og:title" content="{article.title}">' in text
    assert '<meta property="article:published_time" content="2019-04-16T12:00:00+00:00">' in text
    assert '<meta name="description" content="' in text
    assert all(f"<p>{p}</p>" in text for p in article.paragraphs)
    footer = re.search(r'<footer class="attribution">(.*?)</footer>', text, re.S)
    assert footer and re.sub(r"<[^>]+>", "", footer.group(1)).strip() == attribution_text(article)


def test_index_page_links_every_feed_for_discovery(server: DemoServer) -> None:
    status, headers, body = get(server.base_url + "/")
    text = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for title, url in server.feed_urls():
        assert (
            f'<link rel="alternate" type="application/rss+xml" title="{html.escape(title)}" '
            f'href="{url}">'
        ) in text


def test_robots_allows_everything_and_unknown_paths_are_404(server: DemoServer) -> None:
    status, _, body = get(server.base_url + "/robots.txt")
    assert status == 200 and body == b"User-agent: *\nAllow: /\n"
    assert get(server.base_url + "/no/such/page")[0] == 404


def test_feeds_answer_conditional_requests_with_304(server: DemoServer) -> None:
    url = server.feed_urls()[0][1]
    status, headers, _body = get(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert get(url, {"If-None-Match": headers["ETag"]})[:3:2] == (304, b"")
    assert get(url, {"If-None-Match": f'"other", W/{headers["ETag"]}'})[0] == 304
    assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(url, {"If-None-Match": '"stale"'})[0] == 200
    assert get(url, {"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"})[0] == 200


def test_gzip_is_served_when_asked_for(server: DemoServer) -> None:
    url = server.feed_urls()[0][1]
    plain = get(url)[2]
    status, headers, body = get(url, {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == plain
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304


def test_server_stops_and_restarts_on_a_fixed_port() -> None:
    first = DemoServer()
    first.start()
    port = int(first.base_url.rsplit(":", 1)[1])
    first.stop()
    with pytest.raises(RuntimeError):
        first.feed_urls()
    with DemoServer(port=port) as second:
        assert second.base_url == f"http://127.0.0.1:{port}"
        assert get(second.base_url + "/robots.txt")[0] == 200


def test_summaries_are_prose_not_an_infobox_legend() -> None:
    from newsdesk.demo_pages import summary

    articles = load_wikinews()
    legends = [a for a in articles if a.body and a.body[0].startswith("█")]
    assert legends  # the corpus has articles that open with one
    for article in articles:
        assert not summary(article).startswith("█"), article.title
