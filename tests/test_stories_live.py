"""End to end: outlets on a real local HTTP server, refreshed into a store, placed into stories.

Two outlets report one earthquake, a content farm carries a spun copy of the first report, and
a second earthquake elsewhere must stay a story of its own. A restarted desk keeps story ids.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from html import escape

from fixture_server import FixtureServer
from newsdesk.models import NewArticle
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.store.base_stories import StoryInput
from newsdesk.stories import StoryDesk
from sitegen import T0, SiteArticle, feed_xml
from store_fixtures import article, outcome

WIRE_QUAKE = (
    "Chile earthquake of magnitude 7.1 shakes Valparaiso",
    [
        "A powerful earthquake of magnitude 7.1 struck off the coast of Valparaiso in central "
        "Chile on Tuesday morning, shaking buildings in Santiago and forcing thousands of "
        "residents to leave their homes for higher ground.",
        "The National Emergency Office said there were no immediate reports of deaths, but "
        "several old adobe houses collapsed in the port city and power was cut to large parts "
        "of the Valparaiso region for most of the day.",
        "President Gabriel Boric said on television that rescue teams had been sent to the "
        "coast and asked people to follow the instructions of the navy, which briefly issued "
        "a tsunami warning for the shoreline between Valparaiso and San Antonio.",
        "Seismologists at the University of Chile said the quake was centred about 40 "
        "kilometres offshore at a depth of 25 kilometres, and that strong aftershocks were "
        "likely to follow in the coming days along the same stretch of the fault.",
        "Schools across the region will stay closed on Wednesday while engineers inspect "
        "bridges, hospitals and the port, where cranes were halted as a precaution.",
    ],
)

PLANET_QUAKE = (
    "Valparaiso residents flee to the hills after strong Chile quake",
    [
        "Sirens sounded across Valparaiso as a strong earthquake rattled central Chile, and "
        "families carried children and blankets up the steep streets towards the hills "
        "while the navy warned of a possible tsunami along the coast.",
        "Chile's emergency office reported damage to older homes and to roads near San Antonio, "
        "and President Gabriel Boric travelled to Valparaiso in the afternoon to meet "
        "firefighters and rescue crews clearing fallen walls.",
        "The quake, measured at magnitude 7.1, was felt as far away as Santiago, where office "
        "towers swayed and the metro was stopped for an hour while its tunnels were checked.",
        "Scientists expect aftershocks, and the authorities asked people in Valparaiso to keep "
        "away from damaged buildings and the seafront until the warning is lifted.",
    ],
)

SPUN_QUAKE = (
    "Chile earthquake of magnitude 7.1 rocks Valparaiso",
    [
        "A strong earthquake of magnitude 7.1 struck off the coast of Valparaiso in central "
        "Chile on Tuesday morning, rocking buildings in Santiago and forcing thousands of "
        "residents to abandon their homes for higher ground.",
        "See also: the ten worst earthquakes in history",
        "The National Emergency Office said there were no immediate reports of deaths, but "
        "several old adobe houses collapsed in the port town and electricity was cut to large "
        "parts of the Valparaiso region for most of the day.",
        "President Gabriel Boric said on television that rescue teams had been sent to the "
        "coast and asked people to follow the instructions of the navy, which briefly issued "
        "a tsunami alert for the shoreline between Valparaiso and San Antonio.",
        "Schools across the region will stay shut on Wednesday while engineers inspect "
        "bridges, hospitals and the port, where cranes were halted as a precaution.",
    ],
)

PLANET_JAPAN = (
    "Earthquake of magnitude 6.8 hits Hokkaido in northern Japan",
    [
        "An earthquake of magnitude 6.8 hit the island of Hokkaido in northern Japan late on "
        "Tuesday, cutting power to thousands of homes in Sapporo and halting bullet trains "
        "while tracks were inspected.",
        "The Japan Meteorological Agency said the quake was centred inland near Tomakomai at "
        "a shallow depth, and warned residents to expect aftershocks during the coming week.",
        "Prime Minister Shigeru Ishiba told reporters in Tokyo that the government had set "
        "up a crisis office and that the Self-Defense Forces were ready to help with rescue "
        "work in the worst hit towns around Sapporo and Tomakomai.",
        "Local television showed collapsed walls and landslides on hillsides near Atsuma, and "
        "the operator of the Tomari nuclear plant reported no abnormalities.",
    ],
)

WIRE_FOOTBALL = (
    "Striker scores twice as Rovers win the cup final",
    [
        "Rovers won the cup final at Wembley on Saturday after their striker Marcus Bell scored "
        "twice in the second half against a tired City side.",
        "City had led at the break through a penalty from their captain, but Bell equalised "
        "with a header and then ran through to score the winner ten minutes from time.",
        "The Rovers manager said the victory was the proudest day of his career and dedicated "
        "the trophy to the supporters who had travelled to London in their thousands.",
    ],
)

PLANET_FOLLOW_UP = (
    "Valparaiso counts the damage a day after Chile earthquake",
    [
        "A day after the magnitude 7.1 earthquake, engineers in Valparaiso listed dozens of "
        "damaged houses and two closed bridges, and Chile's emergency office said aftershocks "
        "had kept many residents sleeping outdoors.",
        "President Gabriel Boric promised money to rebuild homes in the Valparaiso region and "
        "said the navy's tsunami warning had worked as planned along the coast.",
        "Schools in the region stay closed while the port of Valparaiso and San Antonio "
        "reopened to ships in the afternoon.",
    ],
)


def _page(title: str, paragraphs: list[str], url: str, published: datetime) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{escape(title)}</title><link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published.isoformat()}">
</head><body><article><h1>{escape(title)}</h1>{body}</article></body></html>"""


