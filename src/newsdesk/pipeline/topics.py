"""Topics of an article: people, organisations and key phrases, normalised to one name each."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from operator import attrgetter, itemgetter
from typing import cast

from newsdesk.models import Place, Topic
from newsdesk.pipeline.place_names import FUNCTION_WORDS
from newsdesk.pipeline.places import Gazetteer, Span, default_gazetteer, name_spans


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


MAX_TOPICS = 8
MAX_PHRASES = 3
PHRASE_MIN_COUNT = 3

TITLES = _words(
    """
    President Vice Prime Minister Chancellor Secretary Senator Sen Sen. Rep Rep. Gov
    Gov. Governor Mayor Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Sir Dame Lord Lady King Queen
    Prince Princess Pope Judge Justice General Gen Gen. Colonel Captain Coach Chairman
    Chief Executive CEO Director Speaker Leader Commissioner Ambassador Minister Foreign
    Defence Defense Health Finance Former Acting Deputy MP MEP Republican Democrat
    Conservative Professor Prof Prof. Officer Detective Sheriff Attorney Bishop
    Archbishop Rev Rev.
    """
)
ORG_WORDS = _words(
    """
    Party Bank Ministry University College Council Company Inc Inc. Corp Corp. Group
    Association Court Committee Agency Department Union Club FC League Times Post News
    Foundation Institute Commission Organisation Organization Service Office Airlines
    Motors Network Federation Fund Reserve Army Navy Police Parliament Congress Senate
    Assembly Microsoft Google Apple Amazon Facebook Twitter Labour Conservatives
    Democrats Republicans Technologies Systems Media Studios Records Pictures Securities
    Capital Partners Holdings Energy Oil United City Rovers Athletic Olympic Olympics
    """
)
UNTOPICAL = _words(
    """
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March
    April May June July August September October November December Today Yesterday
    Tomorrow Christmas Mr Mrs Ms Dr BBC AP Reuters AFP CNN Getty Images Photo Read More
    Image Copyright Sign Subscribe Click Share Advertisement Updated Published Source
    Sources Getty Images Credit UTC GMT BST CET CEST EST EDT PST PDT WN
    """
)
# Words that name a kind of body, not one body: alone ("the Court", "Police said") they are no
# topic; in a name ("Supreme Court", "Labour Party") they make it an organisation.
GENERIC = _words(
    """
    Party Bank Ministry University College Council Company Group Association Court
    Committee Agency Department Union Club League Foundation Institute Commission
    Organisation Organization Service Office Network Federation Fund Police Army Navy
    City United Government State States
    """
)
# Words that open a sentence before a name ("During COVID", "Regarding Ashodaya"): stripped.
OPENERS = _words(
    """
    So Regarding During According However Thus Yeah Well Because Although Though Yet Still
    Today Tonight Earlier Later Every Each Many Several Some Most Other Such Only Even
    """
)
_PLAIN = FUNCTION_WORDS | TITLES | OPENERS
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,6}$")
_WORD = re.compile(r"[a-z]+")
_SENTENCE_OPENERS = frozenset(".!?:;\"'“”‘’«»()[]—–-•|\n")
_STOPWORDS = _words(
    """
    a an the and or but if of in on at to for from by with as is are was were be been
    being it its this that these those he she they we you i his her their our your my me
    him them us has have had do does did not no so than then there here which who whom
    what when where why how all any some more most other such only own same can will
    just also would could should may might must said says say after before over under
    about into out up down off again new one two three four five six seven eight nine
    ten year years month months week weeks day days last first time people mr mrs ms s t
    per cent percent eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen
    nineteen twenty thirty forty fifty hundred hundreds thousand thousands million millions
    billion billions january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday
    """
)


_BLANK_STOPWORDS = dict.fromkeys(_STOPWORDS, "")


def topic_key(name: str) -> str:
    """The normalised key of a topic name: "Président Macron." -> "president macron".

    Hyphens count as spaces ("COVID-19" and "covid 19" are one topic), so a key's URL slug
    (its words joined by hyphens) names it alone.
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.replace(".", "").replace("’", "'").replace("-", " ").lower().split())


def _strip(tokens: Sequence[str]) -> tuple[tuple[str, ...], bool]:
    """Tokens without leading function words and titles, and whether a title was there."""
    if _PLAIN.isdisjoint(tokens):  # most spans: nothing to strip
        return tuple(tokens), False
    start, titled = 0, False
    while start < len(tokens) and tokens[start] in _PLAIN:
        titled = titled or tokens[start] in TITLES
        start += 1
    rest = tuple(tokens[start:])
    last = max((i for i, t in enumerate(rest) if t in TITLES), default=-1)
    tail = rest[last + 1 :]
    # "Trade and Industry Secretary Patricia Hewitt": the name follows the last title word.
    if last >= 0 and tail and not any(t in ORG_WORDS for t in tail):
        return tail, True
    return rest, titled


def _kind(tokens: Sequence[str], titled: bool) -> str:
    if not ORG_WORDS.isdisjoint(tokens) or (len(tokens) == 1 and _ACRONYM.match(tokens[0])):
        return "organisation"
    if titled or 2 <= len(tokens) <= 3:
        return "person"
    return "name"


def _is_title_case(title: str) -> bool:
    words = [w for w in title.split() if w[:1].isalpha()]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.7


