"""atheris (libFuzzer) harness for the stages that read untrusted bytes.

    .venv/bin/python fuzz/fuzz_ingest.py feeds -atheris_runs=200000
    .venv/bin/python fuzz/fuzz_ingest.py sanitize -max_total_time=300

Targets: feeds, sanitize, extract, opml, discover, urls. Any exception other than the stage's
own error type is a finding; libFuzzer's -timeout and -rss_limit_mb bound time and memory.
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports():
    from newsdesk.opml import OpmlError, parse_opml
    from newsdesk.pipeline.discover import discover_feeds
    from newsdesk.pipeline.extract import ExtractError, extract_article
    from newsdesk.pipeline.feeds import FeedError, parse_feed
    from newsdesk.pipeline.sanitize import html_to_text, sanitize_html
    from newsdesk.pipeline.urls import canonical_url, identity_url


def feeds(data: bytes) -> None:
    with contextlib.suppress(FeedError):
        parse_feed(data, url="http://example.com/feed")


def sanitize(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    sanitize_html(text, base_url="http://example.com/")
    html_to_text(text)


def extract(data: bytes) -> None:
    with contextlib.suppress(ExtractError):
        extract_article(data, "http://example.com/a.html")


def opml(data: bytes) -> None:
    with contextlib.suppress(OpmlError):
        parse_opml(data)


def discover(data: bytes) -> None:
    discover_feeds(data, "http://example.com/")


def urls(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    canonical_url(text)
    identity_url(text)


TARGETS = {f.__name__: f for f in (feeds, sanitize, extract, opml, discover, urls)}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: fuzz_ingest.py {{{','.join(TARGETS)}}} [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup([*sys.argv, "-timeout=5", "-rss_limit_mb=2048"], target)
    atheris.Fuzz()