def _publish(
    server: FixtureServer, outlet: str, items: list[tuple[tuple[str, list[str]], float]]
) -> str:
    """Serve an outlet's feed and pages: (headline and paragraphs, hours after T0) each."""
    base = server.url("").rstrip("/")
    articles = []
    for number, ((title, paragraphs), hours) in enumerate(items):
        published = T0 + timedelta(hours=hours)
        article = SiteArticle(len(outlet), number, f"/{outlet}/{number}.html", title, published)
        server.route(
            article.path,
            _page(title, paragraphs, base + article.path, published),
            content_type="text/html; charset=utf-8",
        )
        articles.append(article)
    feed = feed_xml(outlet.title(), base, articles).replace("urn:test:", f"urn:{outlet}:")
    return server.route(f"/{outlet}.xml", feed, content_type="application/rss+xml")


def _ids_by_title(store: Store) -> dict[str, int]:
    return {a.title: a.id for a in store.latest_articles(100)}


def test_outlets_fold_into_stories_that_survive_a_restart(
    http_server: FixtureServer, settings: Settings
) -> None:
    http_server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    store = open_store(settings.database_url)
    store.add_source(_publish(http_server, "wire", [(WIRE_QUAKE, 0), (WIRE_FOOTBALL, 0.5)]))
    store.add_source(_publish(http_server, "planet", [(PLANET_QUAKE, 1), (PLANET_JAPAN, 3)]))
    store.add_source(_publish(http_server, "farm", [(SPUN_QUAKE, 2)]))

    # The refresh places every new article in a story as it is saved.
    results = asyncio.run(refresh_all(store, settings))
    assert [r.error for r in results] == ["", "", ""]
    ids = _ids_by_title(store)
    assert StoryDesk.open(store).assign(store, sorted(ids.values())).articles == 0

    wire, planet, spun = ids[WIRE_QUAKE[0]], ids[PLANET_QUAKE[0]], ids[SPUN_QUAKE[0]]
    japan, football = ids[PLANET_JAPAN[0]], ids[WIRE_FOOTBALL[0]]
    placed = {r.id: r for r in store.story_inputs_by_ids(list(ids.values()))}
    # Sources finish in any order, so any of the three reports may have founded the story.
    story = placed[wire].story_id
    assert story in {wire, planet, spun}
    assert placed[planet].story_id == placed[spun].story_id == story
    assert placed[spun].duplicate_of == wire
    assert placed[wire].duplicate_of is None and placed[planet].duplicate_of is None
    assert placed[japan].story_id not in {story, placed[football].story_id}  # another quake
    assert placed[football].story_id != story

    quake = store.site_story(story)
    assert quake is not None
    assert quake.lead_article_id == wire and quake.title == WIRE_QUAKE[0]  # never the copy
    assert quake.outlet_count == 3 and quake.article_count == 3
    assert store.site_stories()[0].id == story  # broad coverage ranks first
    assert {a.id for a in store.story_coverage(story)} == {wire, planet, spun}
    assert story not in {s.id for s in store.related_stories(story)}
    story_ids = {placed[i].story_id for i in (wire, japan, football)}
    store.close()

    # A new process: the desk is rebuilt from the store and carries on with the same ids.
    store = open_store(settings.database_url)
    restarted = StoryDesk.open(store)
    assert {v.id for v in restarted.engine.stories()} == {str(i) for i in story_ids}
    _publish(
        http_server,
        "planet",
        [(PLANET_QUAKE, 1), (PLANET_JAPAN, 3), (PLANET_FOLLOW_UP, 24)],
    )
    asyncio.run(refresh_all(store, settings))
    follow_up = _ids_by_title(store)[PLANET_FOLLOW_UP[0]]
    row = store.story_inputs_by_ids([follow_up])[0]
    assert row.story_id == story and row.duplicate_of is None
    again = store.site_story(story)
    assert again is not None and again.article_count == 4 and again.lead_article_id == wire
    store.close()


