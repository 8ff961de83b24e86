from dataclasses import replace

from newsdesk.pipeline.cluster import StoryEngine, StorySettings
from newsdesk.pipeline.cluster_models import Assignment, NewsItem
from newsdesk.pipeline.cluster_text import lead, terms, word_count

T0 = 1_700_000_000.0
HOUR = 3600.0

CHILE = [
    (
        "Magnitude 7.1 earthquake strikes near Valparaiso, Chile",
        "A magnitude 7.1 earthquake struck off the coast of Valparaiso in central Chile on Monday, "
        "shaking buildings in Santiago. Chile's emergency office Onemi ordered a tsunami "
        "evacuation of the Valparaiso coast.",
    ),
    (
        "Chile quake: Valparaiso residents flee to higher ground",
        "Thousands of residents of Valparaiso fled to higher ground after the earthquake."
        " Onemi said damage "
        "in Valparaiso and Vina del Mar was limited, and President Boric thanked rescue "
        "teams in Chile.",
    ),
    (
        "Valparaiso earthquake damages port, Chile says",
        "The earthquake that hit Valparaiso damaged cranes at the port, Chile's transport"
        " minister said, "
        "as Onemi lifted the tsunami warning for the Chilean coast.",
    ),
]
JAPAN = [
    (
        "Magnitude 6.9 earthquake strikes near Sendai, Japan",
        "A magnitude 6.9 earthquake struck off Miyagi prefecture near Sendai in northern "
        "Japan on Monday. "
        "The Japan Meteorological Agency issued a tsunami advisory for the Miyagi coast.",
    ),
    (
        "Japan quake: Sendai trains halted after tremor",
        "Shinkansen trains to Sendai were halted after the earthquake, East Japan Railway"
        " said, while the "
        "Japan Meteorological Agency warned of aftershocks in Miyagi.",
    ),
    (
        "Miyagi earthquake: Japan checks Onagawa nuclear plant",
        "Tohoku Electric said the Onagawa nuclear plant in Miyagi showed no damage after "
        "the earthquake near "
        "Sendai, and the Japan Meteorological Agency lifted the tsunami advisory.",
    ),
]
REHAB = [
    (
        "Tara Reid checks into rehab at Promises",
        "Actress Tara Reid has checked into the Promises Treatment Center in Malibu, her "
        "representative told People magazine.",
    ),
    (
        "Lindsay Lohan enters rehab at Betty Ford Center",
        "Actress Lindsay Lohan has entered the Betty Ford Center in Rancho Mirage, as "
        "ordered by a Los Angeles judge.",
    ),
    (
        "Tara Reid in rehab: rep asks for privacy",
        "Tara Reid's representative asked for privacy after the American Pie actress "
        "checked into Promises in Malibu.",
    ),
    (
        "Lindsay Lohan arrives at Betty Ford clinic",
        "Lindsay Lohan arrived at the Betty Ford Center in Rancho Mirage on Thursday, "
        "starting a 90-day stay ordered by the judge.",
    ),
]


def items(prefix: str, stories: list[tuple[str, str]], start: float) -> list[NewsItem]:
    return [
        NewsItem(
            f"{prefix}{i}",
            title,
            start + i * HOUR,
            text,
            f"https://o{i}.example/{prefix}{i}",
            f"outlet{i}",
        )
        for i, (title, text) in enumerate(stories)
    ]


def run(engine: StoryEngine, batch: list[NewsItem]) -> dict[str, Assignment]:
    return {it.id: engine.add(it) for it in batch}


def test_articles_about_one_event_form_one_story() -> None:
    got = run(StoryEngine(), items("c", CHILE, T0))
    assert {a.story_id for a in got.values()} == {"c0"}
    assert got["c0"].new_story and not got["c1"].new_story


def test_two_earthquakes_in_the_same_week_stay_apart() -> None:
    pairs = zip(items("c", CHILE, T0), items("j", JAPAN, T0 + 60), strict=True)
    mixed = [x for pair in pairs for x in pair]
    got = run(StoryEngine(), mixed)
    assert {got[f"c{i}"].story_id for i in range(3)} == {"c0"}
    assert {got[f"j{i}"].story_id for i in range(3)} == {"j0"}


