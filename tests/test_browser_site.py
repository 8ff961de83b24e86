"""Real-browser walks through the site: reading, searching, and the admin's work."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import chromium, screenshot, serve
from fixture_server import FixtureServer
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from site_data import Site, seed_site

PASSWORD = "correct horse battery"
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
