"""Real-browser walks through the site: reading, searching, and the admin's work."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from browser import chromium, screenshot, serve
from fixture_server import FixtureServer
from newsdesk.models import NewArticle
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from site_data import NOW, Site, execute, seed_site, stored_time
from store_fixtures import outcome

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
LONG_WORD = "Unbreakable" * 18 + "Headline!"  # 207 characters and not one space
FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Browser Feed</title>
<link>https://browser.example/</link><item><title>Hi</title><link>https://browser.example/1</link>
</item></channel></rss>"""


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Screenshots go to docs/screenshots when NEWSDESK_SCREENSHOTS=docs, else to tmp_path."""
    return (
        Path("docs/screenshots") if os.environ.get("NEWSDESK_SCREENSHOTS") == "docs" else tmp_path
    )


@pytest.fixture
def site(settings: Settings) -> Site:
    site = seed_site(settings.database_url)
    store = open_store(settings.database_url)
    store.add_user("admin", PASSWORD, is_admin=True)
    store.close()
    return site


@dataclass(frozen=True)
class LongTitles:
    source_id: int
    article_id: int
    story_id: int


@pytest.fixture
def long_titles(settings: Settings, site: Site) -> LongTitles:
    """A source and an article whose titles are one long word, leading the derby story."""
    store = open_store(settings.database_url)
    source = store.add_source("https://long.example/feed.xml", title="Outlet" + LONG_WORD)
    article = NewArticle(
        source_id=source.id,
        guid="long",
        url="https://long.example/news/long",
        canonical_url="https://long.example/news/long",
        title=LONG_WORD,
        text="A derby report with a very long headline.",
        published=NOW - timedelta(minutes=30),
        extraction="ok",
        section="sports",
    )
    saved = store.save_outcome(outcome(source.id, article, fetched_at=NOW))
    store.close()
    article_id, story_id = saved.new_article_ids[0], site.stories["derby"]
    execute(
        settings.database_url,
        "UPDATE articles SET story_id = ? WHERE id = ?",
        (story_id, article_id),
    )
    execute(
        settings.database_url,
        "UPDATE stories SET lead_article_id = ?, outlet_count = 2 WHERE id = ?",
        (article_id, story_id),
    )
    return LongTitles(source.id, article_id, story_id)


@pytest.fixture
def base_url(settings: Settings, site: Site) -> Iterator[str]:
    app = create_app(settings.replace(allow_private_networks=True), refresh=False)
    with serve(app) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def test_front_section_story_article_see_also(
    browser: Any, base_url: str, site: Site, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base_url + "/")
    assert page.locator("h1").first.inner_text() == "Top stories"
    screenshot(page, "front", shots)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="World").click()
    page.wait_for_url("**/section/world")
    screenshot(page, "section-world", shots)
    page.locator(".story-title a", has_text="Ceasefire talks resume in Geneva").click()
    page.wait_for_url(f"**/story/{site.stories['talks']}")
    assert "3 outlets" in page.locator("header .meta").first.inner_text()
    screenshot(page, "story", shots)
    page.locator(".original a", has_text="Ceasefire talks resume in Geneva").click()
    page.wait_for_url(f"**/article/{site.articles['talks']}")
    assert page.locator("h1").inner_text() == "Ceasefire talks resume in Geneva"
    screenshot(page, "article", shots)
    page.locator(".see-also a", has_text="Central bank holds interest rates").first.click()
    page.wait_for_url(f"**/story/{site.stories['rates']}")
    # No CSP violations, script errors or missing files; the seeded images' hosts do not exist.
    errors = [e for e in errors if "ERR_NAME_NOT_RESOLVED" not in e]
    assert errors == [], errors


def test_relative_times_keep_up_while_the_page_stays_open(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.clock.install()
    page.goto(base_url + "/")
    first = page.locator("time[data-relative]").first
    assert first.inner_text().endswith("ago") and "day" not in first.inner_text()
    page.clock.fast_forward("26:00:00")  # the page's timer runs on the fake clock
    assert first.inner_text() in ("1 day ago", "2 days ago")
    page.clock.fast_forward(8 * 24 * 3600 * 1000)  # past a week: the date, as the server writes
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", first.inner_text())


def test_a_time_ahead_of_the_reader_clock_shows_its_date(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.clock.install(time=NOW - timedelta(days=2))  # the reader's clock is two days behind
    page.goto(base_url + "/")
    first = page.locator("time[data-relative]").first
    page.clock.fast_forward("01:01")
    when = datetime.fromisoformat(first.get_attribute("datetime"))
    assert first.inner_text() == when.strftime("%-d %b %Y")  # as the server writes a date


def test_phone_width_and_keyboard(browser: Any, base_url: str, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740}, color_scheme="dark")
    page.goto(base_url + "/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways at 360 px ({width} px wide)"
    screenshot(page, "front-phone-dark", shots)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_search_with_a_filter(browser: Any, base_url: str, shots: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/search")
    page.get_by_label("Words").fill("central")
    page.get_by_label("Section", exact=True).select_option("business")
    page.get_by_label("newest").check()
    page.get_by_role("main").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?*section=business*")
    results = page.locator("ol.headlines .headline-title").all_inner_texts()
    assert results == ["Markets rally after rate decision", "Central bank holds interest rates"]
    screenshot(page, "search", shots)


def test_admin_login_add_source_and_correct_section(
    browser: Any, base_url: str, site: Site, http_server: FixtureServer, shots: Path
) -> None:
    http_server.route("/feed.xml", FEED, content_type="application/rss+xml")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/admin")
    page.wait_for_url("**/admin/login")
    screenshot(page, "login", shots)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin")
    page.get_by_label("Feed or site URL").fill(http_server.url("/feed.xml"))
    page.get_by_role("button", name="Add source").click()
    assert "Added Browser Feed" in page.locator(".notice").inner_text()
    assert page.get_by_role("link", name="Browser Feed").count() == 1
    screenshot(page, "admin", shots)
    page.goto(base_url + f"/article/{site.articles['talks']}")
    page.get_by_label("Section", exact=True).select_option("politics")
    page.get_by_role("button", name="Save section").click()
    assert "Section set to politics" in page.locator(".notice").first.inner_text()
    assert page.locator(".kicker .tag").inner_text().lower() == "politics"
    screenshot(page, "article-corrected", shots)


def _log_in(page: Any, base_url: str) -> None:
    page.goto(base_url + "/admin/login")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin")


def test_no_page_scrolls_sideways_on_a_phone(
    browser: Any, base_url: str, site: Site, long_titles: LongTitles, shots: Path
) -> None:
    page = browser.new_page(viewport=PHONE)
    paths = [
        "/",
        "/section/sports",
        f"/story/{long_titles.story_id}",
        f"/article/{long_titles.article_id}",
        f"/source/{long_titles.source_id}",
        "/search?q=derby",
        "/topic/vladimir-putin",
    ]
    wide = {}
    for path in paths:
        page.goto(base_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    _log_in(page, base_url)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        wide["/admin"] = width
    screenshot(page, "admin-phone", shots)
    assert wide == {}, f"pages wider than {PHONE['width']} px: {wide}"


def test_long_headlines_wrap_inside_their_card(
    browser: Any, base_url: str, long_titles: LongTitles
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/")
    title = page.locator(".story-title a", has_text=LONG_WORD[:40])
    card = page.locator(".story-card", has=title)
    title_box, card_box = title.bounding_box(), card.bounding_box()
    assert title_box["x"] + title_box["width"] <= card_box["x"] + card_box["width"]
    assert title.evaluate("a => a.scrollWidth <= a.closest('.story-card').clientWidth")


def test_admin_table_scrolls_in_its_own_box_on_a_phone(browser: Any, base_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    _log_in(page, base_url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"/admin is {width} px wide"
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("w => w.getBoundingClientRect().right") <= PHONE["width"]
    remove = page.get_by_role("button", name="Remove Wire Service")
    remove.scroll_into_view_if_needed()
    box = remove.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_a_lead_story_without_a_picture_leaves_no_empty_box(
    browser: Any, base_url: str, settings: Settings
) -> None:
    for number in range(4, 7):  # five stories or more: the lead card could span two rows
        execute(
            settings.database_url,
            "INSERT INTO stories (id, title, lead_article_id, section, first_seen, last_seen,"
            " article_count, outlet_count, score) VALUES (?, ?, NULL, 'sports', ?, ?, 1, 1, 1.0)",
            (
                number,
                f"Extra story {number}",
                stored_time(settings.database_url, NOW - timedelta(hours=3)),
                stored_time(settings.database_url, NOW - timedelta(hours=2)),
            ),
        )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.route("**/*.jpg", lambda route: route.abort())  # the lead's picture does not load
    page.goto(base_url + "/")
    lead = page.locator(".story-lead")
    lead.locator(".story-image").wait_for(state="detached")
    heights = page.evaluate(
        """() => {
            const lead = document.querySelector('.story-lead').getBoundingClientRect();
            const row = [...document.querySelectorAll('.story-card:not(.story-lead)')]
                .map(card => card.getBoundingClientRect())
                .filter(card => card.top === lead.top);
            return [lead.height, Math.max(...row.map(card => card.height))];
        }"""
    )
    lead_height, row_height = heights
    assert lead_height <= row_height + 1, f"the lead card spans more than its row: {heights}"
