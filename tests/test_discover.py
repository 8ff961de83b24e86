"""Feed discovery from HTML pages."""

from __future__ import annotations

from newsdesk.pipeline.discover import discover_feeds, likely_feeds

PAGE = """<!DOCTYPE html>
<html><head>
<title>Blog</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" href="https://ex.com/atom.xml"/>
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="Alternate Home" type="Application/RSS+XML; charset=utf-8"
      href="comments/feed?a=1&amp;b=2">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><p>Hi</body></html>"""


def test_finds_feed_links_in_page_order_absolute_and_deduplicated() -> None:
    assert discover_feeds(PAGE, "https://ex.com/blog/") == [
        "https://ex.com/feed.xml",
        "https://ex.com/atom.xml",
        "https://ex.com/blog/feed.json",
        "https://ex.com/blog/comments/feed?a=1&b=2",
    ]


def test_bytes_and_base_element() -> None:
    page = (
        b'<html><head><base href="https://cdn.ex.org/site/">'
        b"<link rel=alternate type=application/atom+xml href=atom></head></html>"
    )
    assert discover_feeds(page, "https://ex.org/") == ["https://cdn.ex.org/site/atom"]


def test_rel_feed_and_no_links() -> None:
    assert discover_feeds('<a href="x"></a><link rel="feed" href="/f">', "http://a.b/c") == [
        "http://a.b/f"
    ]
    assert discover_feeds("<html><body>nothing</body></html>", "https://ex.com/") == []
    assert discover_feeds(b"\xff\xfe garbage <link", "https://ex.com/") == []


def test_a_sites_own_feeds_come_before_its_comment_feeds_and_plain_json_last() -> None:
    page = """<head>
<link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
<link rel="alternate" type="application/json" href="/feed.json">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/7">
<link rel="alternate" type="application/rss+xml" title="Posts" href="/feed/">
</head>"""
    assert discover_feeds(page, "https://blog.example/post") == [
        "https://blog.example/feed/",
        "https://blog.example/comments/feed/",
        "https://blog.example/feed.json",  # JSON Feed 1.0's type, never the WordPress REST API
    ]


def test_likely_feeds_of_a_page_without_feed_links() -> None:
    page = """<body><a href="/about">About</a> <a href="/news/rss.xml">RSS</a>
<a href="https://blog.example/atom">Atom</a> <a href="/sitemap.xml">Map</a>
<a href="/feeds/world.xml">World</a> <a href="/data/report.xml">Report</a></body>"""
    assert likely_feeds(page, "https://blog.example/post") == [
        "https://blog.example/news/rss.xml",
        "https://blog.example/atom",
        "https://blog.example/feeds/world.xml",
        "https://blog.example/feed",
        "https://blog.example/rss",
        "https://blog.example/feed.xml",
        "https://blog.example/rss.xml",
        "https://blog.example/atom.xml",
        "https://blog.example/index.xml",
    ]