def test_a_second_process_learns_what_the_first_placed(
    http_server: FixtureServer, settings: Settings
) -> None:
    http_server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    store = open_store(settings.database_url)
    wire_feed = store.add_source(_publish(http_server, "wire", [(WIRE_QUAKE, 0)]))
    first, second = StoryDesk.open(store), StoryDesk.open(store)
    asyncio.run(refresh_all(store, settings, source_ids=[wire_feed.id]))
    wire = _ids_by_title(store)[WIRE_QUAKE[0]]
    first.assign(store, [wire])

    planet_feed = store.add_source(_publish(http_server, "planet", [(PLANET_QUAKE, 1)]))
    asyncio.run(refresh_all(store, settings, source_ids=[planet_feed.id]))
    planet = _ids_by_title(store)[PLANET_QUAKE[0]]
    second.assign(store, [planet])  # restores the wire report first, then joins its story
    assert store.story_inputs_by_ids([planet])[0].story_id == wire
    store.close()


def test_opening_a_desk_places_articles_saved_before_it(
    http_server: FixtureServer, settings: Settings
) -> None:
    http_server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    store = open_store(settings.database_url)
    store.add_source(_publish(http_server, "wire", [(WIRE_QUAKE, 0), (WIRE_FOOTBALL, 0.5)]))
    store.add_source(_publish(http_server, "farm", [(SPUN_QUAKE, 2)]))
    asyncio.run(refresh_all(store, settings))
    StoryDesk.open(store)
    ids = _ids_by_title(store)
    spun = store.story_inputs_by_ids([ids[SPUN_QUAKE[0]]])[0]
    wire = store.story_inputs_by_ids([ids[WIRE_QUAKE[0]]])[0]
    # Sources finish in any order, so the copy may found the story; the original is credited.
    assert spun.story_id == wire.story_id and spun.duplicate_of == wire.id
    story = store.site_story(spun.story_id)
    assert story is not None and story.lead_article_id == wire.id
    assert len(store.site_stories()) == 2
    store.close()


def _saved(store: Store, name: str, *reports: tuple[str, list[str]]) -> list[int]:
    """Save an outlet's reports as one refresh does (fetched at T0); the new article ids."""
    source = store.add_source(f"https://{name}.example/feed.xml")
    articles: list[NewArticle] = [
        article(source.id, f"{name}-{n}", title=title, text="\n".join(paragraphs))
        for n, (title, paragraphs) in enumerate(reports)
    ]
    saved = store.save_outcome(outcome(source.id, *articles, fetched_at=T0))
    return list(saved.new_article_ids)


class _Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_a_desk_adopts_what_nobody_placed_within_ten_minutes(store: Store) -> None:
    clock = _Clock()
    desk = StoryDesk.open(store, clock=clock)
    orphan = _saved(store, "dead", WIRE_QUAKE)  # its worker died before placing it
    clock.now = T0 + timedelta(minutes=5)
    desk.assign(store, _saved(store, "wire", WIRE_FOOTBALL))
    assert store.story_inputs_by_ids(orphan)[0].story_id is None  # its refresh may still place it
    clock.now = T0 + timedelta(minutes=11)
    desk.assign(store, _saved(store, "planet", PLANET_JAPAN))
    assert store.story_inputs_by_ids(orphan)[0].story_id == orphan[0]


