"""Topics of an article: people, organisations and key phrases, normalised to one name each."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress, pairwise
from operator import attrgetter, itemgetter, not_
from typing import NamedTuple, cast

from newsdesk.models import Place, Topic
from newsdesk.pipeline.place_names import CONNECTORS, DEMONYMS, FUNCTION_WORDS
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
    Sources Getty Images Credit UTC GMT BST CET CEST EST EDT PST PDT WN European African
    Asian Arab Latin Scandinavian Caribbean Balkan Nordic
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
# Words that describe the person or body after them when they open a sentence or a headline
# ("Actor Doris Day dies", "Ailing EuroDisney vows turnaround"): dropped there.
DESCRIPTORS = _words(
    """
    Actor Actress Singer Rapper Producer Referee Striker Midfielder Defender Goalkeeper
    Winger Manager Boss Comedian Author Writer Novelist Poet Artist Designer Presenter
    Broadcaster Drummer Guitarist Veteran Legendary Ailing Dogged Latest Troubled
    Embattled Beleaguered Senior Teenager Golfer Batsman Bowler Athlete Sprinter Champion
    Chef Playwright Composer Businessman Tycoon Billionaire Entrepreneur Lawyer Activist
    Campaigner Economist Analyst Scientist Astronaut Suspect Defendant Rocker Filmmaker
    """
)
_PLAIN = FUNCTION_WORDS | TITLES | OPENERS | frozenset(CONNECTORS)
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,6}$")
# Words, with the apostrophes and hyphens inside them ("o'driscoll", "e-mail", "gdańsk").
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# A possessive or contraction at a word's end: "blair's" -> "blair", "i'm" -> "i".
_CLITIC = re.compile(r"['’](?:s|m|d|t|ve|re|ll)$")
_NOT_LETTER = re.compile(r"[\d_]").search
# Offices, not topics: "prime minister", "home secretary", "attorney general".
_OFFICES = _words(
    """
    minister secretary chancellor executive president director constable governor mayor
    chairman chairwoman spokesman spokeswoman commissioner ambassador chief
    """
)
_OFFICE_PHRASES = _words("attorney solicitor surgeon inspector director secretary")
_CLITICS = ("I'", "I’")  # "I'm", "I've", "I'd": no topics
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
    image images photo photos picture pictures credit copyright caption flickr getty told
    tells com org www http https reportedly via bbc wikinews
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
    # "Mayor of Gdańsk", "Speaker of the House": the office's place or body, not its holder.
    titled = titled and tokens[start - 1] not in CONNECTORS
    rest = tuple(tokens[start:])
    last = max((i for i, t in enumerate(rest) if t in TITLES), default=-1)
    tail = rest[last + 1 :]
    # "Trade and Industry Secretary Patricia Hewitt": the name follows the last title word.
    if last >= 0 and tail and not any(t in ORG_WORDS for t in tail):
        return tail, True
    return rest, titled


def _kind(tokens: tuple[str, ...], titled: bool) -> str:
    if not ORG_WORDS.isdisjoint(tokens) or (len(tokens) == 1 and _ACRONYM.match(tokens[0])):
        return "organisation"
    if titled or _looks_like_person(tokens):
        return "person"
    return "name"


def _is_title_case(title: str) -> bool:
    words = [w for w in title.split() if w[:1].isalpha()]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) / len(words) > 0.7


def key_phrases(text: str, spans: Iterable[Span] = ()) -> list[tuple[str, int]]:
    """Repeated two-word phrases without stopwords ("climate change"), most frequent first.

    A phrase that names an office ("prime minister") or that the text mostly writes as part
    of a capitalised name in `spans` ("Hong Kong", "Bill de Blasio") is left out.
    """
    words = _WORD.findall(text.lower())
    # Most words are letters only: find the others in C, and cut or blank just those.
    for i in compress(range(len(words)), map(not_, map(str.isalpha, words))):
        words[i] = _letters(words[i])
    # Stopwords become "", so a pair with one fails all(): the loops stay in C.
    kept = cast(list[str], list(map(_BLANK_STOPWORDS.get, words, words)))
    pairs = Counter(filter(all, pairwise(kept)))
    repeated = [(p, n) for p, n in pairs.items() if n >= PHRASE_MIN_COUNT]
    if not repeated:
        return []
    # A stable sort keeps ties in first-seen order, as Counter.most_common does.
    repeated.sort(key=itemgetter(1), reverse=True)
    names = f" | {' | '.join(' '.join(s.tokens) for s in spans if len(s.tokens) > 1)} | ".lower()
    good = [
        (p, n) for p, n in repeated if 2 * names.count(f" {p[0]} {p[1]} ") < n and not _is_office(p)
    ]
    return [(" ".join(pair), n) for pair, n in good[:MAX_PHRASES]]


def _letters(word: str) -> str:
    """A word of letters, its possessive or contraction cut; "" for a number ("365", "4g")."""
    word = _CLITIC.sub("", word)
    return "" if _NOT_LETTER(word) else word


def _is_office(pair: tuple[str, str]) -> bool:
    return pair[1] in _OFFICES or (pair[1] == "general" and pair[0] in _OFFICE_PHRASES)


def _mentions(
    spans: Iterable[Span], names: Mapping[str, Place], text: str, context: _Context
) -> list[tuple[tuple[str, ...], bool, int, bool]]:
    """(tokens, titled, times, opener) for each distinct span that may name a topic, first seen
    first; `opener` marks a single word capitalised only where it opens a sentence ("According",
    "So", "Well"), which is a topic only as part of a longer name ("Putin" of "Vladimir Putin").
    """
    spans = list(spans)
    inside = {s.tokens for s in spans if len(s.tokens) == 1 and _inside_sentence(text, s.start)}
    opening: set[tuple[str, ...]] = set()
    within: set[tuple[str, ...]] = set()
    for span in spans:
        if len(span.tokens) > 1:
            (within if _inside_sentence(text, span.start) else opening).add(span.tokens)
    found = []
    for raw, times in Counter(map(attrgetter("tokens"), spans)).items():
        tokens, titled = (raw, False) if _PLAIN.isdisjoint(raw) else _strip(raw)
        if raw in opening and raw not in within:
            tokens = _without_descriptors(tokens, names, context)
        if not tokens or len(tokens) > 4 or " ".join(tokens) in names:
            continue
        opener = False
        if len(tokens) == 1:
            word = tokens[0]
            if word in UNTOPICAL or word in GENERIC or len(word) < 2 or word[:2] in _CLITICS:
                continue
            opener = raw == tokens and raw not in inside and not _ACRONYM.match(word)
        found.append((tokens, titled, times, opener))
    return found


class _Context(NamedTuple):
    """What the headline and the text say together, for dropping words before a name."""

    text: str  # the headline and the body
    tuples: set[tuple[str, ...]]  # every name span's tokens
    ends: Counter[str]  # how many distinct spans end in each word


def _context(title: str, text: str, spans: Iterable[Span]) -> _Context:
    tuples = {span.tokens for span in spans}
    return _Context(f"{title}\n{text}", tuples, Counter(t[-1] for t in tuples))


def _without_descriptors(
    tokens: tuple[str, ...], names: Mapping[str, Place], context: _Context
) -> tuple[str, ...]:
    """A name that opens a sentence, without the words that describe it there: "Actor Doris
    Day" -> "Doris Day", "Zimbabwe Robert Mugabe" -> "Robert Mugabe", "New Harry Potter" ->
    "Harry Potter" (an ordinary word, written lower-case in the text, before a name seen
    elsewhere)."""
    while len(tokens) > 1:
        first, rest = tokens[0], tokens[1:]
        seen_elsewhere = context.ends[rest[-1]] > 1
        person = 2 <= len(rest) <= 3 and ORG_WORDS.isdisjoint(rest)
        if not (
            first in DESCRIPTORS
            or first in CONNECTORS  # "Creditors of Parmalat" -> "Parmalat"
            or (first in names and person and (rest[-1],) in context.tuples)
            or (seen_elsewhere and _written_lower_case(first, context.text))
        ):
            break
        tokens = rest
    return tokens


def _written_lower_case(word: str, text: str) -> bool:
    lower = word.lower()
    return lower in text and re.search(rf"\b{re.escape(lower)}\b", text) is not None


def _inside_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` follows other words of its sentence."""
    before = text[max(0, start - 4) : start].rstrip(" \t")
    return bool(before) and before[-1] not in _SENTENCE_OPENERS