def test_two_celebrities_in_rehab_the_same_month_stay_apart() -> None:
    got = run(StoryEngine(), items("r", REHAB, T0))
    assert got["r2"].story_id == got["r0"].story_id
    assert got["r3"].story_id == got["r1"].story_id
    assert got["r0"].story_id != got["r1"].story_id


def test_the_same_kind_of_event_months_apart_is_a_new_story() -> None:
    engine = StoryEngine()
    first = run(engine, items("c", CHILE[:2], T0))
    later = engine.add(items("x", CHILE[2:], T0 + 120 * 24 * HOUR)[0])
    assert later.story_id != first["c0"].story_id


def test_story_ids_survive_a_restart_rebuilt_from_stored_articles() -> None:
    batch = items("c", CHILE, T0) + items("j", JAPAN, T0 + 60)
    live = StoryEngine()
    stored = [(it, live.add(it)) for it in batch[:-1]]
    expected = live.add(batch[-1])

    restarted = StoryEngine()
    for it, a in stored:
        restarted.restore(it, a.story_id, a.duplicate_of)
    again = restarted.add(batch[-1])
    assert again.story_id == expected.story_id == "j0"
    assert {s.id for s in restarted.stories()} == {s.id for s in live.stories()}


def test_syndicated_copy_joins_its_originals_story_as_a_duplicate() -> None:
    engine = StoryEngine()
    body = "\n".join(t for _, t in CHILE + JAPAN)
    original = NewsItem("o", CHILE[0][0], T0, body, "https://wire.example/quake", "Wire")
    copy = NewsItem(
        "k",
        CHILE[0][0],
        T0 + 600,
        body + "\nSee also: more https://x.example/",
        "https://paper.example/q",
        "Paper",
    )
    engine.add(original)
    got = engine.add(copy)
    assert (got.story_id, got.duplicate_of) == ("o", "o")


def test_earlier_publisher_is_credited_when_its_copy_arrives_late() -> None:
    engine = StoryEngine()
    body = "\n".join(t for _, t in JAPAN + CHILE)
    late_copy = NewsItem("late", JAPAN[0][0], T0 + 3600, body, "https://paper.example/q", "Paper")
    wire = NewsItem("wire", JAPAN[0][0], T0, body, "https://wire.example/q", "Wire")
    engine.add(late_copy)
    got = engine.add(wire)
    assert got.duplicate_of is None and got.recredited == "late"
    story = engine.story(got.story_id)
    assert story is not None
    assert {m.id: m.duplicate_of for m in story.members} == {"late": "wire", "wire": None}


def test_see_also_never_lists_the_articles_own_story() -> None:
    engine = StoryEngine()
    batch = items("c", CHILE, T0) + items("j", JAPAN, T0 + 60) + items("r", REHAB, T0 + 120)
    for it in batch:
        a = engine.add(it)
        assert a.story_id not in a.related
    for story in engine.stories():
        assert story.id not in engine.related_stories(story.id)


def test_see_also_reaches_an_earlier_development_days_back() -> None:
    # The death toll rises six days on: too late to join the quake's story, not to be linked.
    engine = StoryEngine()
    run(engine, items("c", CHILE, T0))
    toll = NewsItem(
        "toll",
        "Valparaiso earthquake death toll rises, Chile says",
        T0 + 6 * 24 * HOUR,
        "The death toll from the magnitude 7.1 earthquake that struck Valparaiso rose on "
        "Sunday, Chile's emergency office Onemi said, as rescue teams searched the port.",
        "https://late.example/toll",
        "late",
    )
    got = engine.add(toll)
    assert got.story_id != "c0" and "c0" in got.related


def test_see_also_finds_the_other_earthquake() -> None:
    engine = StoryEngine()
    run(engine, items("c", CHILE, T0))
    got = engine.add(items("j", JAPAN, T0 + 60)[0])
    assert "c0" in got.related


def test_the_window_forgets_old_articles_even_in_a_story_that_never_ends() -> None:
    # One text re-published every two hours: copies, which would not keep a story news (see
    # the quiet tests below), so the quiet rule is off to keep one story going.
    engine = StoryEngine(replace(StorySettings(), window_days=1.0, quiet_days=0.0))
    title, text = CHILE[0]
    for hour in range(0, 24 * 5, 2):
        engine.add(
            NewsItem(f"a{hour}", title, T0 + hour * HOUR, text, f"https://x.example/{hour}", "X")
        )
    assert len(engine.stories()) == 1
    assert len(engine.story_of) <= 13
    assert all(m.published >= engine.now - 24 * HOUR for m in engine.stories()[0].members)


