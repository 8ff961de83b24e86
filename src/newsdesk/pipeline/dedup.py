"""Duplicate detection: one article reached twice (URL identity) and syndicated or spun copies.

Copies are found with MinHash LSH (rensa) over word shingles of the cleaned text, then confirmed on
the estimated Jaccard similarity, which is allowed to be lower when the titles agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rensa import RMinHash, RMinHashLSH

from newsdesk.pipeline.cluster_models import NewsItem
from newsdesk.pipeline.cluster_text import CJK_CHARACTERS
from newsdesk.pipeline.urls import identity_url

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Chinese, Japanese and Korean write no spaces between words: each of their characters counts
# as a word (character shingles are the usual near-duplicate unit for these scripts).
_CJK = re.compile(f"[{CJK_CHARACTERS}]")
_CJK_OR_WORD = re.compile(f"[{CJK_CHARACTERS}]|(?:(?![{CJK_CHARACTERS}])[^\\W_])+")
_LINK_LINE = re.compile(
    r"^\s*(see also|read more|related|more on this|click here|sign up|subscribe|follow us|"
    r"advertisement|share this|copyright|©|all rights reserved)\b|https?://|www\.",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DedupSettings:
    """Tuned on the spun-copy dev set built by bench/stories_spin.py."""

    num_perm: int = 128
    num_bands: int = 32
    shingle: int = 2
    min_jaccard: float = 0.45
    min_jaccard_same_title: float = 0.30
    same_title: float = 0.5
    min_words: int = 40
    title_only_min_words: int = 7
    seed: int = 42


@dataclass(frozen=True)
class DuplicateMatch:
    """The original an article copies, and how it was recognised ("url", "text" or "title")."""

    original: str
    reason: str
    similarity: float


def words_of(text: str) -> list[str]:
    """Lower-cased words; in Chinese, Japanese and Korean text each character is one."""
    if text.isascii() or not _CJK.search(text):
        return _WORD.findall(text.lower())
    return _CJK_OR_WORD.findall(text.lower())


def clean_lines(text: str) -> list[str]:
    """Lines of body text without link lines, bylines and short page furniture."""
    kept = []
    for line in text.splitlines():
        line = line.strip()
        if not line or _LINK_LINE.search(line):
            continue
        if len(line.split()) < 5 and len(words_of(line)) < 5:
            continue
        kept.append(line)
    return kept


def shingles(text: str, size: int) -> set[str]:
    """Word n-grams of the cleaned, lower-cased text."""
    words = [w for line in clean_lines(text) for w in words_of(line)]
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def title_words(title: str) -> frozenset[str]:
    """Lower-cased title words, for the title signal."""
    return frozenset(words_of(title))


def title_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two titles' word sets."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class DuplicateFinder:
    """A sliding index of recent articles that recognises copies of them.

    Articles from `opted_out` sources are never folded, nor used as originals: the escape hatch
    for a source whose distinct articles look alike (tickers, weather, results tables).
    """

    def __init__(
        self, settings: DedupSettings | None = None, opted_out: Iterable[str] = ()
    ) -> None:
        self.settings = settings or DedupSettings()
        self.opted_out = frozenset(opted_out)
        s = self.settings
        self._lsh = RMinHashLSH(s.min_jaccard_same_title, s.num_perm, s.num_bands)
        self._by_url: dict[str, str] = {}
        self._url_of: dict[str, str] = {}
        self._by_title: dict[str, str] = {}
        self._title_of: dict[str, str] = {}
        self._keys: dict[str, int] = {}
        self._ids: dict[int, str] = {}
        self._hashes: dict[int, RMinHash] = {}
        # Titles are kept as the article's own string (shared with the story member), and split
        # into words only for the few LSH candidates: a word set per article costs ~1 KiB.
        self._titles: dict[int, str] = {}
        self._original: dict[str, str] = {}
        self._next_key = 0
        self._last_url = ("", "")  # find() and add() look up the same URL, one after the other

    def __len__(self) -> int:
        return len(self._url_of)

    def minhash(self, text: str) -> RMinHash | None:
        """The MinHash of text's shingles, or None when text is too short to judge."""
        s = self.settings
        grams = shingles(text, s.shingle)
        if len(grams) < s.min_words:
            return None
        mh = RMinHash(s.num_perm, s.seed)
        mh.update(list(grams))
        return mh

    def find(self, item: NewsItem, mh: RMinHash | None = None) -> DuplicateMatch | None:
        """The original that item repeats, if any; `mh` may be passed when already computed."""
        url_key = self._url_key(item.url)
        if url_key and url_key in self._by_url:
            return DuplicateMatch(self.original_of(self._by_url[url_key]), "url", 1.0)
        if item.source in self.opted_out:
            return None
        if mh is None and item.text:
            mh = self.minhash(item.text)
        if mh is not None:
            return self._find_text(item, mh)
        norm = " ".join(sorted(title_words(item.title)))
        if len(norm.split()) >= self.settings.title_only_min_words and norm in self._by_title:
            return DuplicateMatch(self.original_of(self._by_title[norm]), "title", 1.0)
        return None

    def _url_key(self, url: str) -> str:
        if not url:
            return ""
        if self._last_url[0] != url:
            self._last_url = (url, identity_url(url))
        return self._last_url[1]

    def _find_text(self, item: NewsItem, mh: RMinHash) -> DuplicateMatch | None:
        s = self.settings
        title: frozenset[str] | None = None
        best: tuple[float, int] | None = None
        for key in self._lsh.query(mh):
            other = self._hashes.get(key)
            if other is None:
                continue
            jaccard = mh.jaccard(other)
            if jaccard < s.min_jaccard_same_title or (best is not None and jaccard <= best[0]):
                continue
            if jaccard < s.min_jaccard:
                # Below the plain bar, a copy must also carry (nearly) the same title.
                title = title_words(item.title) if title is None else title
                if title_similarity(title, title_words(self._titles[key])) < s.same_title:
                    continue
            best = (jaccard, key)
        if best is None:
            return None
        return DuplicateMatch(self.original_of(self._ids[best[1]]), "text", best[0])

    def add(self, item: NewsItem, original: str | None, mh: RMinHash | None = None) -> None:
        """Remember item (a copy of `original`, or an original itself) for later arrivals."""
        if item.id in self._url_of:
            return
        url_key = self._url_key(item.url)
        self._url_of[item.id] = url_key
        if url_key:
            self._by_url.setdefault(url_key, item.id)
        if original is not None:
            self._original[item.id] = original
        if item.source in self.opted_out:
            return
        if mh is None and item.text:
            mh = self.minhash(item.text)
        if mh is None:
            norm = " ".join(sorted(title_words(item.title)))
            if len(norm.split()) >= self.settings.title_only_min_words:
                self._by_title.setdefault(norm, item.id)
                self._title_of[item.id] = norm
            return
        key = self._next_key
        self._next_key += 1
        self._keys[item.id] = key
        self._ids[key] = item.id
        self._hashes[key] = mh
        self._titles[key] = item.title
        self._lsh.insert(key, mh)

    def recredit(self, old_original: str, new_original: str) -> None:
        """Make new_original the original of old_original's copies (it was published earlier)."""
        self._original[old_original] = new_original
        self._original.pop(new_original, None)

    def original_of(self, article_id: str) -> str:
        """Follow duplicate links to the article credited as the original."""
        seen = 0
        while article_id in self._original and seen < 64:
            article_id = self._original[article_id]
            seen += 1
        return article_id

    def forget(self, article_id: str) -> None:
        """Drop an article that left the window."""
        url_key = self._url_of.pop(article_id, None)
        if url_key and self._by_url.get(url_key) == article_id:
            del self._by_url[url_key]
        self._original.pop(article_id, None)
        key = self._keys.pop(article_id, None)
        if key is not None:
            self._lsh.remove(key)
            del self._ids[key], self._titles[key], self._hashes[key]
        norm = self._title_of.pop(article_id, None)
        if norm is not None and self._by_title.get(norm) == article_id:
            del self._by_title[norm]
