"""The section taxonomy, and tables mapping other schemes (HuffPost, BBC, feed labels) onto it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Section:
    name: str
    description: str


SECTIONS: tuple[Section, ...] = (
    Section("world", "Affairs abroad, seen from the source's country: diplomacy, wars, conflicts."),
    Section("politics", "Government, elections, parties and policy in the source's own country."),
    Section("business", "Companies, markets, the economy, jobs and personal finance."),
    Section("technology", "Computing, the internet, gadgets, software and tech companies."),
    Section("science", "Research and discoveries: space, physics, biology and the like."),
    Section("health", "Medicine, public health, disease, fitness and wellbeing."),
    Section("sports", "Games, athletes, teams, leagues and competitions."),
    Section("entertainment", "Film, television, music, celebrities, books and the arts."),
    Section("lifestyle", "Food, travel, style, home, family, relationships and weddings."),
    Section("crime", "Crime, policing, courts and trials, shootings and public safety."),
    Section("environment", "Climate, energy, pollution, wildlife and conservation."),
    Section("education", "Schools, universities, students, teachers and education policy."),
    Section("opinion", "Columns, editorials and commentary, whatever their subject."),
)
SECTION_NAMES: tuple[str, ...] = tuple(s.name for s in SECTIONS)

# Opinion is a form, not a subject: no training data marks it, so only source evidence
# (an "Opinion" folder, a /comment/ path, an "Editorial" tag) can raise it.
EVIDENCE_ONLY_SECTIONS: frozenset[str] = frozenset({"opinion"})

HUFFPOST_TO_SECTION: dict[str, str] = {
    "POLITICS": "politics",
    "WELLNESS": "health",
    "HEALTHY LIVING": "health",
    "ENTERTAINMENT": "entertainment",
    "ARTS": "entertainment",
    "ARTS & CULTURE": "entertainment",
    "CULTURE & ARTS": "entertainment",
    "TRAVEL": "lifestyle",
    "STYLE & BEAUTY": "lifestyle",
    "STYLE": "lifestyle",
    "PARENTING": "lifestyle",
    "PARENTS": "lifestyle",
    "FOOD & DRINK": "lifestyle",
    "TASTE": "lifestyle",
    "HOME & LIVING": "lifestyle",
    "WEDDINGS": "lifestyle",
    "DIVORCE": "lifestyle",
    "FIFTY": "lifestyle",
    "BUSINESS": "business",
    "MONEY": "business",
    "SPORTS": "sports",
    "THE WORLDPOST": "world",
    "WORLDPOST": "world",
    "WORLD NEWS": "world",
    "CRIME": "crime",
    "GREEN": "environment",
    "ENVIRONMENT": "environment",
    "SCIENCE": "science",
    "TECH": "technology",
    "EDUCATION": "education",
    "COLLEGE": "education",
}

# HuffPost categories left out of training, and why: each is a voice, tone or audience that
# cuts across sections, so its headlines would teach the model the wrong boundary.
HUFFPOST_DROPPED: dict[str, str] = {
    "COMEDY": "late-night jokes about politics and celebrities: a tone, not a subject",
    "WEIRD NEWS": "odd stories from any section",
    "GOOD NEWS": "uplifting stories from any section",
    "IMPACT": "charity and social good, spread over many sections",
    "MEDIA": "news about journalists and outlets, split between business and politics",
    "RELIGION": "fits no section well; too small to stand as one",
    "QUEER VOICES": "an audience, not a subject",
    "BLACK VOICES": "an audience, not a subject",
    "LATINO VOICES": "an audience, not a subject",
    "WOMEN": "an audience, not a subject",
}

BBC_TO_SECTION: dict[str, str] = {
    "business": "business",
    "entertainment": "entertainment",
    "politics": "politics",
    "sport": "sports",
    "tech": "technology",
}

# Words seen in feed folders, category tags and URL paths, mapped onto sections.
LABEL_ALIASES: dict[str, str] = {
    **{name: name for name in SECTION_NAMES},
    "international": "world",
    "worldnews": "world",
    "global": "world",
    "foreign": "world",
    "europe": "world",
    "asia": "world",
    "africa": "world",
    "middleeast": "world",
    "government": "politics",
    "elections": "politics",
    "election": "politics",
    "uspolitics": "politics",
    "economy": "business",
    "economics": "business",
    "finance": "business",
    "markets": "business",
    "money": "business",
    "companies": "business",
    "tech": "technology",
    "technews": "technology",
    "gadgets": "technology",
    "computing": "technology",
    "internet": "technology",
    "space": "science",
    "sciencenews": "science",
    "medicine": "health",
    "wellness": "health",
    "wellbeing": "health",
    "sport": "sports",
    "football": "sports",
    "soccer": "sports",
    "cricket": "sports",
    "rugby": "sports",
    "tennis": "sports",
    "golf": "sports",
    "nfl": "sports",
    "nba": "sports",
    "arts": "entertainment",
    "culture": "entertainment",
    "film": "entertainment",
    "movies": "entertainment",
    "music": "entertainment",
    "tv": "entertainment",
    "television": "entertainment",
    "celebrity": "entertainment",
    "books": "entertainment",
    "style": "lifestyle",
    "fashion": "lifestyle",
    "food": "lifestyle",
    "travel": "lifestyle",
    "living": "lifestyle",
    "life": "lifestyle",
    "family": "lifestyle",
    "police": "crime",
    "courts": "crime",
    "justice": "crime",
    "climate": "environment",
    "climatechange": "environment",
    "energy": "environment",
    "schools": "education",
    "universities": "education",
    "comment": "opinion",
    "commentisfree": "opinion",
    "editorial": "opinion",
    "editorials": "opinion",
    "opinions": "opinion",
    "columnists": "opinion",
    "columns": "opinion",
    "views": "opinion",
    "op-ed": "opinion",
}

_NON_WORD = re.compile(r"[^a-z0-9-]+")


def section_for_label(label: str) -> str | None:
    """The section a free-form label (folder, tag, path segment) names, if any."""
    key = label.strip().lower().replace("&", "and")
    if key in LABEL_ALIASES:
        return LABEL_ALIASES[key]
    squashed = _NON_WORD.sub("", key).replace("-", "")
    if squashed in LABEL_ALIASES:
        return LABEL_ALIASES[squashed]
    if key.upper() in HUFFPOST_TO_SECTION:
        return HUFFPOST_TO_SECTION[key.upper()]
    return None


def section_for_url(url: str) -> str | None:
    """The section named by the first path segment of a URL that names one."""
    path = urlsplit(url).path
    for segment in path.split("/")[:-1] if not path.endswith("/") else path.split("/"):
        if segment and (found := section_for_label(segment)) is not None:
            return found
    return None
