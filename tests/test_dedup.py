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


QUAKE_ZH = (
    "秘鲁南部周二发生7.1级地震，造成至少14人死亡，200多人受伤。地震发生在当地时间6时42分，"
    "震中位于阿雷基帕港附近，震源深度35公里。卡马纳和莫延多镇的建筑物倒塌，泛美公路多处被"
    "山体滑坡阻断。总统博鲁阿尔特宣布阿雷基帕地区进入紧急状态，并派遣军队协助救援工作。"
)
OTHER_ZH = (
    "日本东北部周三发生6.9级地震，气象厅一度发布海啸警报。地震发生在当地时间14时，震中位于"
    "宫城县近海，震源深度40公里。仙台市部分地区停电，新干线列车暂停运行，目前尚无人员死亡的"
    "报告。政府表示正在评估核电站的安全状况，并呼吁沿海居民远离海岸。"
)


def test_chinese_copies_are_found_by_their_characters() -> None:
    # Chinese has no spaces: read as words, the whole text was one "word" and never compared.
    finder = DuplicateFinder()

    def item(id_: str, title: str, text: str) -> NewsItem:
        return NewsItem(id_, title, 0.0, text, f"https://{id_}.example/a", id_)

    first = item("zh1", "秘鲁南部发生7.1级地震 至少14人死亡", QUAKE_ZH)
    finder.add(first, None)
    edited = item("zh3", "秘鲁强震致14死", QUAKE_ZH.replace("至少", "最少"))
    match = finder.find(edited)
    assert match is not None and match.original == "zh1"
    assert finder.find(item("jp", "日本东北部发生6.9级地震", OTHER_ZH)) is None
