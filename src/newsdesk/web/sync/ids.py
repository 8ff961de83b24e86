"""Google Reader item ids (long and short form) and continuation strings."""

from __future__ import annotations

from datetime import UTC, datetime

LONG_PREFIX = "tag:google.com,2005:reader/item/"
MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL store; no row has a bigger id


class BadRequest(ValueError):
    """A parameter a client sent cannot be understood; the message says which."""


def long_item_id(article_id: int) -> str:
    return f"{LONG_PREFIX}{article_id:016x}"


def stored_id(number: int) -> int | None:
    """`number` if a stored row can have it as its id (1 to 2**63 - 1), else None."""
    return number if 0 < number <= MAX_ID else None


def decimal_id(text: str) -> int | None:
    """The id a string of ASCII digits names; None for other text or an id no row can have."""
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > len(str(MAX_ID)):
        return None
    return stored_id(int(text))


def parse_item_id(text: str) -> int | None:
    """An article id from the long form (hex) or the short form (signed decimal); None for
    an id no stored article can have, which is as unknown as a missing one."""
    text = text.strip()
    try:
        if text.startswith(LONG_PREFIX):
            return stored_id(int(text[len(LONG_PREFIX) :], 16))
        number = int(text, 10)
    except ValueError as exc:
        raise BadRequest(f"not an item id: {text!r}") from exc
    # Some clients keep ids as signed 64-bit numbers: a negative one is the two's complement.
    if -(2**63) <= number < 0:
        number += 2**64
    return stored_id(number)


def known_item_ids(texts: list[str]) -> list[int]:
    """The ids of `texts` that a stored article can have; BadRequest for one that is no id."""
    ids = [parse_item_id(text) for text in texts]
    return [i for i in ids if i is not None]


def usec(moment: datetime) -> int:
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


def encode_continuation(sort_time: datetime, article_id: int) -> str:
    return f"{usec(sort_time)}x{article_id}"


def decode_continuation(text: str) -> tuple[datetime, int]:
    micros, sep, article_id = text.partition("x")
    try:
        if not sep:
            raise ValueError(text)
        after_id = decimal_id(article_id)
        if after_id is None:
            raise ValueError(text)
        moment = datetime.fromtimestamp(int(micros) // 1_000_000, UTC)
        return moment.replace(microsecond=int(micros) % 1_000_000), after_id
    except (ValueError, OverflowError, OSError) as exc:
        raise BadRequest(f"not a continuation: {text!r}") from exc


def epoch(text: str, name: str) -> datetime:
    """A time given in epoch seconds, milliseconds or microseconds (told apart by size)."""
    try:
        number = int(float(text))
    except (ValueError, OverflowError) as exc:  # OverflowError: inf
        raise BadRequest(f"{name} must be a number of seconds since 1970, not {text!r}") from exc
    if number > 10**14:
        micros = number
    elif number > 10**11:
        micros = number * 1000
    else:
        micros = number * 1_000_000
    try:
        moment = datetime.fromtimestamp(max(micros, 0) // 1_000_000, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise BadRequest(f"{name} is out of range: {text!r}") from exc
    return moment.replace(microsecond=max(micros, 0) % 1_000_000)


def count(text: str | None, default: int, maximum: int, name: str = "n") -> int:
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a whole number, not {text!r}") from exc
    if value < 0:
        raise BadRequest(f"{name} must not be negative")
    return min(value, maximum)
