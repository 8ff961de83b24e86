"""URL normalisation: one spelling per article URL, so the same page is stored once."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

import courlan


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and bool(parts.hostname)


def absolute_url(url: str, base: str) -> str:
    """Resolve url against base; "" when the result is not an http(s) URL."""
    try:
        joined = urljoin(base, url.strip())
    except ValueError:
        return ""
    return joined if is_web_url(joined) else ""


def canonical_url(url: str) -> str:
    """Normalise an article URL: lower-case host, no default port, no fragment, no tracking query.

    courlan (already needed by trafilatura) removes tracking parameters (utm_*, fbclid, ref…) and
    sorts the rest, so that two spellings of one link compare equal.
    """
    url = url.strip()
    if not is_web_url(url):
        return url
    try:
        normalised = courlan.normalize_url(url)
    except (ValueError, TypeError):  # courlan can stumble on odd netlocs; keep the raw URL then
        normalised = url
    parts = urlsplit(normalised)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
