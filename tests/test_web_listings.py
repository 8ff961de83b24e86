"""Listing pages: topic chips lead to their topic's page and feed; paging ends on a full page."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from newsdesk.models import Topic
from newsdesk.pipeline.topics import topic_key
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.web.app import create_app
from store_fixtures import article, outcome

NAMES = ("Mohammad Mir-Mohammadi", "COVID-19", "covid 19", "Second US Biden-Trump debate")


@pytest.fixture
def client(settings: Settings) -> TestClient:
    store = open_store(settings.database_url)
    source = store.add_source("https://wire.example/feed.xml", title="Wire")
    topics = {topic_key(name): Topic(topic_key(name), name, "name", 1) for name in NAMES}
    store.save_outcome(
        outcome(
            source.id,
            article(source.id, 1, title="Vaccines and a debate", topics=tuple(topics.values())),
        )
    )
    store.close()
    return TestClient(create_app(settings, refresh=False))


def test_every_topic_chip_opens_its_topic_page_and_feed(client: TestClient) -> None:
    with client:
        page = client.get("/article/1")
        assert page.status_code == 200
        links = sorted(set(re.findall(r'href="(/topic/[^"]+)"', page.text)))
        # "COVID-19" and "covid 19" are one topic.
        assert links == [
            "/topic/covid-19",
            "/topic/mohammad-mir-mohammadi",
            "/topic/second-us-biden-trump-debate",
        ]
        for link in links:
            assert client.get(link).status_code == 200, link
            feed = client.get(link.replace("/topic/", "/feeds/topic/") + ".rss")
            assert feed.status_code == 200, link
            assert "Vaccines and a debate" in feed.text
        assert "Mir-Mohammadi" in client.get("/topic/mohammad-mir-mohammadi").text
        assert client.get("/topic/Mohammad-Mir-Mohammadi").status_code == 200
        api = client.get("/api/v1/articles", params={"topic": "covid-19"}).json()
        assert [a["title"] for a in api["items"]] == ["Vaccines and a debate"]


@pytest.mark.parametrize("count", [30, 31, 61])
def test_the_last_page_of_a_listing_has_no_older_link(settings: Settings, count: int) -> None:
    from datetime import timedelta

    from store_fixtures import T0

    store = open_store(settings.database_url)
    source = store.add_source("https://busy.example/feed.xml", title="Busy")
    store.save_outcome(
        outcome(
            source.id,
            *(article(source.id, n, published=T0 - timedelta(minutes=n)) for n in range(count)),
        )
    )
    store.close()
    with TestClient(create_app(settings, refresh=False)) as client:
        url, seen, pages = f"/source/{source.id}", 0, 0
        while url:
            page = client.get(url).text
            seen += page.count('<li class="headline">')
            pages += 1
            older = re.search(r'rel="next" href="([^"]+)"', page)
            url = f"/source/{source.id}" + older.group(1).replace("&amp;", "&") if older else ""
        assert (seen, pages) == (count, -(-count // 30))


def test_a_bad_search_filter_shows_the_form_as_typed_and_no_results(settings: Settings) -> None:
    from site_data import seed_site

    seed_site(settings.database_url)
    with TestClient(create_app(settings, refresh=False)) as client:
        assert '<li class="headline">' in client.get("/search?q=central").text
        bad = client.get("/search?q=central&from=garbage&section=business")
        assert bad.status_code == 400
        assert "from must be a date" in bad.text
        assert '<li class="headline">' not in bad.text  # not the results of another search
        assert "Nothing found" not in bad.text and "/feeds/search.rss" not in bad.text
        assert '<option value="business" selected>' in bad.text
        assert 'value="garbage"' in bad.text
        reversed_range = client.get("/search?q=central&from=2024-05-02&to=2024-05-01")
        assert reversed_range.status_code == 400
        assert "the from date is after the to date" in reversed_range.text
        api = client.get("/api/v1/search?q=central&from=2024-05-02&to=2024-05-01")
        assert api.status_code == 400


def test_place_chips_name_the_country_their_page_covers(settings: Settings) -> None:
    from site_data import seed_site

    site = seed_site(settings.database_url)
    with TestClient(create_app(settings, refresh=False)) as client:
        page = client.get(f"/article/{site.articles['talks']}").text
        chips = re.findall(r'<a href="/place/([A-Z]{2})"([^>]*)>([^<]+)</a>', page)
        # Geneva's chip said "Geneva" but opened all of Switzerland's news.
        assert chips == [
            ("UA", "", "Ukraine"),
            ("CH", ' title="Mentioned: Geneva"', "Switzerland"),
        ]


def test_a_small_desk_whose_every_headline_is_a_top_story_says_so(settings: Settings) -> None:
    from newsdesk.stories import StoryDesk

    store = open_store(settings.database_url)
    source = store.add_source("https://small.example/feed.xml", title="Small")
    store.save_outcome(outcome(source.id, article(source.id, 1, title="The only report")))
    StoryDesk.open(store)  # places it: a story of one
    store.close()
    with TestClient(create_app(settings, refresh=False)) as client:
        front = client.get("/").text
    assert "The only report" in front
    assert "No headlines yet" not in front and "being refreshed" not in front
    assert "Every headline is among the top stories above." in front
