"""Render the demo site: an index page, RSS 2.0 feeds and one news page per Wikinews article."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape

from newsdesk.demo_corpus import (
    WIKINEWS_LICENSE_NAME,
    WIKINEWS_LICENSE_URL,
    DemoFeed,
    WikinewsArticle,
)

SITE_NAME = "Wikinews Demo Wire"
ROBOTS_TXT = "User-agent: *\nAllow: /\n"
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def article_path(article: WikinewsArticle) -> str:
    return f"/news/{article.published:%Y/%m/%d}/{article.slug}"


def feed_path(feed: DemoFeed) -> str:
    return f"/feeds/{feed.slug}.xml"


def attribution_text(article: WikinewsArticle) -> str:
    """The credit line CC BY 2.5 asks for: source, title, URL and license."""
    return f"From Wikinews, {article.title}, {article.url}, {WIKINEWS_LICENSE_NAME}"


def summary(article: WikinewsArticle, limit: int = 280) -> str:
    """The first prose paragraph after the dateline, cut at a word boundary (a few articles
    open with an infobox's legend, "██ Conservative Party - 365 seats": no summary)."""
    text = next((p for p in article.body if p[:1].isalnum() or p[:1] in "\"“'‘("), "")
    text = text or article.title
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def render_feed(feed: DemoFeed, base_url: str) -> str:
    """An RSS 2.0 document listing the feed's articles, newest first."""
    items = "".join(_item(article, base_url) for article in feed.articles)
    newest = max(a.published for a in feed.articles)
    return _xml_safe(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(feed.title)}</title>\n"
        f"<link>{escape(base_url)}/</link>\n"
        f'<atom:link href="{escape(base_url + feed_path(feed))}" rel="self" '
        'type="application/rss+xml"/>\n'
        f"<description>Wikinews articles republished by the newsdesk demo: "
        f"{escape(feed.title)}.</description>\n"
        "<language>en</language>\n"
        f"<copyright>Wikinews contributors, {WIKINEWS_LICENSE_NAME} "
        f"{WIKINEWS_LICENSE_URL}</copyright>\n"
        f"<lastBuildDate>{_rfc822(newest)}</lastBuildDate>\n"
        "<generator>newsdesk demo</generator>\n"
        "<ttl>60</ttl>\n"
        f"{items}</channel>\n</rss>\n"
    )


def _item(article: WikinewsArticle, base_url: str) -> str:
    description = f"{summary(article)} ({attribution_text(article)})"
    # The GUID is the Wikinews URL, so entries stay the same when the demo moves to another port.
    return (
        "<item>\n"
        f"<title>{escape(article.title)}</title>\n"
        f"<link>{escape(base_url + article_path(article))}</link>\n"
        f'<guid isPermaLink="false">{escape(article.url)}</guid>\n'
        f"<pubDate>{_rfc822(article.published)}</pubDate>\n"
        f"<description>{escape(description)}</description>\n"
        "</item>\n"
    )


def render_index(feeds: Sequence[DemoFeed], base_url: str) -> str:
    """The home page; its alternate links make feed discovery work."""
    alternates = "".join(
        f'<link rel="alternate" type="application/rss+xml" title="{escape(f.title)}" '
        f'href="{escape(base_url + feed_path(f))}">\n'
        for f in feeds
    )
    feed_list = "".join(
        f'<li><a href="{escape(feed_path(f))}">{escape(f.title)}</a> '
        f"({len(f.articles)} articles)</li>\n"
        for f in feeds
    )
    latest = sorted((a for f in feeds for a in f.articles), key=lambda a: a.published)[-10:]
    headlines = "".join(_headline(a) for a in reversed(latest))
    return _page(
        title=f"{SITE_NAME}: Wikinews articles as feeds",
        head=alternates,
        feeds=feeds,
        main=(
            f"<h1>{SITE_NAME}</h1>\n"
            "<p>This local site republishes Wikinews articles from 2019 to 2021 as RSS feeds "
            "so that newsdesk can fetch, parse and extract them like any news site.</p>\n"
            f"<h2>Feeds</h2>\n<ul>\n{feed_list}</ul>\n"
            f"<h2>Latest</h2>\n<ul>\n{headlines}</ul>\n"
        ),
    )


