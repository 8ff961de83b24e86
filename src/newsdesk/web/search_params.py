"""Reading the search form (and the search feed and API) into a `SearchQuery`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from starlette.datastructures import QueryParams

from newsdesk.store.base_site import ArticleFilter, SearchQuery
from newsdesk.web.taxonomy import SECTIONS, is_country_code

MAX_QUERY = 500
MAX_OFFSET = 1000


class SearchParamError(ValueError):
    """A filter value that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class SearchForm:
    """The form's fields as typed, for showing them again, and the query they make."""

    q: str
    section: str
    source: str
    place: str
    date_from: str
    date_to: str
    sort: str
    query: SearchQuery


def _day(text: str, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SearchParamError(f"{name} must be a date like 2024-05-01") from None


def search_form(params: QueryParams, limit: int = 20, offset: int = 0) -> SearchForm:
    """The search the parameters ask for; SearchParamError for a bad filter."""
    typed = entered_form(params)
    section, source, place, sort = typed.section, typed.source, typed.place, typed.sort
    if section and section not in SECTIONS:
        raise SearchParamError(f"unknown section {section!r}")
    if source and not (source.isascii() and source.isdigit() and len(source) < 18):
        raise SearchParamError("source must be a source id")
    if place and not is_country_code(place):
        raise SearchParamError("place must be a two-letter country code, like UA")
    if sort not in {"relevance", "time"}:
        raise SearchParamError("sort must be relevance or time")
    first, last = _day(typed.date_from, "from"), _day(typed.date_to, "to")
    if first and last and first > last:
        raise SearchParamError("the from date is after the to date")
    since = datetime.combine(first, time(), UTC) if first else None
    until = datetime.combine(last, time(), UTC) + timedelta(days=1) if last else None
    filter = ArticleFilter(
        section=section,
        source_id=int(source) if source else None,
        country=place.upper(),
        since=since,
        until=until,
        originals_only=True,
    )
    order: Literal["relevance", "time"] = "time" if sort == "time" else "relevance"
    query = SearchQuery(typed.q, filter, order, limit, min(offset, MAX_OFFSET))
    return replace(typed, place=place.upper(), query=query)


def entered_form(params: QueryParams) -> SearchForm:
    """The form as typed, to show it again beside an error; its query finds nothing."""
    get = params.get
    return SearchForm(
        get("q", "")[:MAX_QUERY],
        get("section", ""),
        get("source", ""),
        get("place", "").strip(),
        get("from", ""),
        get("to", ""),
        get("sort", "relevance") or "relevance",
        SearchQuery(""),
    )
