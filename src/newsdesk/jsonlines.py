"""JSON Lines for the batch commands (`cluster`, `classify`): lines in, objects back out.

Input is read as bytes and decoded a line at a time, so a line that is not UTF-8 is named by its
number instead of ending the run at an unknown place. Output keeps non-ASCII text as it is; only
a line holding a lone surrogate (which JSON's "\\ud800" escapes can carry, and UTF-8 cannot) is
written with every non-ASCII character escaped, as it came in.
"""

from __future__ import annotations

import json
from typing import Any

BOM = "\ufeff"


def line_text(line: str | bytes, number: int) -> str:
    """The text of input line `number` (from 1); ValueError when it is not UTF-8."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"not UTF-8 text (byte {exc.start + 1})") from exc
    # A byte order mark some editors write before the first line.
    return line.removeprefix(BOM) if number == 1 else line


def dump_line(obj: Any) -> str:
    """One JSON line for obj, non-ASCII text kept as it is wherever UTF-8 can hold it."""
    text = json.dumps(obj, ensure_ascii=False)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(obj)
    return text
