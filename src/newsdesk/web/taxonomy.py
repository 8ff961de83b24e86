"""Names the site's URLs use for sections, World regions, topics and places."""

from __future__ import annotations

from newsdesk.pipeline.sections import SECTION_NAMES
from newsdesk.pipeline.topics import topic_key

SECTIONS: tuple[str, ...] = SECTION_NAMES

# URL slug -> the region name article_places stores.
REGIONS: dict[str, str] = {
    "europe": "Europe",
    "middle-east": "Middle East",
    "asia": "Asia",
    "africa": "Africa",
    "americas": "Americas",
    "oceania": "Oceania",
}


def section_title(name: str) -> str:
    return name.replace("-", " ").title() if name else "Unclassified"


def topic_slug(key: str) -> str:
    """The URL form of a topic key: "vladimir putin" -> "vladimir-putin"."""
    return "-".join(key.split())


def slug_topic(slug: str) -> str:
    """The topic key a slug stands for (keys hold no hyphens: see pipeline.topics.topic_key)."""
    return topic_key(slug)


def is_country_code(text: str) -> bool:
    return len(text) == 2 and text.isascii() and text.isalpha()
