"""Assembling an article from its feed entry and its extracted page."""

from __future__ import annotations

from newsdesk.models import Enclosure, Entry, Extracted
from newsdesk.pipeline.assemble import Draft, assemble_article

ENTRY = Entry(
    guid="g1",
    url="https://news.example/a?utm_source=rss",
    title="Storm closes the harbour",
    summary="<p>Short <b>summary</b>.</p><script>x()</script>",
    enclosures=(Enclosure("https://img.example/a.jpg", "image/jpeg"),),
)


def test_page_text_wins_and_the_repeated_headline_is_dropped() -> None:
    page = Extracted(
        text="Storm closes the harbour\n\nThe harbour shut at noon.",
        html="<h1>Storm closes the harbour</h1><p>The harbour shut at noon.</p>",
        canonical_url="https://news.example/a",
        image="https://img.example/lead.jpg",
    )
    article = assemble_article(7, Draft(ENTRY, page, "extracted", "", ENTRY.url))
    assert article.text == "The harbour shut at noon."
    assert article.content_html == "<p>The harbour shut at noon.</p>"
    # Summaries are plain text (pages and feeds out show them as text); scripts leave no trace.
    assert article.summary == "Short summary."
    assert article.canonical_url == "https://news.example/a"
    assert article.image == "https://img.example/lead.jpg"
    assert article.extraction == "extracted"


def test_a_different_first_heading_stays() -> None:
    page = Extracted(text="Background\n\nBody.", html="<h2>Background</h2><p>Body.</p>")
    article = assemble_article(7, Draft(ENTRY, page, "extracted"))
    assert article.text == "Background\n\nBody."
    assert article.content_html.startswith("<h2>Background</h2>")


def test_the_pages_own_headline_goes_too_when_the_feed_titles_it_otherwise() -> None:
    page = Extracted(
        text="Sub page\n\nThe harbour shut at noon.",
        html="<h1>Sub page</h1><p>The harbour shut at noon.</p>",
        title="Sub page",
    )
    article = assemble_article(7, Draft(ENTRY, page, "extracted"))
    assert ENTRY.title != "Sub page"
    assert article.text == "The harbour shut at noon."
    assert article.content_html == "<p>The harbour shut at noon.</p>"


def test_without_a_page_the_feed_text_is_kept_with_the_reason() -> None:
    draft = Draft(ENTRY, None, "failed", "HTTP 404 Not Found", ENTRY.url)
    article = assemble_article(7, draft)
    assert article.text == "Short summary."
    assert article.content_html == "<p>Short <b>summary</b>.</p>"  # the markup stays here
    assert article.extraction_error == "HTTP 404 Not Found"
    assert article.image == "https://img.example/a.jpg"  # the image enclosure
    assert article.canonical_url == "https://news.example/a"  # tracking parameter gone


def test_plain_feed_text_keeps_its_paragraphs_with_spaces_collapsed() -> None:
    entry = Entry(
        guid="g2",
        url="https://news.example/b",
        title="B",
        summary=" One\t two \u00a0\n\n\n three\r\n",
    )
    article = assemble_article(7, Draft(entry))
    assert article.text == "One two\n\nthree"