def _looks_like_person(tokens: tuple[str, ...]) -> bool:
    """Two or three words, none of an organisation, not led by a nationality ("Iranian MPs")."""
    return 2 <= len(tokens) <= 3 and ORG_WORDS.isdisjoint(tokens) and tokens[0] not in DEMONYMS


def find_topics(
    title: str,
    text: str,
    gazetteer: Gazetteer | None = None,
    spans: Iterable[Span] | None = None,
    title_spans: Iterable[Span] | None = None,
) -> tuple[Topic, ...]:
    """Topics good enough to title a topic page, most mentioned first.

    `spans` and `title_spans` are the text's and the title's name spans, when already found.
    """
    gaz = gazetteer or default_gazetteer()
    body_spans = list(name_spans(text) if spans is None else spans)
    if _is_title_case(title):
        title_spans = ()
    elif title_spans is None:
        title_spans = name_spans(title)
    title_spans = list(title_spans)
    context = _context(title, text, [*title_spans, *body_spans])
    mentions = [(*m, True) for m in _mentions(title_spans, gaz.names, title, context)]
    mentions += [(*m, False) for m in _mentions(body_spans, gaz.names, text, context)]
    # A surname stands for the full name mentioned most ("Day" for "Doris Day"), ties first seen.
    full_counts: Counter[tuple[str, ...]] = Counter()
    for tokens, _, times, _, _ in mentions:
        if _looks_like_person(tokens):
            full_counts[tokens] += times
    full_names: dict[str, tuple[str, ...]] = {}
    for tokens, n in full_counts.items():
        best = full_names.get(tokens[-1])
        if best is None or n > full_counts[best]:
            full_names[tokens[-1]] = tokens
    canonicals = [full_names.get(m[0][0], m[0]) if len(m[0]) == 1 else m[0] for m in mentions]
    # A word seen only opening sentences counts when it is also seen as a name ("EuroDisney").
    named = {c for c, m in zip(canonicals, mentions, strict=True) if not m[3]}
    counts: dict[tuple[str, ...], int] = {}
    titled_names: set[tuple[str, ...]] = set()
    headline: set[tuple[str, ...]] = set()
    for canonical, (_, titled, times, opener, in_title) in zip(canonicals, mentions, strict=True):
        if opener and len(canonical) == 1 and canonical not in named:
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
    phrases = [Topic(p, p, "phrase", n) for p, n in key_phrases(text, body_spans) if p not in seen]
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
