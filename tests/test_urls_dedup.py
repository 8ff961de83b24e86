import pytest

from newsdesk.pipeline.urls import identity_url


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/world/quake-hits-city",
        "http://example.com/world/quake-hits-city",
        "https://example.com/world/quake-hits-city/",
        "https://m.example.com/world/quake-hits-city",
        "https://amp.example.com/world/quake-hits-city",
        "https://example.com/amp/world/quake-hits-city",
        "https://example.com/world/quake-hits-city/amp/",
        "https://example.com/world/quake-hits-city?amp",
        "https://example.com/world/quake-hits-city?amp=1",
        "https://example.com/world/quake-hits-city?outputType=amp",
        "https://example.com/world/quake-hits-city?utm_source=rss&utm_medium=feed#top",
    ],
)
def test_spellings_of_one_page_share_an_identity(variant: str) -> None:
    assert identity_url(variant) == identity_url("https://example.com/world/quake-hits-city")


def test_amp_html_suffix_is_the_html_page() -> None:
    assert identity_url("https://ex.com/a/story.amp.html") == identity_url(
        "https://ex.com/a/story.html"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/a", "https://example.com/b"),
        ("https://example.com/a?id=1", "https://example.com/a?id=2"),
        ("https://one.example.com/a", "https://two.example.com/a"),
    ],
)
def test_different_pages_stay_different(a: str, b: str) -> None:
    assert identity_url(a) != identity_url(b)