def key_phrases(text: str, words: list[str] | None = None) -> list[tuple[str, int]]:
    """Repeated two-word phrases without stopwords ("climate change"), most frequent first.

    `words` is the text already split into lower-case words, when the caller has it.
    """
    # Stopwords become "", so a pair with one fails all(): the loops stay in C.
    words = _WORD.findall(text.lower()) if words is None else words
    kept = cast(list[str], list(map(_BLANK_STOPWORDS.get, words, words)))
    kept = [w if w.isalpha() else "" for w in kept]  # "365 seats", "october 15": no topics
    pairs = Counter(filter(all, pairwise(kept)))
    # A stable sort keeps ties in first-seen order, as Counter.most_common does.
    top = sorted(pairs.items(), key=itemgetter(1), reverse=True)[:MAX_PHRASES]
    return [(" ".join(pair), n) for pair, n in top if n >= PHRASE_MIN_COUNT]


def _mentions(
    spans: Iterable[Span], names: Mapping[str, Place], text: str
) -> list[tuple[tuple[str, ...], bool, int, bool]]:
    """(tokens, titled, times, opener) for each distinct span that may name a topic, first seen
    first; `opener` marks a single word capitalised only where it opens a sentence ("According",
    "So", "Well"), which is a topic only as part of a longer name ("Putin" of "Vladimir Putin").
    """
    spans = list(spans)
    inside = {s.tokens for s in spans if len(s.tokens) == 1 and _inside_sentence(text, s.start)}
    found = []
    for raw, times in Counter(map(attrgetter("tokens"), spans)).items():
        tokens, titled = (raw, False) if _PLAIN.isdisjoint(raw) else _strip(raw)
        if not tokens or len(tokens) > 4 or " ".join(tokens) in names:
            continue
        opener = False
        if len(tokens) == 1:
            word = tokens[0]
            if word in UNTOPICAL or word in GENERIC or len(word) < 2:
                continue
            opener = raw == tokens and raw not in inside and not _ACRONYM.match(word)
        found.append((tokens, titled, times, opener))
    return found


def _inside_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` follows other words of its sentence."""
    before = text[max(0, start - 4) : start].rstrip(" \t")
    return bool(before) and before[-1] not in _SENTENCE_OPENERS


def find_topics(
    title: str,
    text: str,
    gazetteer: Gazetteer | None = None,
    spans: Iterable[Span] | None = None,
    words: list[str] | None = None,
    title_spans: Iterable[Span] | None = None,
) -> tuple[Topic, ...]:
    """Topics good enough to title a topic page, most mentioned first.

    `spans`, `words` and `title_spans` are the text's name spans and lower-case words, and the
    title's name spans, when already found.
    """
    gaz = gazetteer or default_gazetteer()
    body_spans = name_spans(text) if spans is None else spans
    if _is_title_case(title):
        title_spans = ()
    elif title_spans is None:
        title_spans = name_spans(title)
    mentions = [(*m, True) for m in _mentions(title_spans, gaz.names, title)]
    mentions += [(*m, False) for m in _mentions(body_spans, gaz.names, text)]
    full_names: dict[str, tuple[str, ...]] = {}
    for tokens, _, _, _, _ in mentions:
        # _kind(tokens, False) == "person", for two or three tokens
        if 2 <= len(tokens) <= 3 and ORG_WORDS.isdisjoint(tokens):
            full_names.setdefault(tokens[-1], tokens)
    counts: dict[tuple[str, ...], int] = {}
    titled_names: set[tuple[str, ...]] = set()
    headline: set[tuple[str, ...]] = set()
    for tokens, titled, times, opener, in_title in mentions:
        canonical = full_names.get(tokens[0], tokens) if len(tokens) == 1 else tokens
        if opener and len(canonical) == 1:
            continue
        counts[canonical] = counts.get(canonical, 0) + times
        if titled:
            titled_names.add(canonical)
        if in_title:
            headline.add(canonical)
    topics: list[Topic] = []
    # Most mentioned first, ties in first-seen order (as Counter.most_common sorts).
    for tokens, n in sorted(counts.items(), key=itemgetter(1), reverse=True):
        if n < 2 and tokens not in headline:
            continue  # a single mention in the body never titles a topic page
        kind = _kind(tokens, tokens in titled_names)
        good = n >= 2 or tokens in headline
        if kind == "name":
            good = n >= 3
        if good:
            name = " ".join(tokens)
            topics.append(Topic(topic_key(name), name, kind, n))
            if len(topics) == MAX_TOPICS:
                break
    kept = topics
    seen = {t.key for t in kept}
    phrases = [Topic(p, p, "phrase", n) for p, n in key_phrases(text, words) if p not in seen]
    return tuple(kept + phrases)


def canonical_names(counts: Mapping[str, int], share: float = 0.8) -> dict[str, str]:
    """Across articles: map one-word keys ("putin") to the full name that dominates them."""
    by_last: dict[str, list[str]] = {}
    for key in counts:
        parts = key.split()
        if len(parts) > 1:
            by_last.setdefault(parts[-1], []).append(key)
    mapping: dict[str, str] = {}
    for key in counts:
        candidates = by_last.get(key, []) if " " not in key else []
        if candidates:
            best = max(candidates, key=lambda k: counts[k])
            if counts[best] >= share * sum(counts[k] for k in candidates):
                mapping[key] = best
    return mapping