def render_article(
    article: WikinewsArticle, feeds: Sequence[DemoFeed], related: Sequence[WikinewsArticle]
) -> str:
    """A news page with boilerplate around the story, as extraction meets on real sites."""
    published = article.published.isoformat()
    head = (
        f'<link rel="canonical" href="{escape(article.url)}">\n'
        f'<meta name="description" content="{escape(summary(article, 160))}">\n'
        '<meta name="author" content="Wikinews contributors">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{escape(article.title)}">\n'
        f'<meta property="og:url" content="{escape(article.url)}">\n'
        '<meta property="og:site_name" content="Wikinews">\n'
        f'<meta property="article:published_time" content="{published}">\n'
        f'<link rel="license" href="{WIKINEWS_LICENSE_URL}">\n'
        f'<script type="application/ld+json">{_json_ld(article)}</script>\n'
    )
    paragraphs = "".join(f"<p>{escape(p)}</p>\n" for p in article.paragraphs)
    related_list = "".join(_headline(a) for a in related)
    main = (
        '<article class="story">\n<header class="story-header">\n'
        f"<h1>{escape(article.title)}</h1>\n"
        f'<p class="byline">By Wikinews contributors · <time datetime="{published}">'
        f"{article.published:%d %B %Y}</time></p>\n</header>\n"
        f'<div class="story-body">\n{paragraphs}</div>\n'
        '<footer class="attribution">\n<p>From Wikinews, '
        f'<a href="{escape(article.url)}">{escape(article.title)}</a>, {escape(article.url)}, '
        f'<a href="{WIKINEWS_LICENSE_URL}" rel="license">{WIKINEWS_LICENSE_NAME}</a></p>\n'
        "</footer>\n</article>\n"
        '<aside class="related">\n<h2>More from the wire</h2>\n'
        f"<ul>\n{related_list}</ul>\n"
        '<div class="newsletter"><h2>Get the morning briefing</h2>'
        "<p>Sign up for our newsletter. Unsubscribe at any time.</p>"
        '<form><input type="email" placeholder="you@example.com"><button>Subscribe</button>'
        "</form></div>\n</aside>\n"
    )
    return _page(title=f"{article.title} | {SITE_NAME}", head=head, feeds=feeds, main=main)


def _page(*, title: str, head: str, feeds: Sequence[DemoFeed], main: str) -> str:
    nav = "".join(
        f'<li><a href="{escape(feed_path(f))}">{escape(f.title.removeprefix("Wikinews, "))}</a>'
        "</li>"
        for f in feeds
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{head}</head>\n<body>\n"
        '<div class="cookie-banner">We use no cookies, but every news site has this banner. '
        "<button>Accept</button></div>\n"
        f'<header class="masthead"><a class="logo" href="/">{SITE_NAME}</a>\n'
        f'<nav aria-label="Sections"><ul><li><a href="/">Home</a></li>{nav}</ul></nav>\n'
        "</header>\n"
        f"<main>\n{main}</main>\n"
        '<footer class="site-footer">\n<p><a href="/">Home</a> · <a href="/robots.txt">robots.txt'
        '</a> · <a href="https://en.wikinews.org/">Wikinews</a></p>\n'
        "<p>Articles are from Wikinews, the free news source, and are available under the "
        f'<a href="{WIKINEWS_LICENSE_URL}">{WIKINEWS_LICENSE_NAME}</a> license. '
        "This demo site is run by newsdesk and is not endorsed by Wikinews.</p>\n"
        "</footer>\n</body>\n</html>\n"
    )


def _headline(article: WikinewsArticle) -> str:
    return (
        f'<li><a href="{escape(article_path(article))}">{escape(article.title)}</a> '
        f"<time>{article.published:%d %b %Y}</time></li>\n"
    )


def _json_ld(article: WikinewsArticle) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "url": article.url,
        "author": {"@type": "Organization", "name": "Wikinews contributors"},
        "publisher": {"@type": "Organization", "name": "Wikinews"},
        "license": WIKINEWS_LICENSE_URL,
        "inLanguage": "en",
    }
    # "</" inside a script element would end it early.
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def _xml_safe(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)
