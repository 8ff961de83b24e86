"""Logging that cannot be forged: control characters in messages and their values are escaped.

Feed titles, URLs and error messages come from the outside. A title holding "\\r\\n2026-01-01
ERROR ..." would otherwise write a log line of its own, and ANSI escapes would drive the
terminal of whoever reads the log.
"""

from __future__ import annotations

import copy
import logging
import re

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """`text` with every control character written as a visible escape (\\n, \\x1b, \\u2028)."""
    return _CONTROL.sub(_escaped, text) if _CONTROL.search(text) else text


def _escaped(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


class SafeFormatter(logging.Formatter):
    """A Formatter whose message part (format string and arguments) is one line, always.

    Tracebacks are left as they are: they come from the code, and each of their lines is
    indented, so they cannot pass for a log line.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:
        safe = copy.copy(record)
        safe.message = escape_controls(record.message)
        return super().formatMessage(safe)


def configure_logging(level: str | int = "INFO", fmt: str = FORMAT) -> None:
    """Log to stderr at `level` through a SafeFormatter (what logging.basicConfig would do)."""
    handler = logging.StreamHandler()
    handler.setFormatter(SafeFormatter(fmt))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper() if isinstance(level, str) else level)
