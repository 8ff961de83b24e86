"""The bundled Wikinews corpus (CC BY 2.5) and its split into demo feeds."""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from importlib import resources
from urllib.parse import unquote, urlsplit

WIKINEWS_LICENSE_URL = "https://creativecommons.org/licenses/by/2.5/"
WIKINEWS_LICENSE_NAME = "CC BY 2.5"

_DATELINE = re.compile(r"^[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4}$")
_LEADING_DATELINE = re.compile(r"^\s*([A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, \d{4})[ \t\xa0]*\n")
_BLANK_LINE = re.compile(r"\n[ \t\xa0]*\n")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class WikinewsArticle:
    """One Wikinews article; ``text`` is its paragraphs, dateline first, split by blank lines."""

    url: str
    published: datetime
    title: str
    text: str
    slug: str

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n\n"))

    @property
    def dateline(self) -> str:
        first = self.paragraphs[0]
        return first if _DATELINE.match(first) else ""

    @property
    def body(self) -> tuple[str, ...]:
        """The paragraphs after the dateline."""
        return self.paragraphs[1:] if self.dateline else self.paragraphs


@dataclass(frozen=True)
class DemoFeed:
    slug: str
    title: str
    articles: tuple[WikinewsArticle, ...]  # newest first


def load_wikinews() -> list[WikinewsArticle]:
    """Load the bundled corpus, oldest first."""
    raw = resources.files("newsdesk").joinpath("data", "wikinews.csv.gz").read_bytes()
    rows = csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    articles: list[WikinewsArticle] = []
    taken: set[str] = set()
    for row in rows:
        if row["title"].startswith("TEST PAGE:"):  # two Wikinews test pages, not news
            continue
        url = _canonical_url(row["url"])
        slug = _unique(_slugify(urlsplit(url).path.rsplit("/", 1)[-1]), taken)
        articles.append(
            WikinewsArticle(
                url=url,
                published=datetime.combine(date.fromisoformat(row["date"]), time(12), UTC),
                title=row["title"].strip(),
                text=_clean_text(row["text"]),
                slug=slug,
            )
        )
    articles.sort(key=lambda a: (a.published, a.slug))
    return articles


def split_into_feeds(articles: Sequence[WikinewsArticle], count: int = 6) -> list[DemoFeed]:
    """Cut the corpus, in date order, into ``count`` consecutive periods of near-equal size."""
    ordered = sorted(articles, key=lambda a: (a.published, a.slug))
    feeds: list[DemoFeed] = []
    for index in range(count):
        chunk = ordered[len(ordered) * index // count : len(ordered) * (index + 1) // count]
        if not chunk:
            continue
        first, last = chunk[0].published.date(), chunk[-1].published.date()
        feeds.append(
            DemoFeed(
                slug=f"wikinews-{first.isoformat()}-to-{last.isoformat()}",
                title=f"Wikinews, {_day(first)} to {_day(last)}",
                articles=tuple(reversed(chunk)),
            )
        )
    return feeds


def _canonical_url(url: str) -> str:
    # The scraper wrote "https://en.wikinews.org//wiki/..."; the article lives at /wiki/.
    parts = urlsplit(url.strip())
    path = re.sub(r"^/+", "/", parts.path)
    return f"{parts.scheme}://{parts.netloc}{path}"


def _clean_text(text: str) -> str:
    # A few articles put the dateline on a line of its own with no blank line after it.
    text = _LEADING_DATELINE.sub(r"\1\n\n", text, count=1)
    paragraphs = (" ".join(p.split()) for p in _BLANK_LINE.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def _slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", unquote(name)).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_name.lower()).strip("-")
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug or "article"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
