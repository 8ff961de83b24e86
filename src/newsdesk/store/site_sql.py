"""SQL the site queries share between SQLite and PostgreSQL: article filters and mutes.

Both dialects take the same text; only the placeholder ("?" or "%s") and how a datetime is
bound differ, so the builders take both as arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from newsdesk.store.base_site import ArticleFilter, Mute

TimeParam = Callable[[datetime], object]


def article_conditions(
    filter: ArticleFilter, mutes: Sequence[Mute], mark: str, time: TimeParam
) -> tuple[list[str], list[object]]:
    """WHERE conditions on articles `a` and their parameters."""
    clauses: list[str] = []
    params: list[object] = []
    if filter.section:
        clauses.append(f"a.section = {mark}")
        params.append(filter.section)
    if filter.region:
        clauses.append(f"a.id IN (SELECT article_id FROM article_places WHERE region = {mark})")
        params.append(filter.region)
    if filter.country:
        clauses.append(
            f"a.id IN (SELECT article_id FROM article_places WHERE country_code = {mark})"
        )
        params.append(filter.country.upper())
    if filter.topic:
        clauses.append(f"a.id IN (SELECT article_id FROM article_topics WHERE key = {mark})")
        params.append(filter.topic)
    if filter.source_id is not None:
        clauses.append(f"a.id IN (SELECT article_id FROM entries WHERE source_id = {mark})")
        params.append(filter.source_id)
    if filter.since is not None:
        clauses.append(f"a.sort_time >= {mark}")
        params.append(time(filter.since))
    if filter.until is not None:
        clauses.append(f"a.sort_time < {mark}")
        params.append(time(filter.until))
    if filter.originals_only:
        # Not "IS NULL": SQLite would walk the duplicate_of index (nearly every row) and sort.
        clauses.append("coalesce(a.duplicate_of, 0) = 0")
    if filter.apply_mutes:
        mute_clauses, mute_params = mute_conditions(mutes, mark)
        clauses.extend(mute_clauses)
        params.extend(mute_params)
    return clauses, params


def mute_conditions(mutes: Sequence[Mute], mark: str) -> tuple[list[str], list[object]]:
    """Conditions leaving out articles `a` of muted sources or with a muted topic."""
    sources = [
        int(m.ref) for m in mutes if m.kind == "source" and m.ref.isascii() and m.ref.isdigit()
    ]
    topics = [m.ref for m in mutes if m.kind == "topic"]
    clauses: list[str] = []
    params: list[object] = []
    if sources:
        clauses.append(f"a.source_id NOT IN ({', '.join([mark] * len(sources))})")
        params.extend(sources)
    if topics:
        clauses.append(
            "NOT EXISTS (SELECT 1 FROM article_topics mt WHERE mt.article_id = a.id"
            f" AND mt.key IN ({', '.join([mark] * len(topics))}))"
        )
        params.extend(topics)
    return clauses, params


def story_conditions(
    section: str, region: str, mutes: Sequence[Mute], mark: str
) -> tuple[list[str], list[object]]:
    """WHERE conditions on stories `st`: live and holding articles, in the section and region,
    lead not muted."""
    # A story left with no articles (another desk moved them all) is not shown.
    clauses = ["st.merged_into IS NULL", "st.article_count > 0"]
    params: list[object] = []
    if section:
        clauses.append(f"st.section = {mark}")
        params.append(section)
    if region:
        clauses.append(
            "EXISTS (SELECT 1 FROM articles ra JOIN article_places rp ON rp.article_id = ra.id"
            f" WHERE ra.story_id = st.id AND rp.region = {mark})"
        )
        params.append(region)
    lead_clauses, lead_params = mute_conditions(mutes, mark)
    if lead_clauses:
        clauses.append(
            "NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = st.lead_article_id AND NOT ("
            + " AND ".join(lead_clauses)
            + "))"
        )
        params.extend(lead_params)
    return clauses, params


def where(clauses: Sequence[str]) -> str:
    return f"WHERE {' AND '.join(clauses)}" if clauses else ""


STORY_COLUMNS = (
    "st.id, st.title, st.lead_article_id, st.section, st.first_seen, st.last_seen,"
    " st.article_count, st.outlet_count, st.score, st.merged_into"
)

# Copies of a story's articles belong to its coverage even when they carry no story id.
COVERAGE_CONDITION = (
    "(a.story_id = {m} OR a.duplicate_of IN (SELECT id FROM articles WHERE story_id = {m}))"
)
