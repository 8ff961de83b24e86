"""Feed parsing: throughput of newsdesk.parse_feed vs fastfeedparser vs feedparser, and agreement.

Run: .venv/bin/python bench/feeds.py [--repeat N]

Dataset: feedjira_real_world_feeds/feeds (every file, including the deliberately odd ones).

Throughput: each parser runs over all feeds REPEAT times in this one process, passes
interleaved; a pass is timed as a whole and the median pass gives feeds/s. feedparser runs with
sanitize_html=False and resolve_relative_uris=False (the settings newsdesk's fallback uses, and
feedparser's fastest), so the ratio is, if anything, flattering to feedparser. That is the headline
ratio. A second, equal-work pair runs in the same passes: feedparser with its defaults (it
sanitises every entry's HTML and resolves relative links in it) against newsdesk's parse followed
by the sanitiser the pipeline applies to the same summaries and contents before it stores them.

chardet: when a feed's declared encoding fails to decode, feedparser asks chardet (installed in the
venv as another package's dependency). On this dataset that happens for one feed, ZedShaw.xml,
and costs about 0.9 s, roughly a third of feedparser's whole pass. newsdesk reads that feed on
the fast path, so the ratio depends on it; --no-chardet takes chardet out of feedparser (both for
the baseline and for newsdesk's fallback) to show the ratio without it.

Agreement: the reference is feedparser's result put through the same normalisation newsdesk applies
(newsdesk.pipeline.feeds_loose.parse_loose: plain-text titles, links resolved, dates as UTC, empty
entries dropped). Entries are paired by position. An entry agrees when its title, url and
published datetime are equal to the reference's. Unpaired entries (one side has more) count as
disagreeing; the denominator is the sum over feeds of max(newsdesk count, reference count).
A feed agrees fully when both sides reject it, or both give the same number of entries and every
entry agrees. Feeds that parse_feed sent to feedparser agree by construction, so agreement is also
reported on the fast-path feeds alone. JSON Feed files are not compared: feedparser 6.0 cannot
read them.
"""

from __future__ import annotations

import argparse
import io
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import fastfeedparser
import feedparser

from common import datasets_dir, median, write_results
from newsdesk.models import Entry, ParsedFeed
from newsdesk.pipeline.feeds import FeedError, parse_feed, parse_feed_explained
from newsdesk.pipeline.feeds_loose import LooseParseError, parse_loose
from newsdesk.pipeline.feeds_sniff import feed_format
from newsdesk.pipeline.sanitize import sanitize_html


def load_feeds() -> list[tuple[str, bytes]]:
    folder = datasets_dir() / "feedjira_real_world_feeds" / "feeds"
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()]


def run_newsdesk(data: bytes) -> object:
    try:
        return parse_feed(data)
    except FeedError:
        return None


def run_newsdesk_sanitized(data: bytes) -> object:
    try:
        feed = parse_feed(data)
    except FeedError:
        return None
    return [
        (sanitize_html(e.summary, e.url), sanitize_html(e.content, e.url)) for e in feed.entries
    ]


def run_fastfeedparser(data: bytes) -> object:
    try:
        return fastfeedparser.parse(data)
    except Exception:
        return None


def run_feedparser(data: bytes) -> object:
    return feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)


def run_feedparser_defaults(data: bytes) -> object:
    return feedparser.parse(io.BytesIO(data))


def throughput(feeds: list[tuple[str, bytes]], repeat: int) -> dict[str, dict[str, float]]:
    runners: dict[str, Callable[[bytes], object]] = {
        "newsdesk": run_newsdesk,
        "fastfeedparser": run_fastfeedparser,
        "feedparser": run_feedparser,
        "newsdesk+sanitize": run_newsdesk_sanitized,
        "feedparser defaults": run_feedparser_defaults,
    }
    total_mb = sum(len(d) for _, d in feeds) / 1e6
    passes: dict[str, list[float]] = {name: [] for name in runners}
    # Passes are interleaved so a change in machine load hits every parser alike.
    for _ in range(repeat):
        for name, run in runners.items():
            start = time.perf_counter()
            for _, data in feeds:
                run(data)
            passes[name].append(time.perf_counter() - start)
    out: dict[str, dict[str, float]] = {}
    for name, times in passes.items():
        seconds = median(times)
        out[name] = {
            "median_pass_s": seconds,
            "feeds_per_s": len(feeds) / seconds,
            "mb_per_s": total_mb / seconds,
        }
    return out


def reference(data: bytes) -> ParsedFeed | None:
    try:
        return parse_loose(data, "", feed_format(data))
    except (LooseParseError, Exception):
        return None


def entry_agrees(ours: Entry, theirs: Entry) -> bool:
    return (ours.title, ours.url, ours.published) == (theirs.title, theirs.url, theirs.published)


def diff_fields(ours: Entry, theirs: Entry) -> dict[str, tuple[Any, Any]]:
    pairs = {
        "title": (ours.title, theirs.title),
        "url": (ours.url, theirs.url),
        "published": (ours.published, theirs.published),
    }
    return {k: v for k, v in pairs.items() if v[0] != v[1]}


