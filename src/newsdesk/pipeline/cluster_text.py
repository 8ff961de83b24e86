"""Text features for story clustering: terms, URL slug words and capitalised entities."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from urllib.parse import urlsplit

_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)
# Chinese and Japanese (Han, kana) write no spaces between words, so their text is read as
# overlapping character pairs, the usual search unit for these scripts (Lucene's CJK bigrams).
# Korean (Hangul) is paired too, its particles attached, but counts its words by their spaces.
HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CHARACTERS = HAN_KANA + "\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{CJK_CHARACTERS}]+")
_UNSPACED = re.compile(f"[{HAN_KANA}]")
# For the lede: one Chinese or Japanese character, or a run of other non-space characters.
_LEAD_TOKEN = re.compile(f"[{HAN_KANA}]|[^\\s{HAN_KANA}]+")
# A Chinese or Japanese word is about two characters long.
_CHARACTERS_PER_WORD = 2
# A news lede gives about 0.6 distinct terms a word in English and 1.4 distinct character pairs
# a word in Chinese: an article read as pairs keeps this many times the terms to keep as much.
PAIRS_PER_TERM = 2.5
_SLUG_SPLIT = re.compile(r"[^a-z]+")

_STOPWORD_TEXT = """
    a about above after again against ago all also am amp an and any are aren't article as aspx
    at back be because been before being below between both but by can co com could d day days
    did do does doing down during each even few first for friday from further get gets got had
    has have having he her here hers herself him himself his how htm html http https i if in
    index into is it its itself just last let like ll made make makes many may me might monday
    more most mr mrs ms much must my myself net new news no nor not now of off on once one only
    or org other our ours out over own people photo photos php re report reports s said same
    saturday says she should so some still story such sunday t tell tells than that the their
    theirs them then there these they this those three through thursday time times to today
    told too tuesday two under until up update updated us ve very via video vs was way we
    wednesday week well were what when where which while who whom why will with would www year
    years yesterday you your yours
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Words in a title or URL that say nothing about the event (section names, page furniture).
_SLUG_NOISE = frozenset(
    ("news", "story", "article", "index", "html", "htm", "php", "aspx", "www", "com", "id", "rss")
)


@lru_cache(maxsize=262_144)
def stem(word: str) -> str:
    """A deliberately light English stemmer: plural and tense endings only."""
    if len(word) <= 4 or not word.isalpha():
        return word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + keep
    return word


def terms(text: str) -> list[str]:
    """Lower-cased, stemmed content words of text, stopwords and numbers-only tokens dropped.

    Chinese, Japanese and Korean runs give their overlapping character pairs instead.
    """
    tokens = _WORD.findall(text.lower())
    if text.isascii():
        return [term for token in tokens if (term := _term(token))]
    out: list[str] = []
    for token in tokens:
        if token.isascii() or not _CJK_RUN.search(token):
            term = _term(token)
            if term:
                out.append(term)
            continue
        for part in _CJK_RUN.split(token):
            if term := _term(part):
                out.append(term)
        for run in _CJK_RUN.findall(token):
            out.extend(_pairs(run))
    return out


def _pairs(run: str) -> list[str]:
    """Overlapping character pairs of a CJK run (a lone character stands for itself)."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def unspaced(text: str) -> bool:
    """Whether text holds Chinese or Japanese, whose words no spaces part."""
    return not text.isascii() and _UNSPACED.search(text) is not None


def word_count(text: str) -> int:
    """Words in text, a Chinese or Japanese word taken as two characters."""
    if not unspaced(text):
        return len(text.split())
    characters = len(_UNSPACED.findall(text))
    rest = _UNSPACED.sub(" ", text).split()
    return len(rest) + (characters + 1) // _CHARACTERS_PER_WORD


@lru_cache(maxsize=262_144)
def _term(token: str) -> str:
    """The term a token stands for, or "" when it is no content word (cached: words recur)."""
    word = token.replace("’", "'").strip(".'-")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 2 or word in STOPWORDS or word.isdigit():
        return ""
    return stem(word.replace(".", ""))


def slug_terms(url: str) -> list[str]:
    """Words from a URL's path slug: often a second headline when the article text is missing."""
    try:
        path = urlsplit(url).path.lower()
    except ValueError:
        return []
    words = [w for w in _SLUG_SPLIT.split(path) if len(w) > 2 and w not in _SLUG_NOISE]
    return [stem(w) for w in words if w not in STOPWORDS]


