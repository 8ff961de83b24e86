"""Conformance of newsdesk.parse_feed against feedparser's and gofeed's own test suites.

Run: .venv/bin/python bench/conformance.py [--show N]

What applies. newsdesk keeps feed title/link/language and, per entry, title, link, guid, summary,
content, author, published, updated, categories and enclosures. A case applies when everything it
checks is one of those; anything else is "not applicable" and counted separately, by reason:

- feedparser_conformance/wellformed: each file's header holds `Expect: <python expression>` over
  feedparser's result. The expression is evaluated, unchanged, against a feedparser-shaped *view of
  newsdesk's ParsedFeed* (never against feedparser): bozo=False, feed{title, link, language},
  entries[i]{title, link, id, summary (alias description), content[0]['value'], author,
  published_parsed, updated_parsed, tags[i]['term'], enclosures[i]{href, type, length}}.
  Not applicable: the `sanitize` folder (sanitizing is a later stage), cases with `SkipUnless`,
  and cases whose expression reads any other key (title_detail, links, published strings, itunes,
  version, ...). Titles are plain text in newsdesk, so the view's titles compare equal to an
  expected string after that string gets the same normalisation (tags stripped, entities decoded,
  spaces collapsed). The view also answers feedparser's attribute access (feed.link) and has_key;
  an attribute outside the kept keys (feed.newlocation), like the HTTP-level names (version,
  modified_parsed, ...), makes a case not applicable. The feed URL is the one feedparser's harness
  gives: files under http/ or named http* are served at http://127.0.0.1:8097/tests/wellformed/...,
  and `Header: Content-Location` is resolved against that; `Content-type` and `Content-Language`
  headers are passed as parse_feed's content_type and content_language.
  Not applicable, refused by design: documents that declare XML entities, which newsdesk refuses
  for security (billion laughs, XXE) before any parser sees them.
  Summary and content are raw HTML as given, so expectations that feedparser resolved relative
  URIs *inside* HTML (folder `base`, content/summary values) are not applicable (html-processing).
- gofeed_testdata/translator: input X.xml (or .json) with the expected unified feed in X.json. The
  case name says which field it tests; cases for fields newsdesk does not keep (image, generator,
  copyright, feed-level author/description/categories/updated/published/links, author email) are
  not applicable. The others compare every kept field present in the expected JSON: feed
  title/link/language, item title, link, guid, description~summary, content, published, updated,
  author names (contained in newsdesk's author string), categories and enclosures. A missing
  expected `published` is not checked, since newsdesk dates an entry by `updated` when it has no
  `published`.

Entries with no title, link or content are dropped by newsdesk by design; a case whose checked
entry is such an entry is "not applicable: entry dropped by design" (for feedparser cases this is
decided by asking feedparser which entries are empty; it never supplies the expected values).

A case passes when parse_feed returns and every check holds; FeedError on an applicable case fails.
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import re
import time
from collections import Counter, defaultdict
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser

from common import datasets_dir, write_results
from newsdesk.models import Entry, ParsedFeed
from newsdesk.pipeline.feeds import FeedError, parse_feed
from newsdesk.pipeline.feeds_sniff import declares_entities
from newsdesk.pipeline.feeds_text import parse_iso, plain_text

_HEADER = re.compile(r"<!--(.*?)-->", re.DOTALL)
_KEY_PATH = re.compile(r"\b(feed|entries)((?:\[[^\]]+\])*)")
_SUBSCRIPT = re.compile(r"\[\s*(?:u?['\"]([^'\"]*)['\"]|(-?\d+))\s*\]")
_OTHER_NAMES = re.compile(
    r"\b(version|encoding|headers|namespaces|status|href|etag|modified(?:_parsed)?)\b"
)
_ATTRIBUTE = re.compile(r"\b(feed|entries(?:\[\d+\])?)\.(?!has_key\b|get\b)(\w+)")
# feedparser's test harness serves files named http* over HTTP at this address.
_HARNESS_URL = "http://127.0.0.1:8097/tests/wellformed/"
FEED_KEYS = {"title", "link", "language"}
ENTRY_KEYS = {
    "title",
    "link",
    "id",
    "summary",
    "description",
    "content",
    "author",
    "published_parsed",
    "updated_parsed",
    "tags",
    "enclosures",
}
SUB_KEYS = {"content": {"value"}, "tags": {"term"}, "enclosures": {"href", "type", "length"}}
GOFEED_KEPT = (
    "feed_title",
    "feed_link",
    "feed_language",
    "feed_item_title",
    "feed_item_link",
    "feed_item_description",
    "feed_item_published",
    "feed_item_guid",
    "feed_item_content",
    "feed_item_category",
    "feed_item_updated",
    "feed_item_enclosure",
    "feed_item_author",
    "feed_fallbacks",
    "feed_item_fallbacks",
    "json1",
)


class View(dict[str, Any]):
    """A dict that also answers feedparser's attribute access and Python 2 has_key."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def has_key(self, key: str) -> bool:
        return key in self


