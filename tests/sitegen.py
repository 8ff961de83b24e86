"""A synthetic news site on the fixture server: RSS feeds plus one HTML page per article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from fixture_server import FixtureServer

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
WORDS = [
    "council",
    "minister",
    "harbour",
    "railway",
    "election",
    "budget",
    "storm",
    "vaccine",
    "striker",
    "orchestra",
    "satellite",
    "reservoir",
    "tariff",
    "verdict",
    "summit",
    "glacier",
    "festival",
    "refinery",
    "senate",
    "museum",
]


@dataclass(frozen=True)
class SiteArticle:
    feed: int
    number: int
    path: str
    title: str
    published: datetime

    @property
    def guid(self) -> str:
        return f"urn:test:{self.feed}:{self.number}"

    def paragraphs(self) -> list[str]:
        word = WORDS[(self.feed * 7 + self.number) % len(WORDS)]
        return [
            f"Paragraph {i} of story {self.feed}-{self.number}: the {word} report describes "
            f"events in detail, with quotes from officials and residents who saw what happened "
            f"and explained why it matters to the {word} and to everyone who follows it."
            for i in range(1, 6)
        ]


def article_html(article: SiteArticle, base: str) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs())
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{escape(article.title)} | Test Times</title>
<link rel="canonical" href="{base}{article.path}">
<meta property="og:image" content="{base}/img/{article.feed}-{article.number}.jpg">
<meta name="author" content="Reporter {article.feed}">
<meta property="article:published_time" content="{article.published.isoformat()}">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>{escape(article.title)}</h1><p class="byline">By Reporter {article.feed}</p>
{body}</article><footer>Copyright Test Times. All rights reserved.</footer></body></html>"""


def feed_xml(title: str, base: str, articles: list[SiteArticle]) -> str:
    items = "\n".join(
        f"""<item><title>{escape(a.title)}</title><link>{base}{a.path}</link>
<guid isPermaLink="false">{a.guid}</guid><pubDate>{format_datetime(a.published)}</pubDate>
<description>Summary of {escape(a.title)}.</description></item>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>{base}/</link>
<description>test feed</description>{items}</channel></rss>"""


def publish_site(
    server: FixtureServer, feeds: int = 3, per_feed: int = 4, page_delay: float = 0.0
) -> tuple[list[str], list[SiteArticle]]:
    """Serve `feeds` RSS feeds of `per_feed` articles each; return feed URLs and the articles."""
    base = server.url("").rstrip("/")
    server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    urls, everything = [], []
    for f in range(feeds):
        articles = [
            SiteArticle(
                f,
                n,
                f"/news/{f}/{n}.html",
                f"Story {f}-{n}: {WORDS[(f + n) % 20]} news",
                T0 + timedelta(hours=f * per_feed + n),
            )
            for n in range(per_feed)
        ]
        for a in articles:
            server.route(
                a.path,
                article_html(a, base),
                content_type="text/html; charset=utf-8",
                delay=page_delay,
            )
        urls.append(
            server.route(
                f"/feeds/{f}.xml",
                feed_xml(f"Feed {f}", base, articles),
                content_type="application/rss+xml",
                etag=f'"feed-{f}-v1"',
            )
        )
        everything.extend(articles)
    return urls, everything