def test_a_story_whose_last_article_was_a_copy_still_leaves_the_window() -> None:
    engine = StoryEngine(replace(StorySettings(), window_days=1.0))
    body = "\n".join(t for _, t in CHILE + JAPAN)
    engine.add(NewsItem("o", CHILE[0][0], T0, body, "https://wire.example/q", "Wire"))
    engine.add(NewsItem("k", CHILE[0][0], T0 + HOUR, body, "https://paper.example/q", "Paper"))
    title, text = REHAB[0]
    engine.add(NewsItem("later", title, T0 + 50 * HOUR, text, "https://x.example/r", "X"))
    assert [s.id for s in engine.stories()] == ["later"]
    assert set(engine.index.postings) <= set(engine.index.stories["later"].centroid)


def test_headlines_alone_about_one_event_form_one_story() -> None:
    titles = [
        "Mt. Gox files for bankruptcy protection in the US",
        "Bitcoin exchange Mt. Gox seeks US bankruptcy protection",
        "Mt. Gox bankruptcy filing in US halts lawsuits",
    ]
    got = run(
        StoryEngine(),
        [NewsItem(f"h{i}", t, T0 + i * HOUR, "", "", f"outlet{i}") for i, t in enumerate(titles)],
    )
    assert {a.story_id for a in got.values()} == {"h0"}


def test_a_headline_sharing_one_word_with_a_story_starts_its_own() -> None:
    titles = [
        "Orion's death stars destroy planets before they can form",
        "Astronomers see Orion death stars strip young planets",
        "Auto regulators ignored owner complaints about ignition defect tied to 13 deaths",
        "Ignition defect tied to 13 deaths: regulators ignored complaints",
    ]
    batch = [
        NewsItem(f"h{i}", t, T0 + i * HOUR, "", "", f"outlet{i}") for i, t in enumerate(titles)
    ]
    got = run(StoryEngine(), batch)
    assert [got[f"h{i}"].story_id for i in range(4)] == ["h0", "h0", "h2", "h2"]
    # Without the cut, "deaths" alone carries the regulators into the astronomers' story.
    lenient = run(StoryEngine(replace(StorySettings(), lone_word_penalty=1.0)), batch)
    assert lenient["h2"].story_id == "h0"


def test_names_stop_at_the_end_of_a_sentence_and_ignore_headline_capitals() -> None:
    from newsdesk.pipeline.cluster_text import entities, title_case

    found = entities("Pirates were seized in the Gulf of Aden. Indian officials said so.")
    assert "gulf aden" in found and "gulf aden indian" not in found
    assert "actress" not in entities("Actress Tara Reid entered rehab.")
    assert title_case("Lindsay Lohan Checks Into Betty Ford Center")
    assert not title_case("Lindsay Lohan checks into Betty Ford Center")


def test_the_bar_to_join_rises_with_the_evidence_an_article_brings() -> None:
    from newsdesk.pipeline.cluster_score import join_threshold

    s = StorySettings()
    headline, summary, lede = (join_threshold(s, n) for n in (0, 30, 150))
    assert headline == s.short_threshold < summary < lede == s.threshold
    # Beyond the lead the bar falls again, to long_threshold at long_words words.
    assert s.long_threshold < join_threshold(s, 250) < s.threshold
    assert abs(join_threshold(s, 400) - s.long_threshold) < 1e-9
    assert join_threshold(replace(s, long_words=0), 500) == s.threshold


def test_sentence_embeddings_veto_joins_the_words_would_make() -> None:
    import numpy as np

    east, north = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    chile = items("c", CHILE, T0)
    # Embeddings that agree leave the words' decision alone...
    agree = StoryEngine()
    assert {agree.add(item, east).story_id for item in chile} == {"c0"}
    # ...and one far from the story's (cosine below embedding_threshold) is cut by the penalty.
    veto = StoryEngine(replace(StorySettings(), embedding_penalty=0.0))
    veto.add(chile[0], east)
    assert veto.add(chile[1], north).new_story
    assert veto.add(chile[2], east).story_id == "c0"


