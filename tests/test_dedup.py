from newsdesk.pipeline.cluster_models import NewsItem
from newsdesk.pipeline.dedup import DuplicateFinder

ORIGINAL = "\n".join(
    [
        "The city council voted on Tuesday to close the old harbour bridge for repairs "
        "after engineers found cracks in two of its main supports.",
        "Traffic will be diverted through the northern tunnel for at least six months, "
        "the council said in a statement.",
        "Local businesses warned that the closure would hurt trade during the busy summer"
        " season, and asked for compensation.",
        "The mayor said safety had to come first and promised that the repairs would be "
        "finished before the winter storms.",
        "Engineers will begin work next Monday, starting with the eastern support, which "
        "was found to be in the worst condition.",
        "The bridge, built in 1931, carries about forty thousand vehicles a day and is "
        "the main route into the old town.",
        "A public meeting about the diversion plans will be held at the town hall on "
        "Thursday evening.",
    ]
)

SPUN = "\n".join(
    [
        "The city council voted on Tuesday to shut the old harbour bridge for repairs "
        "after engineers found cracks in two of its key supports.",
        "See also: Harbour festival cancelled https://copycat.example/festival",
        "Local firms cautioned that the closure would hurt trade during the busy summer "
        "season, and asked for compensation.",
        "Traffic will be diverted through the northern tunnel for at least six months, "
        "the council stated in a statement.",
        "The mayor stated safety had to come first and promised that the repairs would be"
        " finished before the winter storms.",
        "The bridge, built in 1931, carries about forty thousand vehicles a day and is "
        "the main route into the old town.",
        "Copyright 2024 Copycat News. All rights reserved.",
    ]
)

OTHER = "\n".join(
    [
        "The city council voted on Tuesday to raise parking fees in the town centre from "
        "next spring.",
        "Drivers will pay two pounds an hour instead of one, the council said in a "
        "statement after a long debate.",
        "Shop owners said the rise would keep customers away, while cycling groups "
        "welcomed the decision.",
        "The mayor said the money would pay for new bus lanes and a cleaner, quieter old town.",
        "The change needs approval from the regional transport board, which meets again in March.",
    ]
)


def item(
    id_: str, text: str, source: str = "a", url: str = "", title: str = "Bridge to close"
) -> NewsItem:
    return NewsItem(
        id_, title, 1_700_000_000.0, text, url or f"https://{source}.example/{id_}", source
    )


def feed(finder: DuplicateFinder, *items: NewsItem) -> list[str | None]:
    out = []
    for it in items:
        match = finder.find(it)
        original = match.original if match else None
        finder.add(it, original)
        out.append(original)
    return out


def test_spun_copy_folds_into_the_original() -> None:
    finder = DuplicateFinder()
    assert feed(
        finder, item("1", ORIGINAL), item("2", SPUN, "copycat", title="Harbour bridge shut")
    ) == [None, "1"]


def test_different_article_of_the_same_council_is_not_a_copy() -> None:
    finder = DuplicateFinder()
    assert feed(finder, item("1", ORIGINAL), item("2", OTHER, "b", title="Parking fees rise")) == [
        None,
        None,
    ]


def test_same_url_is_the_same_article_whatever_the_title() -> None:
    finder = DuplicateFinder()
    first = item("1", ORIGINAL, url="https://news.example/bridge")
    again = item(
        "2", "", url="http://m.news.example/bridge/?utm_source=x", title="Bridge to close (updated)"
    )
    assert feed(finder, first, again) == [None, "1"]


def test_copy_of_a_copy_points_at_the_original() -> None:
    finder = DuplicateFinder()
    assert feed(
        finder, item("1", ORIGINAL), item("2", SPUN, "b"), item("3", SPUN + "\nMore.", "c")
    ) == [None, "1", "1"]


def test_opted_out_sources_are_never_folded() -> None:
    finder = DuplicateFinder(opted_out={"copycat"})
    assert feed(finder, item("1", ORIGINAL), item("2", SPUN, "copycat")) == [None, None]


def test_forgotten_articles_are_no_longer_originals() -> None:
    finder = DuplicateFinder()
    feed(finder, item("1", ORIGINAL))
    finder.forget("1")
    assert len(finder) == 0
    assert feed(finder, item("2", SPUN, "b")) == [None]
