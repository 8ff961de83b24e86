"""Turn whatever a user types into a search box into a safe PostgreSQL text-search query."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.store.postgres_rows import clean_text

MAX_TERMS = 32
# The text search configuration the migrations create: English stems, no stop words.
CONFIG = "newsdesk_english"
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class TextQuery:
    """A tsquery as SQL (with %s placeholders) and its parameters; the terms are ANDed."""

    sql: str
    params: tuple[str, ...]


def text_query(text: str) -> TextQuery | None:
    """The query for `text`, or None when it holds nothing searchable.

    The same terms as the SQLite store searches for: every whitespace-separated term must match,
    and operators (OR, -, quotes) are only ever searched for, never parsed. Each term is a
    quoted phrase for ``websearch_to_tsquery``, so a term like ``e-mail`` is parsed exactly as
    the indexed text was. A term ending in ``*`` is a prefix search, built from its words, which
    are letters and digits only and so need no escaping.
    """
    parts: list[str] = []
    params: list[str] = []
    for token in clean_text(text).split():
        prefix = token.endswith("*")
        core = token.rstrip("*")
        words = _WORD.findall(core)
        if not words:
            continue
        if prefix:
            parts.append(f"to_tsquery('{CONFIG}', %s)")
            params.append(" & ".join(f"'{word}':*" for word in words))
        else:
            parts.append(f"websearch_to_tsquery('{CONFIG}', %s)")
            params.append('"' + core.replace('"', " ") + '"')
        if len(parts) == MAX_TERMS:
            break
    if not parts:
        return None
    return TextQuery(sql=" && ".join(parts), params=tuple(params))