QUIET = StorySettings()
LOUD = replace(QUIET, quiet_days=0.0)


def _burst(prefix: str, start: float, count: int = 12) -> list[NewsItem]:
    """Outlets carrying the Chile reports (and copies of them) a minute apart: breaking news."""
    return [
        NewsItem(
            f"{prefix}{n}",
            CHILE[n % 3][0],
            start + n * 60,
            CHILE[n % 3][1],
            f"https://o{n}.example/{prefix}{n}",
            f"outlet{n}",
        )
        for n in range(count)
    ]


FOLLOW_UP = (
    "Chile earthquake: Valparaiso begins repairs to its port",
    "A day after the earthquake, Valparaiso began repairing the cranes at its port, and Onemi "
    "said the tsunami evacuation of the Chilean coast was over. President Boric visited "
    "Valparaiso and Vina del Mar.",
)


def _later(hours: float) -> NewsItem:
    title, text = FOLLOW_UP
    return NewsItem("next", title, T0 + hours * HOUR, text, "https://late.example/1", "Late")


def test_a_follow_up_after_a_story_went_quiet_is_a_new_story_linked_to_it() -> None:
    engine = StoryEngine(QUIET)
    run(engine, _burst("c", T0))
    got = engine.add(_later(20))
    assert got.new_story and "c0" in got.related  # an earlier development, in See also
    # Without the rule, or within the quiet allowance, it joins.
    assert run(StoryEngine(LOUD), [*_burst("c", T0), _later(20)])["next"].story_id == "c0"
    assert run(StoryEngine(QUIET), [*_burst("c", T0), _later(6)])["next"].story_id == "c0"


def test_a_few_reports_tell_too_little_to_call_a_story_quiet() -> None:
    # A small desk: three outlets report the quake, the follow-up comes the next day.
    got = run(StoryEngine(QUIET), [*_burst("c", T0, count=3), _later(20)])
    assert got["next"].story_id == "c0"


def test_a_story_reported_slowly_is_not_quiet_between_its_reports() -> None:
    # Most of a day between reports: the pace sets the allowance, not the minimum.
    slow = [replace(it, published=T0 + n * 20 * HOUR) for n, it in enumerate(_burst("c", T0, 3))]
    got = run(StoryEngine(replace(QUIET, quiet_articles=2)), [*slow, _later(60)])
    assert {a.story_id for a in got.values()} == {"c0"}
    fast = run(StoryEngine(replace(QUIET, quiet_articles=2)), [*_burst("c", T0, 3), _later(60)])
    assert fast["next"].new_story


def test_a_copy_published_late_does_not_keep_a_quiet_story_going() -> None:
    engine = StoryEngine(QUIET)
    body = "\n".join(t for _, t in CHILE)
    wire = NewsItem("wire", CHILE[0][0], T0, body, "https://wire.example/q", "Wire")
    run(engine, [wire, *_burst("c", T0 + 60)])
    copy = replace(
        wire, id="copy", published=T0 + 18 * HOUR, url="https://farm.example/q", source="Farm"
    )
    assert engine.add(copy).duplicate_of == "wire"
    assert engine.add(_later(20)).new_story


QUAKEBOT = (
    "A shallow magnitude 4.{m} earthquake was reported Tuesday morning 5 miles from {town}, "
    "California, according to the U.S. Geological Survey. The temblor occurred at 6:42 a.m. "
    "Pacific time at a depth of 2.1 miles. According to the USGS, the epicenter was 5 miles "
    "from {town} and 30 miles from the nearest large town. In the past 10 days, there have "
    "been no earthquakes of magnitude 3.0 or greater centered nearby. An average of 234 "
    "earthquakes with magnitudes between 4.0 and 5.0 occur in California and Nevada per "
    "year. This story was automatically generated by Quakebot, a computer application that "
    "monitors the latest earthquakes detected by the USGS."
)