class PlainTitle(str):
    """A newsdesk title that equals an expected string after the same plain-text normalisation."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and str(self) == plain_text(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__


def read_text(data: bytes) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    return data.decode("utf-8", errors="replace")


def feedparser_view(feed: ParsedFeed) -> dict[str, Any]:
    """ParsedFeed laid out like feedparser's result, for the keys newsdesk keeps."""
    view = View()
    for key, value in (
        ("title", PlainTitle(feed.title)),
        ("link", feed.site_url),
        ("language", feed.language),
    ):
        if value:
            view[key] = value
    return {"bozo": False, "feed": view, "entries": [entry_view(e) for e in feed.entries]}


def harness_url(relative: str, headers: dict[str, str]) -> str:
    """The document URL feedparser's harness gives a case: Content-Location or its served URL."""
    served = relative.startswith("http/") or Path(relative).name.startswith("http")
    own = _HARNESS_URL + relative if served else ""
    location = headers.get("content-location", "")
    return urljoin(own, location) if location else own


def entry_view(entry: Entry) -> dict[str, Any]:
    view = View(id=entry.guid)
    if entry.title:
        view["title"] = PlainTitle(entry.title)
    if entry.url:
        view["link"] = entry.url
    if entry.summary:
        view["summary"] = view["description"] = entry.summary
    if entry.content:
        view["content"] = [{"value": entry.content}]
    if entry.author:
        view["author"] = entry.author
    for key, stamp in (("published_parsed", entry.published), ("updated_parsed", entry.updated)):
        if stamp is not None:
            view[key] = stamp.astimezone(UTC).utctimetuple()
    if entry.categories:
        view["tags"] = [{"term": t} for t in entry.categories]
    if entry.enclosures:
        view["enclosures"] = [
            {"href": e.url, "type": e.type, "length": "" if e.length is None else str(e.length)}
            for e in entry.enclosures
        ]
    return view


def unsupported_keys(expr: str) -> list[str]:
    """The key paths in an Expect expression that newsdesk's view does not carry."""
    bad = [m.group(1) for m in _OTHER_NAMES.finditer(expr)]
    for match in _ATTRIBUTE.finditer(expr):
        root = "feed" if match.group(1) == "feed" else "entries"
        if match.group(2) not in (FEED_KEYS if root == "feed" else ENTRY_KEYS):
            bad.append(f"{root}.{match.group(2)}")
    for match in _KEY_PATH.finditer(expr):
        root, path = match.group(1), match.group(2)
        keys = [k for k, _ in _SUBSCRIPT.findall(path)]
        keys = [k for k in keys if k]  # numeric indexes drop out
        if not keys:
            continue
        allowed = FEED_KEYS if root == "feed" else ENTRY_KEYS
        if keys[0] not in allowed:
            bad.append(f"{root}.{keys[0]}")
        elif len(keys) > 1 and keys[1] not in SUB_KEYS.get(keys[0], set()):
            bad.append(f"{root}.{keys[0]}.{keys[1]}")
    return bad


