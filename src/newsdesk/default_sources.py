"""The built-in source list: official RSS/Atom feeds of major news outlets, by section."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultSource:
    url: str
    title: str
    site_url: str
    section: str


def _feeds(section: str, *rows: tuple[str, str, str]) -> tuple[DefaultSource, ...]:
    return tuple(DefaultSource(url, title, site, section) for title, url, site in rows)


# Only feeds the outlets publish themselves, at addresses that have stayed put for years.
DEFAULT_SOURCES: tuple[DefaultSource, ...] = (
    *_feeds(
        "world",
        ("BBC News – World", "https://feeds.bbci.co.uk/news/world/rss.xml",
         "https://www.bbc.co.uk/news/world"),
        ("The Guardian – World news", "https://www.theguardian.com/world/rss",
         "https://www.theguardian.com/world"),
        ("NPR – World", "https://feeds.npr.org/1004/rss.xml", "https://www.npr.org/sections/world/"),
        ("Al Jazeera – All news", "https://www.aljazeera.com/xml/rss/all.xml",
         "https://www.aljazeera.com/"),
        ("Deutsche Welle – All news", "https://rss.dw.com/rdf/rss-en-all", "https://www.dw.com/en/"),
        ("France 24 – International news", "https://www.france24.com/en/rss",
         "https://www.france24.com/en/"),
        ("CBC News – World", "https://www.cbc.ca/webfeed/rss/rss-world",
         "https://www.cbc.ca/news/world"),
        ("ABC News (Australia) – Just In", "https://www.abc.net.au/news/feed/51120/rss.xml",
         "https://www.abc.net.au/news/justin"),
        ("The New York Times – World", "https://rss.nytimes.com/services/xml/rss/nyt/World.xml",
         "https://www.nytimes.com/section/world"),
        ("The Washington Post – World", "https://feeds.washingtonpost.com/rss/world",
         "https://www.washingtonpost.com/world/"),
        ("UN News – Global perspective, human stories",
         "https://news.un.org/feed/subscribe/en/news/all/rss.xml", "https://news.un.org/en/"),
    ),
    *_feeds(
        "politics",
        ("BBC News – Politics", "https://feeds.bbci.co.uk/news/politics/rss.xml",
         "https://www.bbc.co.uk/news/politics"),
        ("The Guardian – Politics", "https://www.theguardian.com/politics/rss",
         "https://www.theguardian.com/politics"),
        ("NPR – Politics", "https://feeds.npr.org/1014/rss.xml",
         "https://www.npr.org/sections/politics/"),
        ("The New York Times – Politics",
         "https://rss.nytimes.com/services/xml/rss/nyt/Politics.xml",
         "https://www.nytimes.com/section/politics"),
        ("The Washington Post – Politics", "https://feeds.washingtonpost.com/rss/politics",
         "https://www.washingtonpost.com/politics/"),
        ("Politico – Politics", "https://rss.politico.com/politics-news.xml",
         "https://www.politico.com/politics"),
    ),
    *_feeds(
        "business",
        ("BBC News – Business", "https://feeds.bbci.co.uk/news/business/rss.xml",
         "https://www.bbc.co.uk/news/business"),
        ("The Guardian – Business", "https://www.theguardian.com/uk/business/rss",
         "https://www.theguardian.com/uk/business"),
        ("The New York Times – Business",
         "https://rss.nytimes.com/services/xml/rss/nyt/Business.xml",
         "https://www.nytimes.com/section/business"),
        ("CNBC – Top news", "https://www.cnbc.com/id/100003114/device/rss/rss.html",
         "https://www.cnbc.com/"),
    ),
    *_feeds(
        "technology",
        ("Ars Technica", "https://feeds.arstechnica.com/arstechnica/index",
         "https://arstechnica.com/"),
        ("The Verge", "https://www.theverge.com/rss/index.xml", "https://www.theverge.com/"),
        ("BBC News – Technology", "https://feeds.bbci.co.uk/news/technology/rss.xml",
         "https://www.bbc.co.uk/news/technology"),
        ("The Guardian – Technology", "https://www.theguardian.com/uk/technology/rss",
         "https://www.theguardian.com/uk/technology"),
        ("Wired", "https://www.wired.com/feed/rss", "https://www.wired.com/"),
        ("TechCrunch", "https://techcrunch.com/feed/", "https://techcrunch.com/"),
    ),
    *_feeds(
        "science",
        ("Nature", "https://www.nature.com/nature.rss", "https://www.nature.com/nature"),
        ("BBC News – Science & Environment",
         "https://feeds.bbci.co.uk/news/science_and_environment/rss.xml",
         "https://www.bbc.co.uk/news/science_and_environment"),
        ("The Guardian – Science", "https://www.theguardian.com/science/rss",
         "https://www.theguardian.com/science"),
        ("The New York Times – Science",
         "https://rss.nytimes.com/services/xml/rss/nyt/Science.xml",
         "https://www.nytimes.com/section/science"),
        ("New Scientist", "https://www.newscientist.com/feed/home/",
         "https://www.newscientist.com/"),
    ),
    *_feeds(
        "health",
        ("BBC News – Health", "https://feeds.bbci.co.uk/news/health/rss.xml",
         "https://www.bbc.co.uk/news/health"),
        ("NPR – Health", "https://feeds.npr.org/1128/rss.xml",
         "https://www.npr.org/sections/health/"),
        ("The New York Times – Health", "https://rss.nytimes.com/services/xml/rss/nyt/Health.xml",
         "https://www.nytimes.com/section/health"),
        ("STAT", "https://www.statnews.com/feed/", "https://www.statnews.com/"),
    ),
    *_feeds(
        "sports",
        ("ESPN – Top headlines", "https://www.espn.com/espn/rss/news", "https://www.espn.com/"),
        ("BBC Sport", "https://feeds.bbci.co.uk/sport/rss.xml", "https://www.bbc.co.uk/sport"),
        ("The Guardian – Sport", "https://www.theguardian.com/uk/sport/rss",
         "https://www.theguardian.com/uk/sport"),
        ("The New York Times – Sports", "https://rss.nytimes.com/services/xml/rss/nyt/Sports.xml",
         "https://www.nytimes.com/section/sports"),
    ),
    *_feeds(
        "entertainment",
        ("BBC News – Entertainment & Arts",
         "https://feeds.bbci.co.uk/news/entertainment_and_arts/rss.xml",
         "https://www.bbc.co.uk/news/entertainment_and_arts"),
        ("The Guardian – Culture", "https://www.theguardian.com/uk/culture/rss",
         "https://www.theguardian.com/uk/culture"),
        ("The New York Times – Arts", "https://rss.nytimes.com/services/xml/rss/nyt/Arts.xml",
         "https://www.nytimes.com/section/arts"),
        ("Variety", "https://variety.com/feed/", "https://variety.com/"),
    ),
    *_feeds(
        "lifestyle",
        ("The Guardian – Life and style", "https://www.theguardian.com/uk/lifeandstyle/rss",
         "https://www.theguardian.com/uk/lifeandstyle"),
        ("The New York Times – Travel", "https://rss.nytimes.com/services/xml/rss/nyt/Travel.xml",
         "https://www.nytimes.com/section/travel"),
    ),
    *_feeds(
        "environment",
        ("The Guardian – Environment", "https://www.theguardian.com/uk/environment/rss",
         "https://www.theguardian.com/uk/environment"),
        ("The New York Times – Climate",
         "https://rss.nytimes.com/services/xml/rss/nyt/Climate.xml",
         "https://www.nytimes.com/section/climate"),
    ),
    *_feeds(
        "opinion",
        ("The Guardian – Opinion", "https://www.theguardian.com/uk/commentisfree/rss",
         "https://www.theguardian.com/uk/commentisfree"),
        ("The New York Times – Opinion",
         "https://rss.nytimes.com/services/xml/rss/nyt/Opinion.xml",
         "https://www.nytimes.com/section/opinion"),
    ),
)  # fmt: skip