def test_a_wire_template_about_another_place_is_no_copy_of_the_first() -> None:
    engine = StoryEngine()

    def bulletin(id_: str, town: str, m: int, hours: float, source: str) -> NewsItem:
        title = f"Magnitude 4.{m} earthquake strikes near {town}, Calif."
        text = QUAKEBOT.format(m=m, town=town)
        return NewsItem(id_, title, T0 + hours * HOUR, text, f"https://{source}/{id_}", source)

    assert engine.add(bulletin("ridgecrest", "Ridgecrest", 2, 0, "latimes.com")).new_story
    bishop = engine.add(bulletin("bishop", "Bishop", 5, 48, "latimes.com"))
    assert bishop.duplicate_of is None  # another quake, not a copy of the first bulletin
    # Nor part of its story: the same words about another town are another event, and related.
    assert bishop.new_story and bishop.related == ("ridgecrest",)
    copy = engine.add(bulletin("echo", "Ridgecrest", 2, 1, "echo.example"))
    assert copy.duplicate_of == "ridgecrest"  # the same bulletin carried by another outlet
    # Without the template rule its words alone put the second quake in the first one's story.
    words_only = StoryEngine(replace(StorySettings(), template_similarity=1.01))
    words_only.add(bulletin("ridgecrest", "Ridgecrest", 2, 0, "latimes.com"))
    assert words_only.add(bulletin("bishop", "Bishop", 5, 48, "latimes.com")).story_id == (
        "ridgecrest"
    )


# Two outlets' own reports of one quake in Peru (not copies: each is written differently), and
# a report of another quake in Japan the same week. Chinese writes no spaces between words.
PERU_ZH = [
    (
        "秘鲁南部发生7.1级强烈地震 至少14人遇难",
        "秘鲁南部阿雷基帕大区周五凌晨发生7.1级强烈地震，造成至少14人遇难、数十人受伤。"
        "秘鲁地球物理研究所说，震中位于阿雷基帕以南约60公里，震源深度约35公里。多处房屋倒塌，"
        "道路因山体滑坡中断，救援人员正在搜寻被困者。秘鲁总统宣布灾区进入紧急状态，"
        "并派遣军队协助救灾。",
    ),
    (
        "秘鲁阿雷基帕强震死亡人数升至14人",
        "据秘鲁官方消息，周五凌晨袭击该国南部的7.1级地震已造成14人死亡。地震震中靠近阿雷基帕，"
        "当地大量土坯房屋倒塌。秘鲁地球物理研究所表示，余震仍在持续。总统在视察灾区时宣布进入"
        "紧急状态，军队已被派往阿雷基帕参与搜救，部分道路因滑坡仍然中断。",
    ),
]
JAPAN_ZH = (
    "日本宫城县近海发生6.9级地震 一度发布海啸警报",
    "日本东北部周三发生6.9级地震，气象厅一度发布海啸警报。地震发生在当地时间14时，震中位于"
    "宫城县近海，震源深度40公里。仙台市部分地区停电，新干线列车暂停运行，目前尚无人员死亡的"
    "报告。政府表示正在评估核电站的安全状况，并呼吁沿海居民远离海岸。",
)


def test_chinese_reports_of_one_quake_form_one_story_apart_from_another_quake() -> None:
    # Read as space-separated words, each Chinese clause was one "word" no other report shares.
    got = run(StoryEngine(), items("zh", [PERU_ZH[0], JAPAN_ZH, PERU_ZH[1]], T0))
    assert got["zh2"].story_id == "zh0"
    assert got["zh1"].story_id == "zh1"


def test_chinese_and_japanese_read_as_character_pairs_and_counted_in_words() -> None:
    assert terms("秘鲁地震 Lima police") == ["秘鲁", "鲁地", "地震", "lima", "police"]
    assert terms("東京で地震") == ["東京", "京で", "で地", "地震"]
    assert terms("이번 지진") == ["이번", "지진"]  # Hangul pairs too; its words are spaced
    assert word_count("秘鲁南部发生强烈地震 said police") == 7  # ten characters are five words
    assert word_count("서울에서 큰 지진이 발생했다") == 4
    # The lede is cut by the same count: two words are four Chinese characters.
    assert lead("秘鲁南部发生强烈地震", 2) == "秘鲁南部"
    assert lead("Peru 南部发生强烈地震", 2) == "Peru 南部"
    assert lead("one two three", 2) == "one two"
