"""The site's pages: front, sections, story, article, search, topic, place and source."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from newsdesk.settings import Settings
from newsdesk.store import FetchOutcome, open_store
from newsdesk.web.app import create_app
from site_data import NOW, Site, execute, seed_site, stored_time


@pytest.fixture
def site(settings: Settings) -> Site:
    return seed_site(settings.database_url)


@pytest.fixture
def client(settings: Settings, site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(settings, refresh=False)) as client:
        yield client


def test_front_page_shows_top_stories_latest_and_sections(client: TestClient, site: Site) -> None:
    html = client.get("/").text
    top = html[html.index("Top stories</h1>") : html.index("Latest headlines")]
    # Highest score first, each with its lead headline, outlet count and image.
    assert top.index("Ceasefire talks resume in Geneva") < top.index("Central bank holds")
    assert "3 outlets" in top and "2 outlets" in top and "1 outlet<" in top
    assert 'src="https://talks.example.com/lead.jpg"' in top
    assert f'href="/story/{site.stories["talks"]}"' in top
    latest = html[html.index("Latest headlines") :]
    assert "New phone folds in three" in latest
    # The lead stories are not repeated among the latest headlines.
    assert "Ceasefire talks" not in latest.split("The last day of news by section")[0]
    assert '<nav class="sections" aria-label="Sections">' in html
    assert 'href="/section/politics"' in html
    assert '<svg viewBox="0 0 320' in html and "World: 1 stories" not in html
    assert "world 1, business 1, sports 1 (stories in the last day of news)" in html


def test_section_pages_and_world_regions(client: TestClient) -> None:
    world = client.get("/section/world").text
    assert "Ceasefire talks resume in Geneva" in world and "Central bank" not in world
    assert 'href="/section/world/europe"' in world
    europe = client.get("/section/world/europe")
    assert europe.status_code == 200
    assert "World › Europe" in europe.text and "Geneva talks" in europe.text
    assert "Ceasefire talks" in client.get("/section/world/europe").text
    assert "Geneva" not in client.get("/section/world/asia").text.split("<main")[1].split("Top")[0]
    assert client.get("/section/nonsense").status_code == 404
    assert client.get("/section/sports/europe").status_code == 404
    assert "Nothing in Politics yet" in client.get("/section/politics").text


def test_story_page_shows_every_outlet_the_original_and_copies(
    client: TestClient, site: Site
) -> None:
    html = client.get(f"/story/{site.stories['talks']}").text
    assert "3 outlets" in html
    original = html[html.index("The original") : html.index("Every outlet")]
    assert "Wire Service" in original
    outlets = html[html.index("Every outlet") : html.index("folded in")]
    assert "Geneva talks: negotiators meet again" in outlets and "Daily Planet" in outlets
    copies = html[html.index("folded in") :]
    assert "Morning Post" in copies
    assert 'class="chart timeline"' in html and "<rect" in html
    assert "See also" in html and "Central bank holds interest rates" in html
    assert client.get("/story/999").status_code == 404
    assert client.get("/story/abc").status_code == 404


def test_story_page_lists_earlier_developments_apart(
    client: TestClient, site: Site, settings: Settings
) -> None:
    # The rates story ended a day before the talks story began: an earlier development of it.
    execute(
        settings.database_url,
        "UPDATE stories SET first_seen = ?, last_seen = ? WHERE id = ?",
        (
            stored_time(settings.database_url, NOW - timedelta(hours=30)),
            stored_time(settings.database_url, NOW - timedelta(hours=24)),
            site.stories["rates"],
        ),
    )
    talks = client.get(f"/story/{site.stories['talks']}").text
    earlier = talks[talks.index("Earlier developments") :]
    assert "Central bank holds interest rates" in earlier and "See also" not in earlier
    rates = client.get(f"/story/{site.stories['rates']}").text
    assert "Earlier developments" not in rates
    assert "Ceasefire talks resume" in rates[rates.index("See also") :]


def test_article_page(client: TestClient, site: Site) -> None:
    html = client.get(f"/article/{site.articles['talks']}").text
    assert "<h1>Ceasefire talks resume in Geneva</h1>" in html
    assert 'class="tag tag-world"' in html
    assert "Ana Reporter" in html and "Wire Service" in html
    assert "<p>Negotiators met in Geneva on Monday" in html
    assert 'href="https://talks.example.com/news/talks" rel="noopener noreferrer"' in html
    assert "all rights remain with the publisher" in html
    assert 'href="/topic/vladimir-putin"' in html and 'href="/place/UA"' in html
    see_also = html[html.index("See also") :]
    assert f'href="/story/{site.stories["rates"]}"' in see_also
    assert "Correct the section" not in html  # only for the admin
    copy = client.get(f"/article/{site.articles['copy']}").text
    assert "This is a copy of" in copy
    summary_only = client.get(f"/article/{site.articles['phone']}").text
    assert "<p>The phone folds twice" in summary_only
    rates = client.get(f"/article/{site.articles['rates']}").text
    assert f'href="/story/{site.stories["talks"]}"' in rates[rates.index("See also") :]
    assert client.get("/article/0").status_code == 404


def test_search_with_filters_and_sorting(client: TestClient, site: Site) -> None:
    html = client.get("/search", params={"q": "ceasefire"}).text
    assert "Results for “ceasefire”" in html
    assert html.count('class="headline"') == 2  # talks and geneva; the copy is folded away
    world = client.get("/search", params={"q": "central bank", "section": "business"}).text
    assert "Central bank holds" in world and "Markets rally" in world
    planet = client.get(
        "/search", params={"q": "central", "source": str(site.sources["planet"]), "sort": "time"}
    ).text
    assert "Central bank holds" in planet and "Markets rally" not in planet
    ukraine = client.get("/search", params={"q": "geneva", "place": "ua"}).text
    assert "Geneva talks" in ukraine
    old = client.get("/search", params={"q": "geneva", "to": "2001-01-01"}).text
    assert "Nothing found" in old
    bad = client.get("/search", params={"q": "geneva", "from": "yesterday"})
    assert bad.status_code == 400 and "from must be a date" in bad.text
    assert client.get("/search").status_code == 200


def test_topic_place_and_source_pages(client: TestClient, site: Site) -> None:
    topic = client.get("/topic/vladimir-putin").text
    assert "<h1>Vladimir Putin</h1>" in topic and "Geneva talks" in topic
    assert client.get("/topic/nobody-at-all").status_code == 404
    place = client.get("/place/UA").text
    assert "<h1>Ukraine</h1>" in place and "Ceasefire talks" in place
    assert client.get("/place/ua", follow_redirects=False).status_code == 301
    assert client.get("/place/ZZ").status_code == 404
    source = client.get(f"/source/{site.sources['wire']}").text
    assert "Wire Service" in source and "New phone folds" in source
    assert "Failures in a row" in source and 'class="chart sparkline"' in source
    assert client.get("/source/999").status_code == 404


def test_a_source_page_says_what_its_last_feed_read_repaired(
    settings: Settings, site: Site
) -> None:
    store = open_store(settings.database_url)
    store.save_outcome(
        FetchOutcome(
            source_id=site.sources["wire"],
            fetched_at=NOW,
            status=200,
            error="",
            failed=False,
            entries_seen=0,
            duration_ms=5,
            interval_seconds=900,
            next_due_at=NOW + timedelta(minutes=15),
            warning="3 entries shared a GUID with another entry; their links serve as GUIDs",
        )
    )
    store.close()
    with TestClient(create_app(settings, refresh=False)) as client:
        page = client.get(f"/source/{site.sources['wire']}").text
        api = client.get(f"/api/v1/sources/{site.sources['wire']}").json()
    assert "The last feed read was repaired: 3 entries shared a GUID" in page
    assert api["health"]["last_warning"].startswith("3 entries shared a GUID")


def test_pages_are_safe(client: TestClient, site: Site) -> None:
    for path in ["/", "/section/world", f"/story/{site.stories['talks']}", "/search?q=x"]:
        response = client.get(path)
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert "<script>" not in response.text and " style=" not in response.text
        assert "set-cookie" not in response.headers  # no session for readers
        for link in re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', response.text):
            assert 'rel="noopener noreferrer' in link, link
        for image in re.findall(r"<img [^>]*>", response.text):
            assert "alt=" in image


def test_pages_survive_an_empty_store(settings: Settings) -> None:
    with TestClient(create_app(settings, refresh=False)) as client:
        for path in [
            "/",
            "/section/world",
            "/section/world/asia",
            "/search?q=x",
            "/api/v1/stories",
        ]:
            assert client.get(path).status_code == 200


def _nav(html: str) -> str:
    return html[html.index('<nav class="sections"') : html.index("</nav>")]


def test_only_the_page_a_section_link_leads_to_is_current(client: TestClient, site: Site) -> None:
    assert client.get("/").text.count('aria-current="page"') == 1
    assert 'aria-current="page">Top stories' in _nav(client.get("/").text)
    assert 'aria-current="page">World' in _nav(client.get("/section/world").text)
    for path in [
        "/section/world/europe",
        f"/article/{site.articles['talks']}",
        f"/story/{site.stories['talks']}",
        "/search?q=geneva",
        "/topic/vladimir-putin",
        "/place/UA",
        f"/source/{site.sources['wire']}",
        "/admin/login",
        "/no/such/page",
    ]:
        assert "aria-current" not in _nav(client.get(path).text), path


def test_counts_are_pluralised(client: TestClient, site: Site) -> None:
    derby = client.get(f"/story/{site.stories['derby']}").text
    assert "1 outlet · 1 article ·" in derby
    talks = client.get(f"/story/{site.stories['talks']}").text
    assert "3 outlets · 3 articles ·" in talks and "1 copy folded in" in talks
    # A story of one article is the article itself: no "Full coverage" link to it.
    assert "Full coverage" not in client.get(f"/article/{site.articles['derby']}").text
    article = client.get(f"/article/{site.articles['talks']}").text
    assert "Full coverage: 3 outlets on this story" in article


def test_an_unsafe_original_link_is_left_out(
    client: TestClient, site: Site, settings: Settings
) -> None:
    execute(
        settings.database_url,
        "UPDATE articles SET url = 'javascript:alert(1)' WHERE id IN (?, ?)",
        (site.articles["derby"], site.articles["geneva"]),
    )
    article = client.get(f"/article/{site.articles['derby']}").text
    assert "Read the original" not in article and 'href="#"' not in article
    assert (
        "Read the original at talks.example.com"
        in client.get(f"/article/{site.articles['talks']}").text
    )
    for story in ("derby", "talks"):
        html = client.get(f"/story/{site.stories[story]}").text
        assert 'href="#"' not in html and "javascript:" not in html, story
    talks = client.get(f"/story/{site.stories['talks']}").text
    assert "at talks.example.com" in talks  # the original's link is safe


def test_timeline_legend_explains_every_colour(client: TestClient, site: Site) -> None:
    html = client.get(f"/story/{site.stories['talks']}").text
    legend = html[html.index('<p class="legend">') :].split("</p>")[0]
    assert 'class="bar original"' in html and 'class="bar "' in html
    assert 'swatch original" aria-hidden="true"></span> includes the original' in legend
    assert 'swatch" aria-hidden="true"></span> other coverage' in legend


def test_footer_claims_no_demo(client: TestClient) -> None:
    footer = client.get("/").text.split('<footer class="site-footer">')[1]
    assert "Demo content" not in footer
    assert "Articles from" in footer and "CC BY 2.5" in footer