# A run of capitalised words on one line ("Gulf of Aden", "Lindsay Lohan"); `of`, `de` and `the`
# may sit inside a run. Runs never cross a line break.
_CAPITALISED = re.compile(
    r"\b(?:[A-Z][\w'’.-]*|[A-Z]{2,})(?:[ \t]+(?:of[ \t]+|de[ \t]+|the[ \t]+)?[A-Z][\w'’.-]*)*"
)
_INITIALS = re.compile(r"(?:[A-Z]\.)+|Mr\.|Mrs\.|Ms\.|Dr\.|St\.|Jr\.|Sr\.")
_NONSPACE = re.compile(r"\S+")
_SENTENCE_END = frozenset(("", ".", "!", "?", '"', "—", ":", "|", "/"))


def _sentence_parts(phrase: str, start: int) -> list[tuple[str, int]]:
    """Split a capitalised run where a word ends a sentence ("Aden. Indian" is two runs)."""
    parts: list[tuple[str, int]] = []
    words: list[str] = []
    offset = start
    for word in _NONSPACE.finditer(phrase):
        if not words:
            offset = start + word.start()
        words.append(word.group())
        if word.group().endswith(".") and not _INITIALS.fullmatch(word.group()):
            parts.append((" ".join(words), offset))
            words = []
    if words:
        parts.append((" ".join(words), offset))
    return parts


def title_case(title: str) -> bool:
    """True for Headline Style Titles, where capitals say nothing about names."""
    words = [w for w in title.split() if len(w) > 3 and w[0].isalpha()]
    words = [w for w in words if w.lower() not in STOPWORDS]
    return len(words) >= 3 and all(w[0].isupper() for w in words)


def entities(text: str, limit: int = 40) -> Counter[str]:
    """Capitalised names and places, counted, with the single words of each run.

    A sentence's first word is capitalised anyway: alone it is skipped, and in a run it stays in
    the phrase but does not count as a name of its own ("Actress Tara Reid" gives "tara reid",
    "tara" and "reid" besides the phrase, never "actress").
    """
    found: Counter[str] = Counter()
    for match in _CAPITALISED.finditer(text):
        for phrase, start in _sentence_parts(match.group(), match.start()):
            words = phrase.strip(".'’-").split()
            opening = text[max(0, start - 2) : start].strip() in _SENTENCE_END
            if len(words) == 1 and opening:
                continue
            lowered = [w.lower().strip(".'’") for w in words]
            kept = [w for w in lowered if w not in STOPWORDS and len(w) > 1]
            if not kept:
                continue
            found[" ".join(kept)] += 1
            if len(kept) == 1:
                continue
            rest = kept[1:] if opening and kept[0] == lowered[0] else kept
            if len(rest) > 1 and len(rest) < len(kept):
                found[" ".join(rest)] += 1
            for word in rest:  # "Lindsay Lohan" also matches a later bare "Lohan"
                found[word] += 1
        if len(found) >= limit:
            break
    return found


def lead(text: str, max_words: int) -> str:
    """The first max_words words of text (counted as `word_count` does): the lede carries the
    event."""
    words = text.split()
    if len(words) > max_words:
        text = " ".join(words[:max_words])
    if not unspaced(text):
        return text
    budget = max_words * _CHARACTERS_PER_WORD  # in characters of unspaced text
    for token in _LEAD_TOKEN.finditer(text):
        budget -= 1 if _UNSPACED.match(token.group()) else _CHARACTERS_PER_WORD
        if budget < 0:
            return text[: token.start()].rstrip()
    return text
