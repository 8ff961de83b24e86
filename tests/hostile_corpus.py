"""Reading tests/data/hostile/ cases, and the generators for bodies too large to keep as files."""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from pathlib import Path

SECRET = "NEWSDESK-SECRET-7f3a"  # written into a local file that XXE cases try to read
_RSS_HEAD = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
    b"<title>Generated</title><link>http://example.com/</link><description>d</description>\n"
)
_RSS_TAIL = b"</channel></rss>\n"


@dataclass(frozen=True)
class Case:
    """One hostile input: its header fields, extra redirects, and the body to serve."""

    name: str
    fields: dict[str, str]
    routes: list[tuple[str, int, str]] = field(default_factory=list)
    body: bytes = b""

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def expect_kind(self) -> str:
        return self.fields["Expect"].partition(":")[0].strip()

    @property
    def expect_value(self) -> str:
        return self.fields["Expect"].partition(":")[2].strip()


def substitute(text: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def load_case(path: Path, values: dict[str, str]) -> Case:
    """Parse a case file, with placeholders replaced in the header and the body."""
    raw = path.read_bytes()
    head, separator, body = raw.partition(b"\n---\n")
    assert separator, f"{path.name}: no '---' line between header and body"
    fields: dict[str, str] = {}
    routes: list[tuple[str, int, str]] = []
    for line in head.decode().splitlines():
        name, _, value = line.partition(":")
        value = substitute(value.strip(), values)
        if name == "Route":
            route_path, status, location = value.split(None, 2)
            routes.append((route_path, int(status), location))
        elif name.strip():
            fields[name.strip()] = value
    assert "Attack" in fields and "Expect" in fields, f"{path.name}: needs Attack and Expect"
    assert fields["Expect"].split(":")[0] in ("error", "stored"), fields["Expect"]
    text = substitute(body.decode("utf-8"), values)
    data = text.encode()
    if fields.get("Escapes") == "bytes":
        data = codecs.escape_decode(data)[0]
    if codec := fields.get("Transcode"):
        data = text.encode(codec)
    return Case(path.name, fields, routes, data)


def generated(spec: str) -> bytes:
    """A body from `generated NAME ARGS...` (see the README of the corpus)."""
    _, name, *args = spec.split()
    numbers = [int(a.replace("_", "")) for a in args]
    if name == "huge-title":
        return _rss(
            b"<item><title>" + b"A" * numbers[0] + b"</title><link>http://a/1</link></item>"
        )
    if name == "many-items":
        items = (
            b"<item><title>t%d</title><guid>g%d</guid></item>\n" % (i, i) for i in range(numbers[0])
        )
        return _rss(b"".join(items))
    if name == "nested":
        depth = numbers[0]
        deep = b"<x>" * depth + b"deep" + b"</x>" * depth
        return _rss(
            b"<item><title>nested</title><guid>n</guid><description>"
            + deep
            + b"</description></item>"
        )
    if name == "nested-html":
        depth = numbers[0]
        deep = b"<div>" * depth + b"deep" + b"</div>" * depth
        return _rss(
            b"<item><title>nested html</title><guid>n</guid><description><![CDATA["
            + deep
            + b"]]></description></item>"
        )
    if name == "nested-page":
        depth = numbers[0]
        words = b"<p>" + b"Plenty of ordinary words in a paragraph of the article. " * 5 + b"</p>"
        deep = b"<div>" * depth + words + b"</div>" * depth
        return (
            b"<!doctype html><html><head><title>deep</title></head><body>"
            + deep
            + b"</body></html>"
        )
    if name == "deep-json":
        depth = numbers[0]
        nested = "[" * depth + "]" * depth
        head = json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "deep"})
        return (head[:-1] + ', "items": [{"id": "1", "title": "t", "x": ' + nested + "}]}").encode()
    if name == "quadratic":
        size, refs = numbers
        doctype = b'<!DOCTYPE rss [<!ENTITY a "' + b"A" * size + b'">]>\n'
        item = (
            b"<item><title>q</title><guid>q</guid><description>"
            + b"&a;" * refs
            + b"</description></item>"
        )
        return (
            b'<?xml version="1.0"?>\n'
            + doctype
            + _rss(item)[len(b'<?xml version="1.0" encoding="utf-8"?>\n') :]
        )
    raise ValueError(f"unknown generator {name!r}")


def _rss(items: bytes) -> bytes:
    return _RSS_HEAD + items + _RSS_TAIL
