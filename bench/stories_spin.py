"""A spun-copy test set: originals from Wikinews and BBC, with syndicated and rewritten copies."""

from __future__ import annotations

import csv
import gzip
import random
import re
from dataclasses import dataclass
from pathlib import Path

from newsdesk.pipeline.cluster_models import NewsItem

SYNONYMS = {
    "said": "stated",
    "says": "states",
    "big": "large",
    "large": "huge",
    "small": "little",
    "people": "individuals",
    "government": "administration",
    "company": "firm",
    "firm": "company",
    "increase": "rise",
    "rise": "increase",
    "fell": "dropped",
    "dropped": "fell",
    "show": "reveal",
    "shows": "reveals",
    "help": "assist",
    "start": "begin",
    "started": "began",
    "began": "started",
    "end": "finish",
    "buy": "purchase",
    "bought": "purchased",
    "sell": "offer",
    "important": "significant",
    "major": "key",
    "key": "major",
    "new": "fresh",
    "old": "former",
    "country": "nation",
    "nation": "country",
    "city": "town",
    "children": "kids",
    "car": "vehicle",
    "cars": "vehicles",
    "job": "post",
    "jobs": "positions",
    "money": "funds",
    "cost": "price",
    "costs": "prices",
    "plan": "scheme",
    "plans": "proposals",
    "official": "spokesperson",
    "officials": "authorities",
    "expected": "anticipated",
    "announced": "revealed",
    "however": "but",
    "also": "additionally",
    "many": "numerous",
    "about": "around",
    "because": "since",
    "quickly": "rapidly",
    "after": "following",
    "before": "prior to",
    "group": "organisation",
    "week": "seven days",
    "claimed": "alleged",
    "warned": "cautioned",
    "attack": "assault",
    "killed": "slain",
    "police": "officers",
    "report": "study",
    "leader": "chief",
    "minister": "secretary",
    "win": "victory",
    "won": "secured",
    "lost": "was beaten in",
    "game": "match",
}
BOILERPLATE = [
    "Copyright {year} {outlet}. All rights reserved.",
    "Click here to subscribe to our daily newsletter.",
    "This article was originally published by {outlet}.",
    "Follow us on social media for the latest updates from {outlet}.",
    "Advertisement",
]
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


@dataclass(frozen=True)
class SpinCase:
    """One article of the set and the id of the original it copies (None for originals)."""

    item: NewsItem
    original: str | None
    kind: str


def load_originals(root: Path, package_data: Path) -> list[tuple[str, str, str]]:
    """(id, title, text) of BBC and Wikinews articles, in a fixed order."""
    out: list[tuple[str, str, str]] = []
    with gzip.open(package_data / "wikinews.csv.gz", "rt", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle)):
            if len(row.get("text", "").split()) > 80:
                out.append((f"wn{n}", row["title"], row["text"]))
    bbc = root / "bbc_news_fulltext"
    with (bbc / "labels.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            raw = (bbc / row["path"]).read_bytes().decode(row.get("encoding") or "utf-8")
            lines = raw.strip().split("\n", 1)
            if len(lines) == 2:
                out.append((f"bbc-{row['path']}", lines[0].strip(), lines[1].strip()))
    return out


def spin(text: str, rng: random.Random, outlet: str, others: list[str]) -> tuple[str, str]:
    """A rewritten copy of text and the name of the rewrite applied."""
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    sentences = [s for p in paragraphs for s in _SENTENCE.split(p.strip())]
    kind = rng.choice(["syndicated", "synonyms", "reorder", "drop", "mixed"])
    if kind in {"synonyms", "mixed"}:
        rate = rng.uniform(0.4, 1.0)
        sentences = [_swap_words(s, rng, rate) for s in sentences]
    if kind in {"reorder", "mixed"} and len(sentences) > 3:
        for _ in range(max(1, len(sentences) // 4)):
            i = rng.randrange(len(sentences) - 1)
            sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    if kind in {"drop", "mixed"} and len(sentences) > 4:
        keep = max(3, int(len(sentences) * rng.uniform(0.6, 0.9)))
        kept = sorted(rng.sample(range(len(sentences)), keep))
        sentences = [sentences[i] for i in kept]
    lines = list(sentences)
    for _ in range(rng.randint(1, 3)):
        other = rng.choice(others)
        lines.insert(rng.randrange(len(lines) + 1), f"See also: {other} https://{outlet}/more")
    lines.append(rng.choice(BOILERPLATE).format(year=rng.randint(2004, 2021), outlet=outlet))
    return "\n".join(lines), kind


def _swap_words(sentence: str, rng: random.Random, rate: float) -> str:
    words = sentence.split(" ")
    for i, word in enumerate(words):
        bare = word.strip(".,;:!?\"'").lower()
        if bare in SYNONYMS and rng.random() < rate:
            words[i] = word.replace(bare, SYNONYMS[bare]) if word.islower() else SYNONYMS[bare]
    return " ".join(words)


def build(root: Path, package_data: Path, copies_per: int = 1, seed: int = 1) -> list[SpinCase]:
    """Originals in time order, each copied by 0-copies_per other outlets a little later."""
    rng = random.Random(seed)
    originals = drop_base_duplicates(load_originals(root, package_data))
    titles = [t for _, t, _ in originals]
    cases: list[SpinCase] = []
    for n, (oid, title, text) in enumerate(originals):
        t0 = 1_600_000_000.0 + n * 600.0
        cases.append(
            SpinCase(
                NewsItem(oid, title, t0, text, f"https://orig.example/{oid}", "orig"),
                None,
                "original",
            )
        )
        for c in range(rng.randint(0, copies_per)):
            outlet = f"outlet{rng.randint(1, 40)}.example"
            body, kind = spin(text, rng, outlet, titles)
            new_title = title if rng.random() < 0.5 else f"{title} - {outlet}"
            item = NewsItem(
                f"{oid}~{c}",
                new_title,
                t0 + rng.uniform(60, 3000),
                body,
                f"https://{outlet}/{oid}-{c}",
                outlet,
            )
            cases.append(SpinCase(item, oid, kind))
    cases.sort(key=lambda case: case.item.published)
    return cases


def drop_base_duplicates(originals: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Drop originals that repeat an earlier one (the BBC set has some), by shingle overlap."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.3, num_perm=64)
    sets: dict[str, set[str]] = {}
    kept = []
    for oid, title, text in originals:
        words = re.findall(r"\w+", text.lower())
        grams = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
        mh = MinHash(num_perm=64)
        mh.update_batch([g.encode() for g in grams])
        if any(len(grams & sets[k]) / len(grams | sets[k]) >= 0.3 for k in lsh.query(mh)):
            continue
        lsh.insert(oid, mh)
        sets[oid] = grams
        kept.append((oid, title, text))
    return kept