def run_feedparser_case(path: Path, root: Path) -> tuple[str, str, str]:
    """(category, outcome, detail); outcome is pass, fail or a not-applicable reason."""
    category = path.relative_to(root).parts[0]
    data = path.read_bytes()
    header = _HEADER.search(read_text(data))
    text = header.group(1) if header else ""
    expect = re.search(r"Expect:\s*(.*)", text)
    if not expect:
        return category, "n/a: no expectation", ""
    expr = expect.group(1).strip()
    if category == "sanitize":
        return category, "n/a: sanitizing", ""
    if "SkipUnless:" in text:
        return category, "n/a: SkipUnless", ""
    if bad := unsupported_keys(expr):
        return category, "n/a: field not kept", bad[0]
    if declares_entities(data):
        return category, "n/a: refused by design", "XML entity declaration"
    if category == "base" and re.search(r"\['(content|summary|description)'\]", expr):
        return category, "n/a: html-processing", ""
    headers = dict(re.findall(r"Header:\s*([\w-]+):\s*(.*)", text))
    lowered = {k.lower(): v.strip() for k, v in headers.items()}
    try:
        feed = parse_feed(
            data,
            url=harness_url(str(path.relative_to(root)), lowered),
            content_type=lowered.get("content-type", ""),
            content_language=lowered.get("content-language", ""),
        )
    except FeedError as error:
        return category, "fail", f"FeedError: {error}"
    try:
        ok = bool(eval(expr, {"__builtins__": {"len": len}}, feedparser_view(feed)))
    except IndexError as error:
        if dropped_by_design(data, feed):
            return category, "n/a: entry dropped by design", ""
        return category, "fail", f"IndexError: {error}"
    except Exception as error:
        return category, "fail", f"{type(error).__name__}: {error}"
    return category, "pass" if ok else "fail", "" if ok else expr


def dropped_by_design(data: bytes, feed: ParsedFeed) -> bool:
    """True when the entries newsdesk lacks are exactly those with no title, link or content.

    feedparser is used here only to decide that a case does not apply, never for its expectation.
    """
    result = feedparser.parse(io.BytesIO(data))
    empty = [
        e
        for e in result.entries
        if not any(e.get(k) for k in ("title", "link", "summary", "content"))
    ]
    return bool(empty) and len(feed.entries) == len(result.entries) - len(empty)


def gofeed_checks(feed: ParsedFeed, expected: dict[str, Any]) -> list[str]:
    """The mismatches between newsdesk's output and gofeed's expected unified feed."""
    problems = []
    for key, ours in (("title", feed.title), ("link", feed.site_url), ("language", feed.language)):
        if key in expected and ours != (
            plain_text(expected[key]) if key == "title" else expected[key]
        ):
            problems.append(f"feed.{key}: {ours!r} != {expected[key]!r}")
    items = expected.get("items") or []
    if len(items) != len(feed.entries):
        return [*problems, f"items: {len(feed.entries)} != {len(items)}"]
    for i, (item, entry) in enumerate(zip(items, feed.entries, strict=True)):
        problems += [f"items[{i}].{p}" for p in gofeed_item_checks(entry, item)]
    return problems


def gofeed_item_checks(entry: Entry, item: dict[str, Any]) -> list[str]:
    checks: list[tuple[str, Any, Any]] = []
    if "title" in item:
        checks.append(("title", entry.title, plain_text(item["title"])))
    if "link" in item:
        checks.append(("link", entry.url, item["link"]))
    if "guid" in item:
        checks.append(("guid", entry.guid, item["guid"]))
    if "description" in item:
        checks.append(("summary", entry.summary.strip(), item["description"].strip()))
    if "content" in item:
        checks.append(("content", entry.content.strip(), item["content"].strip()))
    for key, ours in (("published", entry.published), ("updated", entry.updated)):
        if stamp := item.get(f"{key}Parsed"):
            checks.append((key, ours, parse_iso(stamp)))
    if "categories" in item:
        checks.append(("categories", list(entry.categories), item["categories"]))
    if "enclosures" in item:
        theirs = [
            (e.get("url", ""), e.get("type", ""), str(e.get("length", "")))
            for e in item["enclosures"]
        ]
        ours_enc = [
            (e.url, e.type, "" if e.length is None else str(e.length)) for e in entry.enclosures
        ]
        checks.append(("enclosures", ours_enc, theirs))
    problems = [f"{k}: {a!r} != {b!r}" for k, a, b in checks if a != b]
    names = [a.get("name", "") for a in item.get("authors") or [] if a.get("name")]
    problems += [f"author: {n!r} not in {entry.author!r}" for n in names if n not in entry.author]
    return problems


