"""Logged values cannot forge log lines or drive a terminal."""

from __future__ import annotations

import io
import logging

import pytest

from newsdesk.logs import SafeFormatter, escape_controls


def _logged(message: str, *args: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("newsdesk.test_logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(message, *args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize(
    "value",
    [
        "title\r\n2026-01-01 00:00:00 CRITICAL newsdesk: forged",
        "a\nb",
        "cr only\rERROR forged",
        "\x1b[2J\x1b]0;pwned\x07",
        "nel\x85line sep\u2028para\u2029",
        "nul\x00",
    ],
)
def test_values_stay_on_one_line(value: str) -> None:
    for output in (_logged("fetched %r: %s", "x", value), _logged(value)):
        assert output.count("\n") == 1 and output.endswith("\n"), output
        body = output[:-1]
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in body), body
        assert "\u2028" not in body and "\u2029" not in body


def test_escapes_are_readable() -> None:
    assert escape_controls("a\r\nb\tc\x1bd") == "a\\r\\nb\\tc\\x1bd"
    assert escape_controls("plain text, café") == "plain text, café"


def test_tracebacks_keep_their_lines() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter("%(message)s"))
    logger = logging.getLogger("newsdesk.test_logs.exc")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed on %s", "x\ny")
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "failed on x\\ny"
    assert lines[1].startswith("Traceback")
