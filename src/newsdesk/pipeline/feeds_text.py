"""Normalisation shared by the feed mappers: plain-text titles, UTC dates, absolute links, GUIDs,
language codes."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from newsdesk.models import Enclosure, Entry

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# C0/C1 controls (tabs and newlines become spaces anyway), lone surrogates (UTF-8 cannot store
# them) and the two non-characters: none belongs in a title, and CR/LF or ESC in one could forge
# log lines or drive a terminal.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0e-\x1b\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
MAX_TITLE_CHARS = 1000
MAX_AUTHOR_CHARS = 300
_WEB_SCHEMES = ("http", "https")
_ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def plain_text(value: str | None, limit: int | None = None) -> str:
    """Tags stripped, entities decoded, control characters dropped and whitespace collapsed.

    With a `limit`, at most that many characters are kept (a 10 MB title is an attack).
    """
    if not value:
        return ""
    if limit is not None and len(value) > 4 * limit:
        value = value[: 4 * limit]  # room for the tags and entities that shrink below
    if "<" in value:
        value = _TAG.sub(" ", value)
    if "&" in value:
        value = html.unescape(value)
    if value.isprintable():
        # No control character and no whitespace but " ": only runs of spaces to collapse.
        value = (_SPACE.sub(" ", value) if "  " in value else value).strip()
    else:
        value = _SPACE.sub(" ", _INVISIBLE.sub("", value)).strip()
    return value if limit is None else value[:limit].rstrip()


def is_absolute(url: str) -> bool:
    return bool(_ABSOLUTE.match(url))


def resolve_url(url: str | None, base: str) -> str:
    """`url` made absolute against `base`; unchanged when already absolute or without a base."""
    if not url:
        return ""
    url = url.strip()
    if not base or is_absolute(url):
        return url
    try:
        return urljoin(base, url)
    except ValueError:
        return url


def to_utc(value: datetime | None) -> datetime | None:
    """A timezone-aware UTC datetime to the second; naive values are taken to be UTC already."""
    if value is None:
        return None
    # Whole seconds: feeds rarely mean more, and the fallback parser cannot express more.
    if value.microsecond:
        value = value.replace(microsecond=0)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def parse_iso(value: object) -> datetime | None:
    """An ISO 8601 string as UTC, or None when it is absent or does not parse."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        return to_utc(datetime.fromisoformat(text))
    except ValueError:
        return None


def parse_date(value: object) -> datetime | None:
    """An ISO 8601 or RFC 822 date string as UTC, or None when it is absent or does not parse."""
    parsed = parse_iso(value)
    if parsed is None and isinstance(value, str) and value.strip():
        try:
            parsed = to_utc(parsedate_to_datetime(value.strip()))
        except (TypeError, ValueError, IndexError):
            return None
    return parsed


def stable_guid(title: str, published: datetime | None, summary: str) -> str:
    """A GUID for entries that carry no id and no link: sha1 of title, date and summary."""
    stamp = published.isoformat() if published else ""
    digest = hashlib.sha1(f"{title}\n{stamp}\n{summary}".encode(), usedforsecurity=False)
    return "sha1:" + digest.hexdigest()


def unique_terms(terms: Iterable[str | None]) -> tuple[str, ...]:
    """Category terms stripped, with empties and repeats dropped, in order."""
    seen: dict[str, None] = {}
    for term in terms:
        if term and (clean := term.strip()):
            seen.setdefault(clean, None)
    return tuple(seen)


def make_entry(
    *,
    guid: str | None,
    link: str | None,
    title: str | None,
    base: str,
    summary: str | None = "",
    content: str | None = "",
    author: str | None = "",
    published: datetime | None = None,
    updated: datetime | None = None,
    categories: tuple[str, ...] = (),
    enclosures: tuple[Enclosure, ...] = (),
) -> Entry | None:
    """One normalised Entry, or None for an entry with no link, title or content."""
    url = resolve_url(link, base)
    clean_title = plain_text(title, MAX_TITLE_CHARS)
    summary = summary or ""
    content = content or ""
    if not (url or clean_title or content or summary):
        return None
    # Downstream needs one date per entry; an Atom entry with only <updated> is dated by it.
    published = published or updated
    guid = (
        (guid or "").strip()
        or url
        or stable_guid(clean_title, to_utc(published), summary or content)
    )
    return Entry(
        guid=guid,
        url=url,
        title=clean_title,
        summary=summary,
        content=content,
        author=plain_text(author, MAX_AUTHOR_CHARS),
        published=to_utc(published),
        updated=to_utc(updated),
        categories=categories,
        enclosures=enclosures,
    )


def make_enclosure(url: object, mime: object, length: object, base: str) -> Enclosure | None:
    """An Enclosure with an absolute http(s) url and an integer length, or None without one.

    javascript:, data: and file: enclosures are dropped: an image enclosure becomes the
    article's lead image, which pages show.
    """
    if not isinstance(url, str) or not url.strip():
        return None
    absolute = resolve_url(url, base)
    if absolute.split(":", 1)[0].lower() not in _WEB_SCHEMES:
        return None
    size: int | None
    try:
        size = int(str(length).strip()) if length not in (None, "") else None
    except ValueError:
        size = None
    if size is not None and size < 0:
        size = None
    return Enclosure(url=absolute, type=mime if isinstance(mime, str) else "", length=size)


def primary_language(tag: str) -> str:
    """The language code of a language tag ("fr-FR" -> "fr", "en_us" -> "en"), or ""."""
    primary = re.split(r"[-_,;\s]", tag.strip(), maxsplit=1)[0].lower() if tag else ""
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else ""
