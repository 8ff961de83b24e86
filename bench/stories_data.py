"""Gold story-clustering sets for bench/stories.py, read into NewsItems in arrival order."""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from newsdesk.pipeline.cluster_models import NewsItem

BASE_TIME = 1_500_000_000.0
_DATE_IN_URL = re.compile(r"/(20\d\d)/(\d\d)/(\d\d)/")


@dataclass(frozen=True)
class GoldSet:
    """Articles in arrival order, their gold story labels, and which ones are in the dev portion."""

    name: str
    items: list[NewsItem]
    labels: list[str]
    dev: list[bool]


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""


def uci(root: Path) -> GoldSet:
    """UCI headlines in timestamp order; stories alternate between dev and test."""
    path = root / "uci_news_aggregator_first6k" / "uci_news_aggregator_first6366.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    random.Random(7).shuffle(rows)  # ties in TIMESTAMP must not keep the story blocks together
    rows.sort(key=lambda r: int(r["TIMESTAMP"]))
    order = list(dict.fromkeys(r["STORY"] for r in sorted(rows, key=lambda r: int(r["ID"]))))
    dev_stories = set(order[0::2])
    items = [
        NewsItem(
            id=r["ID"],
            title=r["TITLE"],
            published=int(r["TIMESTAMP"]) / 1000.0,
            url=r["URL"],
            source=r["PUBLISHER"],
            section=r["CATEGORY"],
        )
        for r in rows
    ]
    return GoldSet(
        "uci", items, [r["STORY"] for r in rows], [r["STORY"] in dev_stories for r in rows]
    )


def ecbplus(root: Path) -> GoldSet:
    """ECB+ topics 1-35, shuffled, no dates; topics 1-20 are dev, 21-35 test."""
    path = root / "ecbplus_event_clusters" / "ecbplus_docs_topics1-35.jsonl"
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    random.Random(11).shuffle(docs)
    items, labels, dev = [], [], []
    for i, d in enumerate(docs):
        text = d["text"]
        title = d["first_sentence"] or ""
        url = d.get("url") or ""
        if url and text.startswith(url):
            text = text[len(url) :].lstrip()
        if d["subtopic"] == "ecbplus" and "\n" in text:
            title, text = text.split("\n", 1)
        items.append(
            NewsItem(
                id=d["doc_id"],
                title=title,
                text=text,
                url=url if url.startswith("http") else "",
                source=_host(url) if url.startswith("http") else f"ecb-{d['doc_id']}",
                published=BASE_TIME + i,
            )
        )
        labels.append(d["event_cluster"])
        dev.append(d["topic"] <= 20)
    return GoldSet("ecbplus", items, labels, dev)


def newswcl50(root: Path) -> GoldSet:
    """NewsWCL50 articles, dated from their URLs; too small to split, so all of it is test."""
    folder = root / "newswcl50_story_clusters"
    with (folder / "clusters.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    random.Random(5).shuffle(rows)
    items, labels = [], []
    for r in rows:
        lines = (folder / r["path"]).read_text(encoding="utf-8").strip().split("\n", 1)
        found = _DATE_IN_URL.search(r["url"])
        day = int(found.group(3)) if found else 17
        items.append(
            NewsItem(
                id=Path(r["path"]).stem,
                title=lines[0],
                text=lines[1] if len(lines) > 1 else "",
                url=r["url"],
                source=_host(r["url"]),
                published=BASE_TIME + day * 86_400.0,
            )
        )
        labels.append(r["event_id"])
    return GoldSet("newswcl50", items, labels, [False] * len(items))


def wikiref220(root: Path) -> GoldSet:
    """WikiRef220 web pages (5 topics plus noise topics), no dates; all of it is test."""
    path = root / "wikiref220_event_clusters" / "wikiref220_docs.jsonl"
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    random.Random(3).shuffle(docs)
    items, labels = [], []
    for i, d in enumerate(docs):
        lines = [ln.strip() for ln in d["text"].splitlines() if ln.strip()]
        title = lines[0] if lines else ""
        items.append(
            NewsItem(
                id=d["doc_id"],
                title=title,
                text="\n".join(lines[1:]),
                source=d["doc_id"],
                published=BASE_TIME + i,
            )
        )
        labels.append(d["label"])
    return GoldSet("wikiref220", items, labels, [False] * len(items))
