"""URL normalisation: one spelling per article URL, so the same page is stored once."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import courlan


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number below 65536
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


def trusted_canonical(declared: str, page_url: str) -> str:
    """The canonical URL a page declares, or "" when it cannot name this page.

    Sites get rel=canonical wrong: every article pointing at the home page, at its section's
    index, or at another site. Taken on trust, that folds distinct articles into one stored
    article (the store keys articles by canonical URL) and the later ones are lost. So the
    declared URL must be on the same site (the same registered domain: www., m. and amp. hosts
    are one site) and must not be a home page or a parent path of the page itself.
    """
    if not is_web_url(declared):
        return ""
    if not page_url:
        return declared  # nothing to hold it against
    if not is_web_url(page_url) or _site(declared) != _site(page_url):
        return ""
    said, page = urlsplit(declared), urlsplit(page_url)
    said_path, page_path = said.path.rstrip("/"), page.path.rstrip("/")
    if said_path != page_path and (not said_path or page_path.startswith(said_path + "/")):
        return ""  # the home page, or the section the page sits in
    return declared


def _site(url: str) -> str:
    """The registered domain of a URL's host ("bbc.co.uk"), or for a host outside the public
    suffix list its name without www., m. or amp. prefixes, with its port."""
    domain = courlan.extract_domain(url)
    if domain:
        return str(domain)
    parts = urlsplit(url)
    host = _without_mobile_prefixes((parts.hostname or "").lower())
    return f"{host}:{parts.port}" if parts.port else host


# Query parameters that only track where a click came from. courlan's own list of the same
# trackers also matches any name that merely starts with one ("SourceCode", "cid", "gallery",
# "reference"), and a parameter that names the article must never be dropped: two articles
# would share one canonical URL, and the store would keep only the first. So the names here
# match whole (or as a `_` suffix), and the ambiguous ones (cid, eid, uid) are kept.
_TRACKING = re.compile(
    r"(?:(?:dc|fbc|gc|twc|yc|ysc)lid|(?:click|gbra|msclk|igsh|partner|wbra)id"
    r"|(?:ads?|mc|ga|gs|itm|mkt|ml|mtm|oly|pk|utm|vero)_.*"
    r"|(?:.*_)?(?:aff|affi|affiliate|campaign|clid|ga|gl|kwd|keyword|medium|ref|ref_?src"
    r"|referr?er|session|source|xtor))"
)


def canonical_url(url: str) -> str:
    """Normalise an article URL: lower-case host, no default port, no fragment, no tracking query.

    courlan (already needed by trafilatura) normalises the host, port and path; the query keeps
    every parameter but the trackers above (utm_*, fbclid, ref…), sorted, so that two spellings of
    one link compare equal.
    """
    url = url.strip()
    if not is_web_url(url):
        return url
    given = urlsplit(url)
    query = _without_trackers(given.query)
    try:
        normalised = courlan.normalize_url(urlunsplit(given._replace(query="")) if query else url)
    except (ValueError, TypeError):  # courlan can stumble on odd netlocs; keep the raw URL then
        normalised = url
    parts = urlsplit(normalised)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))


def _without_trackers(query: str) -> str:
    if not query:
        return ""
    kept = {
        name: values
        for name, values in sorted(parse_qs(query).items())
        if not _TRACKING.fullmatch(name.lower())
    }
    return urlencode(kept, doseq=True)


_MOBILE_HOST_PREFIXES = ("www.", "amp.", "m.", "mobile.")
_AMP_QUERY_KEYS = frozenset({"amp", "outputtype", "output", "amp_js_v", "usqp"})
_AMP_QUERY_VALUES = frozenset({"", "1", "true", "amp"})


def identity_url(url: str) -> str:
    """A scheme-less key under which AMP, mobile, http/https and trailing-slash spellings coincide.

    Not a fetchable URL: it exists only to decide "same page reached twice".
    """
    canon = canonical_url(url)
    if not is_web_url(canon):
        return canon
    parts = urlsplit(canon)
    host = _without_mobile_prefixes((parts.hostname or "").lower())
    if parts.port:
        host = f"{host}:{parts.port}"
    segments = [s for s in parts.path.split("/") if s and s.lower() != "amp"]
    if segments:
        last = segments[-1]
        for suffix in (".amp.html", ".amp"):
            if last.lower().endswith(suffix):
                last = last[: -len(suffix)] + (".html" if suffix == ".amp.html" else "")
        segments[-1] = last
    path = "/".join(segments)
    kept = [pair for pair in parts.query.split("&") if pair and not _is_amp_param(pair)]
    query = "&".join(kept)
    key = f"{host}/{path}" if path else host
    return f"{key}?{query}" if query else key


def _is_amp_param(pair: str) -> bool:
    name, _, value = pair.partition("=")
    return name.lower() in _AMP_QUERY_KEYS and value.lower() in _AMP_QUERY_VALUES


def _without_mobile_prefixes(host: str) -> str:
    stripped = True
    while stripped:  # "www.m.example.com" and "amp.www.example.com" both occur in the wild
        stripped = False
        for prefix in _MOBILE_HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host = host[len(prefix) :]
                stripped = True
    return host
