"""Turn whatever a user types into a search box into a safe FTS5 query."""

from __future__ import annotations

import re

MAX_TERMS = 32
_WORD_CHAR = re.compile(r"[^\W_]")


def fts5_query(text: str) -> str:
    """An AND of quoted terms, or "" when `text` holds nothing searchable.

    Every term is a quoted FTS5 string, so operators (AND, OR, NOT, NEAR), column filters,
    parentheses and quotes in the user's text are only ever searched for, never parsed.
    A term ending in ``*`` stays a prefix search. Terms without a letter or digit are
    dropped: the tokenizer would make them empty phrases.
    """
    # Lone surrogates cannot be bound as UTF-8 and NUL would end the query early.
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
    terms: list[str] = []
    for token in text.split():
        prefix = token.endswith("*")
        core = token.rstrip("*")
        if not _WORD_CHAR.search(core):
            continue
        quoted = '"' + core.replace('"', '""') + '"'
        terms.append(quoted + "*" if prefix else quoted)
        if len(terms) == MAX_TERMS:
            break
    return " AND ".join(terms)
