import pytest

from newsdesk.pipeline.urls import (
    absolute_url,
    canonical_url,
    identity_url,
    is_web_url,
    trusted_canonical,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HTTP://Example.COM:80/news/a?utm_source=rss&utm_medium=x", "http://example.com/news/a"),
        ("https://example.com/a?b=2&a=1#comments", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?fbclid=XYZ", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_canonical_url(a: str, b: str) -> None:
    assert canonical_url(a) == b


@pytest.mark.parametrize(
    "query",
    ["cid=123", "SourceCode=20140310ff", "gallery=5", "reference=4", "eid=9", "refresh=1"],
)
def test_a_parameter_that_names_the_article_is_kept(query: str) -> None:
    # courlan's tracker list also drops any name starting with one ("source", "ref", "ga"...):
    # two articles would share one canonical URL and the store would keep only the first.
    one = canonical_url(f"https://news.example/view?{query}")
    other = canonical_url(f"https://news.example/view?{query}0")
    assert one.endswith(f"?{query}") and one != other


@pytest.mark.parametrize(
    "trackers", ["source=rss", "ref=tw&ref_src=twsrc", "mc_cid=1&mc_eid=2", "_ga=1&gclid=2"]
)
def test_tracking_parameters_go(trackers: str) -> None:
    assert canonical_url(f"https://news.example/a?id=7&{trackers}") == (
        "https://news.example/a?id=7"
    )


def test_non_web_urls_are_left_alone() -> None:
    assert canonical_url("urn:uuid:1234") == "urn:uuid:1234"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.example/x", True),
        ("javascript:alert(1)", False),
        ("/relative", False),
        ("file:///etc/passwd", False),
        ("http://[::1", False),
        ("http://x:99999/", False),
        ("http://a:b/", False),
    ],
)
def test_is_web_url(url: str, ok: bool) -> None:
    assert is_web_url(url) is ok


def test_absolute_url_resolves_and_refuses_other_schemes() -> None:
    assert absolute_url("../b", "https://ex.com/a/c") == "https://ex.com/b"
    assert absolute_url("javascript:alert(1)", "https://ex.com/") == ""


@pytest.mark.parametrize("url", ["http://x:99999/", "http://a:b/"])
def test_bad_ports_never_raise(url: str) -> None:
    assert canonical_url(url) == url
    assert identity_url(url) == url


PAGE = "https://www.news.example/world/2024/harbour-reopens"


@pytest.mark.parametrize(
    ("declared", "kept"),
    [
        (PAGE, True),
        (PAGE + "?id=7", True),
        ("https://news.example/world/2024/harbour-reopens", True),  # www. or not: one site
        ("https://amp.news.example/world/2024/harbour-reopens", True),
        ("https://www.news.example/world/2024/harbour-reopens-2", True),  # a sibling page
        ("https://www.news.example/", False),  # every article "is" the home page
        ("https://www.news.example", False),
        ("https://www.news.example/world/", False),  # the section the page sits in
        ("https://www.news.example/world/2024", False),
        ("https://other.example/world/2024/harbour-reopens", False),  # another site
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_a_declared_canonical_is_kept_only_when_it_can_name_the_page(
    declared: str, kept: bool
) -> None:
    assert trusted_canonical(declared, PAGE) == (declared if kept else "")


def test_a_home_page_may_name_itself() -> None:
    assert trusted_canonical("https://news.example/", "https://news.example/") == (
        "https://news.example/"
    )