def agreement(feeds: list[tuple[str, bytes]]) -> dict[str, Any]:
    entries_total = entries_agree = fast_total = fast_agree = 0
    feeds_agree = fast_feeds = fast_feeds_agree = 0
    parsers: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    rejected: dict[str, str] = {}
    examples: list[dict[str, Any]] = []
    no_reference: list[str] = []
    for name, data in feeds:
        if name.endswith(".json"):
            # feedparser 6.0 has no JSON Feed support, so there is nothing to agree with.
            no_reference.append(name)
            continue
        ref = reference(data)
        try:
            ours, why = parse_feed_explained(data)
        except FeedError as error:
            rejected[name] = str(error)
            parsers["rejected"] += 1
            agrees = ref is None or not ref.entries
            feeds_agree += agrees
            if ref is not None:
                entries_total += len(ref.entries)
            if not agrees:
                examples.append({"feed": name, "problem": f"rejected: {error}"})
            continue
        parsers[ours.parser] += 1
        if why:
            reasons[why.split(":")[0]] += 1
        theirs = ref.entries if ref else ()
        count = max(len(ours.entries), len(theirs))
        agreed = sum(entry_agrees(a, b) for a, b in zip(ours.entries, theirs, strict=False))
        entries_total += count
        entries_agree += agreed
        full = agreed == count
        feeds_agree += full
        if ours.parser != "feedparser":
            fast_feeds += 1
            fast_feeds_agree += full
            fast_total += count
            fast_agree += agreed
        if not full and len(examples) < 12:
            bad = [
                diff_fields(a, b)
                for a, b in zip(ours.entries, theirs, strict=False)
                if not entry_agrees(a, b)
            ]
            examples.append(
                {
                    "feed": name,
                    "parser": ours.parser,
                    "counts": (len(ours.entries), len(theirs)),
                    "first_diff": bad[0] if bad else None,
                }
            )
    compared = len(feeds) - len(no_reference)
    return {
        "feeds": compared,
        "no_reference": no_reference,
        "entries": entries_total,
        "entries_agreeing_pct": 100 * entries_agree / max(entries_total, 1),
        "feeds_fully_agreeing_pct": 100 * feeds_agree / compared,
        "fast_path_entries_agreeing_pct": 100 * fast_agree / max(fast_total, 1),
        "fast_path_feeds_fully_agreeing_pct": 100 * fast_feeds_agree / max(fast_feeds, 1),
        "parser_used": dict(parsers),
        "fallback_rate_pct": 100 * parsers["feedparser"] / max(compared - len(rejected), 1),
        "fallback_reasons": dict(reasons),
        "rejected": rejected,
        "disagreements": examples,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-chardet", action="store_true", help="feedparser without chardet")
    args = parser.parse_args()
    if args.no_chardet:
        feedparser.encodings.lazy_chardet_encoding = lambda data: ""
    feeds = load_feeds()
    speed = throughput(feeds, args.repeat)
    agree = agreement(feeds)
    ratio = speed["newsdesk"]["feeds_per_s"] / speed["feedparser"]["feeds_per_s"]
    equal_work = (
        speed["newsdesk+sanitize"]["feeds_per_s"] / speed["feedparser defaults"]["feeds_per_s"]
    )
    size = sum(len(d) for _, d in feeds) / 1e6
    print(f"{len(feeds)} feeds, {size:.1f} MB, {args.repeat} passes each (median)\n")
    print(f"{'parser':<22}{'feeds/s':>10}{'MB/s':>9}{'pass s':>9}")
    for name, row in speed.items():
        print(
            f"{name:<22}{row['feeds_per_s']:>10.1f}{row['mb_per_s']:>9.2f}"
            f"{row['median_pass_s']:>9.3f}"
        )
    chardet = "without chardet" if args.no_chardet else "with chardet"
    print(f"\nnewsdesk / feedparser throughput: {ratio:.1f}x (target >= 10x; {chardet})")
    print(f"equal work, newsdesk+sanitize / feedparser defaults: {equal_work:.1f}x ({chardet})")
    print(
        f"entries agreeing with feedparser: {agree['entries_agreeing_pct']:.2f}% "
        f"of {agree['entries']} in {agree['feeds']} feeds (target >= 99%)"
    )
    print(f"feeds fully agreeing:             {agree['feeds_fully_agreeing_pct']:.2f}%")
    print(
        f"fast path only: entries {agree['fast_path_entries_agreeing_pct']:.2f}%, "
        f"feeds {agree['fast_path_feeds_fully_agreeing_pct']:.2f}%"
    )
    print(f"parser used: {agree['parser_used']}")
    print(f"not compared (no feedparser reference for JSON Feed): {agree['no_reference']}")
    print(f"fallback rate: {agree['fallback_rate_pct']:.1f}% of accepted feeds")
    for why, n in agree["fallback_reasons"].items():
        print(f"  {n:>3}  {why}")
    print("rejected (FeedError):")
    for name, why in agree["rejected"].items():
        print(f"  {name}: {why}")
    if agree["disagreements"]:
        print("disagreements (first few):")
        for row in agree["disagreements"]:
            print(f"  {row}")
    write_results(
        "feeds_no_chardet" if args.no_chardet else "feeds",
        {
            "throughput": speed,
            "ratio_vs_feedparser": ratio,
            "ratio_equal_work_vs_feedparser_defaults": equal_work,
            "agreement": agree,
            "repeat": args.repeat,
            "feedparser_chardet": not args.no_chardet,
        },
    )


if __name__ == "__main__":
    main()
