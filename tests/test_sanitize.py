"""The sanitizer against XSS payloads, and what it must keep for reading."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from newsdesk.pipeline.sanitize import html_to_text, sanitize_html

BASE = "https://example.org/news/story.html"

# (payload, fragments that must not survive, lowercased match)
XSS = [
    ("<script>alert(1)</script><p>ok</p>", ["<script", "alert"]),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", ["<script", "evil"]),
    ("<img src=x onerror=alert(1)>", ["onerror", "alert"]),
    ("<body onload=alert(1)><p>hi</p>", ["onload", "<body"]),
    ('<a href="javascript:alert(1)">x</a>', ["javascript", "alert"]),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', ["javascript", "alert"]),
    ('<a href="java\tscript:alert(1)">x</a>', ["script:", "alert"]),
    ('<a href="&#106;avascript:alert(1)">x</a>', ["avascript", "alert"]),
    ('<a href="&#x6A;&#x61;vascript&colon;alert(1)">x</a>', ["avascript", "alert"]),
    ('<a href=" &#14; javascript:alert(1)">x</a>', ["javascript", "alert"]),
    ('<a href="vbscript:msgbox(1)">x</a>', ["vbscript", "msgbox"]),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', ["data:"]),
    ('<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=">', ["data:"]),
    ('<img src="DaTa:text/html,<script>alert(1)</script>">', ["data", "alert"]),
    ("<svg><script>alert(1)</script></svg>", ["<svg", "<script", "alert"]),
    ("<svg onload=alert(1)><p>x</p></svg>", ["<svg", "onload"]),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ["onerror", "<math"]),
    (
        '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
        ["onerror", "alert", "<style"],
    ),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', ["onerror"]),
    ('<base href="https://evil.example/"><a href="/x">x</a>', ["<base", "evil"]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', ["<meta", "evil"]),
    (
        '<form action="https://evil.example/"><input name=pw><button>Go</button></form>',
        ["<form", "<input", "evil"],
    ),
    (
        '<div style="position:fixed;top:0;left:0;width:100%;height:100%">Win!</div>',
        ["style", "fixed"],
    ),
    ("<style>body{display:none}</style><p>x</p>", ["<style", "display"]),
    ('<iframe src="https://evil.example/"></iframe>', ["<iframe", "evil"]),
    ('<object data="https://evil.example/x.swf"></object>', ["<object", "evil"]),
    ('<embed src="https://evil.example/x.swf">', ["<embed", "evil"]),
    (
        '<a href="https://ok.example/" target="_self" onclick="steal()">x</a>',
        ["target", "onclick", "steal"],
    ),
    ('<p id="content" class="x">x</p>', ["id=", "class="]),
    (
        '<img src="https://ok.example/a.png" srcset="javascript:alert(1) 1x" usemap="#m">',
        ["srcset", "javascript", "usemap"],
    ),
    ("<!--<script>alert(1)</script>--><p>x</p>", ["<!--", "alert"]),
    ('<a href="https://ok.example/" rel="opener">x</a>', ['opener"']),
    ("<template><script>alert(1)</script></template>", ["<template", "alert"]),
]


@pytest.mark.parametrize(("payload", "forbidden"), XSS)
def test_dangerous_parts_are_removed(payload: str, forbidden: list[str]) -> None:
    cleaned = sanitize_html(payload, BASE).lower()
    for fragment in forbidden:
        assert fragment.lower() not in cleaned, cleaned


@pytest.mark.parametrize(("payload", "_"), XSS)
def test_sanitizing_is_idempotent(payload: str, _: list[str]) -> None:
    once = sanitize_html(payload, BASE)
    assert sanitize_html(once, BASE) == once


def test_article_markup_is_kept() -> None:
    html = (
        "<h2>Title</h2><p>Some <strong>bold</strong> and <em>italic</em> text.</p>"
        "<blockquote><p>Quoted</p></blockquote><ul><li>one</li></ul><ol><li>two</li></ol>"
        '<figure><img src="https://ok.example/a.png" alt="A" width="10" height="20">'
        "<figcaption>Cap</figcaption></figure><pre><code>x = 1</code></pre>"
    )
    assert sanitize_html(html, BASE) == html


def test_links_get_rel_and_no_target() -> None:
    cleaned = sanitize_html('<a href="https://ok.example/" target="_blank">x</a>', BASE)
    assert cleaned == '<a href="https://ok.example/" rel="noopener noreferrer">x</a>'


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/about", "https://example.org/about"),
        ("other.html", "https://example.org/news/other.html"),
        ("../img/a.png", "https://example.org/img/a.png"),
        ("//cdn.example.net/x", "https://cdn.example.net/x"),
        ("?page=2", "https://example.org/news/story.html?page=2"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
        ("http://plain.example/", "http://plain.example/"),
    ],
)
def test_urls_are_resolved(href: str, expected: str) -> None:
    cleaned = sanitize_html(f'<a href="{href}">x</a>', BASE)
    assert f'href="{expected}"' in cleaned


def test_relative_urls_without_base_are_dropped() -> None:
    assert "href" not in sanitize_html('<a href="/about">x</a>')
    assert 'src="https://ok.example/a.png"' in sanitize_html('<img src="https://ok.example/a.png">')


def test_each_thread_resolves_against_its_own_base() -> None:
    # The cleaner is shared per thread and reads the base of the clean in progress: cleans on
    # many threads at once must never borrow each other's base.
    def clean(n: int) -> tuple[int, str]:
        base = f"https://site{n}.example/dir/page.html"
        return n, sanitize_html('<a href="other.html">x</a><img src="/i.png">' * 50, base)

    with ThreadPoolExecutor(max_workers=8) as pool:
        for n, cleaned in pool.map(clean, range(64)):
            assert cleaned.count(f'href="https://site{n}.example/dir/other.html"') == 50
            assert cleaned.count(f'src="https://site{n}.example/i.png"') == 50
    assert "href" not in sanitize_html('<a href="other.html">x</a>', "ftp://old.example/")


def test_img_keeps_only_src_alt_width_height() -> None:
    cleaned = sanitize_html(
        '<img src="a.png" alt="A" title="T" width="1" height="2" loading="lazy" class="c">', BASE
    )
    assert cleaned == '<img src="https://example.org/news/a.png" alt="A" width="1" height="2">'


def test_text_is_escaped() -> None:
    assert (
        sanitize_html("<p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p>")
        == "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2</p>"
    )


def test_html_to_text_separates_paragraphs() -> None:
    html = (
        "<h2>Head</h2><p>One <b>bold</b>word.</p><p>Two<br>lines</p><ul><li>a</li><li>b</li></ul>"
    )
    assert html_to_text(html) == "Head\n\nOne boldword.\n\nTwo\nlines\n\na\n\nb"


def test_html_to_text_skips_scripts_and_keeps_tails() -> None:
    assert html_to_text("<p>a<script>x()</script>b<!-- c -->d</p>") == "abd"
    assert html_to_text("") == ""
    assert html_to_text("plain &amp; simple") == "plain & simple"


def test_html_to_text_drops_control_characters_from_references() -> None:
    # nh3 decodes numeric references itself, so a control character can appear only then.
    assert html_to_text("<p>a&#1;b&#x7f;c&#0;d</p>") == "abc\ufffdd"
    assert html_to_text("a&#1;b") == "ab"
    assert html_to_text("<p>1 &amp;#1; 2</p>") == "1 &#1; 2"