def test_a_desk_reads_each_article_of_others_once_until_placed(store: Store) -> None:
    clock = _Clock()
    first, second = StoryDesk.open(store, clock=clock), StoryDesk.open(store, clock=clock)
    read: list[int] = []
    after, by_ids = store.story_inputs_after, store.story_inputs_by_ids

    def reading_after(article_id: int, limit: int = 1000, **kw: object) -> list[StoryInput]:
        rows = after(article_id, limit, **kw)  # type: ignore[arg-type]
        read.extend(r.id for r in rows)
        return rows

    def reading_placed(ids: list[int], *, placed_only: bool = False) -> list[StoryInput]:
        rows = by_ids(ids, placed_only=placed_only)
        read.extend(r.id for r in rows if placed_only)
        return rows

    store.story_inputs_after = reading_after  # type: ignore[method-assign]
    store.story_inputs_by_ids = reading_placed  # type: ignore[method-assign]
    wire = _saved(store, "wire", WIRE_QUAKE)  # saved by the second process, not yet placed
    football = _saved(store, "sport", WIRE_FOOTBALL)
    first.assign(store, football)
    assert read == wire  # seen waiting; its own article is never read back
    second.assign(store, wire)
    read.clear()
    planet = _saved(store, "planet", PLANET_QUAKE)
    first.assign(store, planet)
    assert read == wire  # read again once placed, to learn its story
    assert store.story_inputs_by_ids(planet)[0].story_id == wire[0]
    read.clear()
    first.assign(store, _saved(store, "japan", PLANET_JAPAN))
    assert read == []


def test_cluster_command_runs_the_live_engine_over_json_lines(settings: Settings) -> None:
    import json

    from click.testing import CliRunner

    from newsdesk.cli import main

    lines = [
        {"id": n, "title": title, "text": "\n".join(paragraphs), "source": source,
         "published": (T0 + timedelta(hours=n)).isoformat()}
        for n, ((title, paragraphs), source) in enumerate(
            [(WIRE_QUAKE, "wire"), (PLANET_QUAKE, "planet"), (SPUN_QUAKE, "farm"),
             (PLANET_JAPAN, "planet")]
        )
    ]  # fmt: skip
    given = "".join(json.dumps(line) + "\n" for line in lines)
    result = CliRunner().invoke(
        main, ["--database-url", settings.database_url, "cluster", "-"], input=given
    )
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["story"] for o in out] == [0, 0, 0, 3]
    assert [o["duplicate_of"] for o in out] == [None, None, 0, None]
    assert all(o["story"] not in o["related"] for o in out)


def test_a_split_story_moves_its_articles_in_the_store(store: Store) -> None:
    from newsdesk.pipeline.cluster import StoryEngine
    from test_cluster_split import EXACT, MIXING, report

    desk = StoryDesk(StoryEngine(MIXING, EXACT), clock=_Clock())
    ids: dict[str, int] = {}
    for n in range(4):
        for event in ("chile", "japan"):
            item = report(event, n)
            (ids[item.id],) = _saved(store, item.id, (item.title, [item.text]))
            desk.assign(store, [ids[item.id]])
        if n == 1:
            japan = report("japan", 1)
            (ids["copy"],) = _saved(store, "copies", (japan.title, [japan.text]))
            desk.assign(store, [ids["copy"]])
    rows = {r.id: r for r in store.story_inputs_by_ids(list(ids.values()))}
    chile, japan = ids["chile-0"], ids["japan-0"]
    assert {rows[ids[f"chile-{n}"]].story_id for n in range(4)} == {chile}
    assert {rows[ids[f"japan-{n}"]].story_id for n in range(4)} == {japan}
    assert rows[ids["copy"]].story_id == japan
    assert rows[ids["copy"]].duplicate_of == ids["japan-1"]
    story = store.site_story(japan)
    assert story is not None and story.lead_article_id != ids["copy"]
    # Counts are recounted, not only widened: the split story held all nine articles before.
    assert (story.article_count, story.outlet_count) == (5, 5)
    kept = store.site_story(chile)
    assert kept is not None and (kept.article_count, kept.outlet_count) == (4, 4)


def _saved_dated(
    store: Store, name: str, dated: tuple[tuple[tuple[str, list[str]], float], ...]
) -> list[int]:
    """Save one outlet's reports, each published the given number of days before T0."""
    source = store.add_source(f"https://{name}.example/feed.xml")
    articles: list[NewArticle] = [
        article(
            source.id,
            f"{name}-{n}",
            title=title,
            text="\n".join(paragraphs),
            published=T0 - timedelta(days=days, hours=n),
        )
        for n, ((title, paragraphs), days) in enumerate(dated)
    ]
    return list(store.save_outcome(outcome(source.id, *articles, fetched_at=T0)).new_article_ids)


