"""Assemble stored articles from feed entries and what their pages yielded (a pure stage)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.models import Entry, Extracted, NewArticle
from newsdesk.pipeline.sanitize import html_to_text, sanitize_html
from newsdesk.pipeline.urls import canonical_url, is_web_url


@dataclass(frozen=True)
class Draft:
    """One new entry and the outcome of fetching its page ("extracted", "failed" or "feed").

    `canonical` is the entry URL's canonical form when the caller has it already.
    """

    entry: Entry
    page: Extracted | None = None
    status: str = "feed"
    error: str = ""
    page_url: str = ""
    canonical: str = ""
    feed_language: str = ""  # the feed's language code, for an entry whose page says none


def assemble_articles(source_id: int, drafts: Sequence[Draft]) -> list[NewArticle]:
    """Articles for a batch of drafts; one call per source keeps worker round trips few."""
    return [assemble_article(source_id, d) for d in drafts]


def assemble_article(source_id: int, draft: Draft) -> NewArticle:
    """The extracted page where there is one, else the feed's own text, sanitized."""
    entry, page = draft.entry, draft.page
    page_url = draft.page_url or entry.url
    # Only a web page is a link to follow: a feed's "javascript:" link is stored as none.
    url = next((u for u in (entry.url, page_url) if is_web_url(u)), "")
    feed_html, summary_html = entry.content or entry.summary, entry.summary or entry.content
    # Summaries are shown and sent out as plain text; the full markup is content_html.
    clean_summary = sanitize_html(summary_html, base_url=entry.url)
    summary = html_to_text(clean_summary)
    title = entry.title or (page.title if page else "") or "(untitled)"
    if page is not None and page.text.strip():
        text, content_html = _without_title((title, page.title), page.text, page.html)
    else:
        text = html_to_text(feed_html)
        same = feed_html == summary_html  # most feeds carry one body: sanitize it once
        content_html = clean_summary if same else sanitize_html(feed_html, base_url=entry.url)
    image = (page.image if page else "") or next(
        (e.url for e in entry.enclosures if e.type.startswith("image/")), ""
    )
    canonical = draft.canonical or canonical_url((page.canonical_url if page else "") or page_url)
    return NewArticle(
        source_id=source_id,
        guid=entry.guid,
        url=url,
        canonical_url=canonical or f"guid:{source_id}:{entry.guid}",
        title=title,
        summary=summary,
        text=text,
        content_html=content_html,
        author=entry.author or (page.author if page else ""),
        published=entry.published or entry.updated or (page.published if page else None),
        image=image,
        language=(page.language if page else "") or draft.feed_language,
        categories=entry.categories,
        enclosures=entry.enclosures,
        extraction=draft.status,
        extraction_error=draft.error,
    )


def link_to_stored(source_id: int, entry: Entry, canonical: str) -> NewArticle:
    """An entry whose canonical URL is already a stored article's: the store only links it."""
    return NewArticle(
        source_id=source_id,
        guid=entry.guid,
        url=entry.url if is_web_url(entry.url) else "",
        canonical_url=canonical,
        title=entry.title,
        published=entry.published or entry.updated,
        link_only=True,
    )


_LEADING_HEADING = re.compile(r"^\s*<h[1-3]>(.*?)</h[1-3]>\s*", re.DOTALL)


def _without_title(titles: tuple[str, ...], text: str, html: str) -> tuple[str, str]:
    """Drop the headline that extraction keeps at the top of the body: pages show it already.

    It may be the feed's title or the page's own, when the two differ.
    """
    wanted = [words for words in map(_words, titles) if words]
    first, _, rest = text.partition("\n\n")
    if rest and _words(first) in wanted:
        text = rest
    heading = _LEADING_HEADING.match(html)
    if heading and _words(html_to_text(heading.group(1))) in wanted:
        html = html[heading.end() :]
    return text, html


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())
