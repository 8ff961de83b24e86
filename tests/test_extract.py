"""Article extraction over hand-written pages; each page states its expectations in a header."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newsdesk.pipeline.extract import ExtractError, decode_html, extract_article, parse_date

PAGES = Path(__file__).parent / "data" / "pages"
URL = "https://example.org/news/2024/lighthouse-vote?utm_source=feed"


def expectation(path: Path) -> dict[str, Any]:
    header = re.match(rb"<!-- expect (\{.*?\}) -->", path.read_bytes())
    assert header, f"{path.name} has no expect header"
    result: dict[str, Any] = json.loads(header.group(1))
    return result


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.stem)
def test_page(path: Path) -> None:
    expected = expectation(path)
    if "error" in expected:
        with pytest.raises(ExtractError, match=expected["error"]):
            extract_article(path.read_bytes(), URL)
        return
    article = extract_article(path.read_bytes(), URL)
    for field in ("title", "author", "image", "canonical_url", "language"):
        if field in expected:
            assert getattr(article, field) == expected[field], field
    if "published" in expected:
        assert article.published == datetime.fromisoformat(expected["published"])
    for snippet in expected.get("text_contains", []):
        assert snippet in article.text
    for snippet in expected.get("text_excludes", []):
        assert snippet not in article.text
        assert snippet not in article.html
    for snippet in expected.get("html_contains", []):
        assert snippet in article.html


def test_paragraphs_are_separated_by_blank_lines() -> None:
    article = extract_article((PAGES / "news_article.html").read_bytes(), URL)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) >= 5
    assert all(p.strip() == p and p for p in paragraphs)


def test_html_is_sanitized() -> None:
    article = extract_article((PAGES / "news_article.html").read_bytes(), URL)
    assert "<script" not in article.html
    assert "class=" not in article.html
    assert "<p>" in article.html


def test_str_input_gives_the_same_article() -> None:
    data = (PAGES / "news_article.html").read_bytes()
    assert extract_article(data.decode("utf-8"), URL) == extract_article(data, URL)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n\t ",
        bytes(random.Random(7).randrange(256) for _ in range(5000)),
        b"\x00" * 4096,
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj",
        b"\x1f\x8b\x08\x00" + bytes(range(256)),
        b"<html><body>" + b"<div>" * 50_000 + b"deep" + b"</div>" * 50_000 + b"</body></html>",
        "<html><body><p>\ud800 lone surrogate</p></body></html>",
        b'<meta charset="rot13"><html><body><p>x</p></body></html>',
    ],
    ids=["empty", "blank", "random", "nul", "pdf", "gzip", "deep", "surrogate", "rot13"],
)
def test_garbage_raises_extract_error(data: bytes | str) -> None:
    with pytest.raises(ExtractError):
        extract_article(data, URL)


def test_declared_charset_wins_over_guessing() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'
    assert "Привет" in decode_html(page.encode("cp1251"))


def test_undeclared_non_utf8_is_still_decoded() -> None:
    page = "<html><body><p>" + "Ça coûte très cher, déjà. " * 20 + "</p></body></html>"
    assert "très" in decode_html(page.encode("cp1252"))


def test_utf8_bom_wins_over_declaration() -> None:
    page = '<meta charset="iso-8859-1"><p>naïve</p>'
    assert "naïve" in decode_html(b"\xef\xbb\xbf" + page.encode("utf-8"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T15:30:00+01:00", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05T14:30:00Z", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("2024-03-05", datetime(2024, 3, 5, tzinfo=UTC)),
        ("Tue, 05 Mar 2024 14:30:00 GMT", datetime(2024, 3, 5, 14, 30, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(value: str, expected: datetime | None) -> None:
    assert parse_date(value) == expected
