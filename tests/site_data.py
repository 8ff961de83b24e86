"""A small news site for the web, API, feed and browser tests: three outlets, three stories.

Stories are written with plain SQL: the store fills them from clustering, which these tests
do not exercise.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsdesk.models import NewArticle, Place, Topic
from newsdesk.store import FetchOutcome, open_store

NOW = datetime.now(UTC).replace(microsecond=0)
UKRAINE = Place("Ukraine", "country", "UA", "Ukraine", "Europe", 2)
SWITZERLAND = Place("Geneva", "city", "CH", "Switzerland", "Europe", 1)
PUTIN = Topic("vladimir putin", "Vladimir Putin", "person", 2)
BANK = Topic("central bank", "central bank", "phrase", 2)


@dataclass(frozen=True)
class Site:
    sources: dict[str, int]
    articles: dict[str, int]
    stories: dict[str, int]


def execute(database_url: str, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Run one statement on the store at `database_url`; "?" placeholders work on both."""
    if database_url.startswith("postgres"):
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]
        return
    db = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    with db:
        db.execute(sql, params)
    db.close()


def _article(source_id: int, key: str, hours: float, **fields: Any) -> NewArticle:
    return NewArticle(
        source_id=source_id,
        guid=key,
        url=f"https://{key}.example.com/news/{key}",
        canonical_url=f"https://{key}.example.com/news/{key}",
        published=NOW - timedelta(hours=hours),
        extraction="ok",
        **fields,
    )


def _save(store: Any, source_id: int, *articles: NewArticle) -> None:
    store.save_outcome(
        FetchOutcome(
            source_id=source_id,
            fetched_at=NOW,
            status=200,
            error="",
            failed=False,
            entries_seen=len(articles),
            duration_ms=120,
            interval_seconds=900,
            next_due_at=NOW + timedelta(minutes=15),
            articles=articles,
        )
    )


def seed_site(database_url: str) -> Site:
    store = open_store(database_url)
    wire = store.add_source("https://wire.example/feed.xml", title="Wire Service").id
    planet = store.add_source("https://planet.example/rss", title="Daily Planet").id
    post = store.add_source("https://post.example/atom", title="Morning Post").id
    text = (
        "Negotiators met in Geneva on Monday to resume ceasefire talks.\n"
        "Both delegations said the first session was constructive."
    )
    _save(
        store,
        wire,
        _article(wire, "talks", 3, title="Ceasefire talks resume in Geneva", text=text,
                 author="Ana Reporter", section="world", places=(UKRAINE, SWITZERLAND),
                 topics=(PUTIN,), image="https://talks.example.com/lead.jpg"),
        _article(wire, "derby", 6, title="Striker scores twice in derby", section="sports",
                 summary="A late double settled the derby."),
        _article(wire, "phone", 0.5, title="New phone folds in three", section="technology",
                 summary="The phone folds twice and costs more than a laptop."),
    )  # fmt: skip
    _save(
        store,
        planet,
        _article(planet, "geneva", 2, title="Geneva talks: negotiators meet again", text=text,
                 section="world", places=(UKRAINE,), topics=(PUTIN,)),
        _article(planet, "rates", 5, title="Central bank holds interest rates", section="business",
                 text="The central bank left its main rate unchanged.", topics=(BANK,)),
    )  # fmt: skip
    _save(
        store,
        post,
        _article(post, "copy", 1, title="Ceasefire talks resume in Geneva", text=text,
                 section="world", topics=(PUTIN,)),
        _article(post, "rally", 4, title="Markets rally after rate decision", section="business",
                 text="Shares rose after the central bank decision.", topics=(BANK,)),
    )  # fmt: skip
    ids = {a.title + "|" + a.source_title: a.id for a in store.latest_articles(50)}
    store.close()
    articles = {
        "talks": ids["Ceasefire talks resume in Geneva|Wire Service"],
        "geneva": ids["Geneva talks: negotiators meet again|Daily Planet"],
        "copy": ids["Ceasefire talks resume in Geneva|Morning Post"],
        "rates": ids["Central bank holds interest rates|Daily Planet"],
        "rally": ids["Markets rally after rate decision|Morning Post"],
        "derby": ids["Striker scores twice in derby|Wire Service"],
        "phone": ids["New phone folds in three|Wire Service"],
    }
    stories = {}
    plan = [
        ("talks", "Ceasefire talks resume", "world", ["talks", "geneva", "copy"], 3, 10.0),
        ("rates", "Central bank holds rates", "business", ["rates", "rally"], 2, 8.0),
        ("derby", "Derby double", "sports", ["derby"], 1, 2.0),
    ]
    for number, (lead, title, section, members, outlets, score) in enumerate(plan, start=1):
        execute(
            database_url,
            "INSERT INTO stories (id, title, lead_article_id, section, first_seen, last_seen,"
            " article_count, outlet_count, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, title, articles[lead], section,
             stored_time(database_url, NOW - timedelta(hours=6)),
             stored_time(database_url, NOW - timedelta(hours=1)), len(members), outlets, score),
        )  # fmt: skip
        stories[lead] = number
        for member in members:
            if member == "copy":
                continue
            execute(
                database_url,
                "UPDATE articles SET story_id = ? WHERE id = ?",
                (number, articles[member]),
            )
    execute(
        database_url,
        "UPDATE articles SET duplicate_of = ? WHERE id = ?",
        (articles["talks"], articles["copy"]),
    )
    for a, b in (("talks", "rates"), ("rates", "talks")):
        execute(
            database_url,
            "INSERT INTO story_related (story_id, related_id, score) VALUES (?, ?, 0.5)",
            (stories[a], stories[b]),
        )
    return Site({"wire": wire, "planet": planet, "post": post}, articles, stories)


def stored_time(database_url: str, moment: datetime) -> object:
    if database_url.startswith("postgres"):
        return moment
    return moment.isoformat(timespec="microseconds")
