import pytest

from newsdesk.pipeline.urls import absolute_url, canonical_url, identity_url, is_web_url


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