def test_articles_older_than_the_window_still_get_a_story(store: Store) -> None:
    # A new source's feed reaches back months: placed oldest first, the old report founds a
    # story that the newer one moves out of the window before anything is written.
    desk = StoryDesk.open(store, clock=_Clock())
    ids = _saved_dated(store, "archive", ((WIRE_FOOTBALL, 0), (WIRE_QUAKE, 60)))
    assert desk.assign(store, ids).articles == 2
    rows = store.story_inputs_by_ids(ids)
    assert len(rows) == 2 and all(r.story_id is not None for r in rows)
    for r in rows:
        story = store.site_story(r.story_id or 0)
        assert story is not None and story.article_count == 1


def test_an_article_leaving_the_window_before_it_is_written_keeps_its_story(
    store: Store,
) -> None:
    # Placed oldest first, the first report joins the window's oldest end: the football report,
    # days newer, slides it out of the (still live) story before the round is written.
    desk = StoryDesk.open(store, clock=_Clock())
    ids = _saved_dated(store, "late", ((WIRE_QUAKE, 15), (PLANET_QUAKE, 13), (WIRE_FOOTBALL, 0)))
    assert desk.assign(store, ids).articles == 3
    rows = {r.title: r for r in store.story_inputs_by_ids(ids)}
    wire, planet = rows[WIRE_QUAKE[0]], rows[PLANET_QUAKE[0]]
    assert wire.story_id is not None and wire.story_id == planet.story_id
    story = store.site_story(wire.story_id)
    assert story is not None and story.article_count == 2


def test_a_desk_places_old_articles_stored_while_understanding_was_off(store: Store) -> None:
    # Stored with no desk running (a plain feed reader), months before the newest article.
    dated = ((WIRE_QUAKE, 400), (PLANET_QUAKE, 400), (WIRE_FOOTBALL, 90), (PLANET_JAPAN, 0))
    ids = _saved_dated(store, "reader", dated)
    StoryDesk.open(store, clock=_Clock())
    rows = {r.title: r for r in store.story_inputs_by_ids(ids)}
    assert all(r.story_id is not None for r in rows.values())
    wire, planet = rows[WIRE_QUAKE[0]], rows[PLANET_QUAKE[0]]
    assert wire.story_id == planet.story_id != rows[WIRE_FOOTBALL[0]].story_id
    story = store.site_story(wire.story_id or 0)
    assert story is not None and story.article_count == 2
    # Opening again leaves every article where it is.
    StoryDesk.open(store, clock=_Clock())
    again = {r.title: r.story_id for r in store.story_inputs_by_ids(ids)}
    assert again == {title: r.story_id for title, r in rows.items()}


def test_a_desk_follows_the_split_another_desk_made(store: Store) -> None:
    from newsdesk.pipeline.cluster import StoryEngine
    from test_cluster_split import EXACT, MIXING, arrivals, report

    first = StoryDesk(StoryEngine(MIXING, EXACT), clock=_Clock())
    second = StoryDesk(StoryEngine(MIXING, EXACT), clock=_Clock())
    ids: dict[str, int] = {}
    *before, last = arrivals()  # the last Japan report splits the story in two
    for item in before:
        (ids[item.id],) = _saved(store, item.id, (item.title, [item.text]))
        first.assign(store, [ids[item.id]])
    second.assign(store, [])  # learns the one mixed story the first desk placed
    assert len(second.engine.stories()) == 1
    (ids[last.id],) = _saved(store, last.id, (last.title, [last.text]))
    assert first.assign(store, [ids[last.id]]).moved == 4

    second.assign(store, _saved(store, "sport", WIRE_FOOTBALL))
    held = {a: second.engine.story_of[str(i)] for a, i in ids.items()}
    stored = {a: str(r.story_id) for a in ids for r in store.story_inputs_by_ids([ids[a]])}
    assert held == stored
    assert set(held.values()) == {str(ids["chile-0"]), str(ids["japan-0"])}
    japan = second.engine.story(str(ids["japan-0"]))
    assert japan is not None and len(japan.members) == 5
    # What the second desk places next lands in the story the first desk split off.
    later = report("japan", 4)
    placed = _saved(store, later.id, (later.title, [later.text]))
    second.assign(store, placed)
    assert store.story_inputs_by_ids(placed)[0].story_id == ids["japan-0"]
    story = store.site_story(ids["japan-0"])
    assert story is not None and story.article_count == 6