def run_gofeed_case(source: Path, expected_path: Path) -> tuple[str, str, str]:
    category = source.parent.name
    name = source.stem.split("_-_")[0]
    if not name.startswith(GOFEED_KEPT) or name.startswith(("feed_item_author_email",)):
        return category, "n/a: field not kept", name
    expected = json.loads(expected_path.read_text())
    items = expected.get("items") or []
    if any(not any(i.get(k) for k in ("title", "link", "description", "content")) for i in items):
        return category, "n/a: entry dropped by design", name
    try:
        feed = parse_feed(source.read_bytes())
    except FeedError as error:
        return category, "fail", f"FeedError: {error}"
    problems = gofeed_checks(feed, expected)
    return category, "fail" if problems else "pass", "; ".join(problems)[:300]


def gofeed_cases(root: Path) -> list[tuple[Path, Path]]:
    cases = []
    for source in sorted(root.rglob("*")):
        if source.suffix == ".xml":
            expected = source.with_suffix(".json")
        elif source.suffix == ".json" and not source.stem.endswith("_expected"):
            expected = source.with_name(source.stem + "_expected.json")
        else:
            continue
        if expected.exists():
            cases.append((source, expected))
    return cases


def summarise(results: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    by_cat: dict[str, Counter[str]] = defaultdict(Counter)
    na: Counter[str] = Counter()
    for _, category, outcome, _ in results:
        by_cat[category][outcome if outcome in ("pass", "fail") else "n/a"] += 1
        if outcome.startswith("n/a"):
            na[outcome[5:]] += 1
    passed = sum(c["pass"] for c in by_cat.values())
    failed = sum(c["fail"] for c in by_cat.values())
    return {
        "cases": len(results),
        "applicable": passed + failed,
        "passed": passed,
        "pass_rate_pct": 100 * passed / max(passed + failed, 1),
        "not_applicable": dict(na),
        "by_category": {k: dict(v) for k, v in sorted(by_cat.items())},
        "failures": [(name, detail) for name, _, outcome, detail in results if outcome == "fail"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=10, help="failures to print per suite")
    args = parser.parse_args()
    data = datasets_dir()
    started = time.perf_counter()
    fp_root = data / "feedparser_conformance" / "wellformed"
    fp = [
        (str(p.relative_to(fp_root)), *run_feedparser_case(p, fp_root))
        for p in sorted(fp_root.rglob("*"))
        if p.is_file()
    ]
    go_root = data / "gofeed_testdata" / "translator"
    go = [(str(s.relative_to(go_root)), *run_gofeed_case(s, e)) for s, e in gofeed_cases(go_root)]
    suites = {"feedparser_wellformed": summarise(fp), "gofeed_translator": summarise(go)}
    for name, summary in suites.items():
        print(
            f"\n== {name}: {summary['passed']}/{summary['applicable']} applicable cases pass "
            f"({summary['pass_rate_pct']:.1f}%, target >= 95%); {summary['cases']} cases in all"
        )
        print(f"   not applicable: {summary['not_applicable']}")
        print(f"   {'category':<18}{'pass':>6}{'fail':>6}{'n/a':>6}")
        for cat, counts in summary["by_category"].items():
            print(
                f"   {cat:<18}{counts.get('pass', 0):>6}{counts.get('fail', 0):>6}"
                f"{counts.get('n/a', 0):>6}"
            )
        for case, detail in summary["failures"][: args.show]:
            print(f"   FAIL {case}: {detail[:200]}")
    applicable = sum(s["applicable"] for s in suites.values())
    passed = sum(s["passed"] for s in suites.values())
    print(
        f"\noverall: {passed}/{applicable} = {100 * passed / max(applicable, 1):.1f}% "
        f"({time.perf_counter() - started:.1f}s)"
    )
    write_results(
        "conformance",
        {"suites": suites, "overall_pass_rate_pct": 100 * passed / max(applicable, 1)},
    )


if __name__ == "__main__":
    main()
