"""Places, with the ambiguous names decided by context."""

from __future__ import annotations

import pytest

from newsdesk.pipeline.places import countries_of, find_places, name_spans, regions_of

CASES = [
    ("Protesters in Tbilisi said Georgia must resist pressure from Russia.", "GE", "country"),
    ("Georgia Gov. Brian Kemp signed the bill in Atlanta on Tuesday.", "US", "state"),
    ("King Abdullah of Jordan met refugees in Amman.", "JO", "country"),
    ("Troops in Niger said the coup leaders would hold talks.", "NE", "country"),
    ("Lagos is the biggest city in Nigeria.", "NG", "country"),
    ("Oil spills in the Niger Delta continue to poison farmland.", "NG", "country"),
    ("Officials in Washington said the White House would respond.", "US", "city"),
    ("Washington State wildfires spread near Spokane.", "US", "state"),
    ("Turkey and Syria signed a deal in Ankara, Erdogan said.", "TR", "country"),
]


@pytest.mark.parametrize(("text", "code", "kind"), CASES)
def test_ambiguous_names(text: str, code: str, kind: str) -> None:
    places = find_places(text)
    assert any(p.country_code == code and p.kind == kind for p in places), places


@pytest.mark.parametrize(
    ("text", "not_code"),
    [
        ("Michael Jordan scored 40 points. Jordan later said he was tired.", "JO"),
        ("Roast the Turkey for four hours and serve it with gravy at Thanksgiving.", "TR"),
        ("Niger and Nigeria: the first is a different country from the second.", ""),
        ("George Washington crossed the Delaware.", "DC"),
        ("Paris Hilton arrived at the party.", "FR"),
    ],
)
def test_names_that_are_not_those_places(text: str, not_code: str) -> None:
    places = find_places(text)
    if not_code == "DC":
        assert not any(p.name.startswith("Washington") for p in places)
    elif not_code:
        assert not_code not in countries_of(places)
    else:
        assert {"NE", "NG"} <= set(countries_of(places))


def test_regions_roll_up() -> None:
    places = find_places("Leaders from France, Israel, Japan, Kenya, Brazil and Australia met.")
    assert set(regions_of(places)) == {
        "Europe",
        "Middle East",
        "Asia",
        "Africa",
        "Americas",
        "Oceania",
    }


def test_name_spans_keep_initialisms_connectors_and_split_at_possessives() -> None:
    spans = list(
        name_spans("U.S. President Joe Biden met the Duke of Edinburgh in Washington, D.C.")
    )
    assert [(s.tokens, s.start) for s in spans] == [
        (("U.S.", "President", "Joe", "Biden"), 0),
        (("Duke", "of", "Edinburgh"), 33),
        (("Washington",), 54),
        (("D.C.",), 66),
    ]
    spans = list(name_spans("Jordan's King Abdullah met O'Neill’s team in New\u00a0York."))
    assert [(s.tokens, s.possessive, s.start) for s in spans] == [
        (("Jordan",), (True,), 0),
        (("King", "Abdullah"), (False, False), 9),
        (("O'Neill",), (True,), 27),
        (("New", "York"), (False, False), 45),
    ]


def test_every_mention_of_an_ambiguous_name_is_counted_once_decided() -> None:
    text = (
        "Washington is rainy. Seattle and Spokane are in Washington. "
        "Governor Inslee of Washington spoke."
    )
    places = find_places(text)
    assert (places[0].name, places[0].kind, places[0].mentions) == ("Washington", "state", 3)
    summit = find_places(
        "The summit in Washington, D.C. ended. Washington said the Pentagon agreed."
    )
    assert [(p.name, p.mentions) for p in summit] == [("Washington, D.C.", 2)]


def test_a_body_mention_is_decided_by_its_own_context_not_the_titles() -> None:
    from newsdesk.pipeline.understand import understand

    found = understand(
        "Lawmakers meet in Washington State",
        text="Washington, D.C. officials flew in on Monday to meet the delegation.",
    ).places
    assert {(p.name, p.kind) for p in found} == {
        ("Washington", "state"),
        ("Washington, D.C.", "city"),
    }


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Party leader Carl Kennedy spoke. Kennedy said taxes must fall.", "Kennedy"),
        ("Referee Hugh Dallas sent two off. Dallas said he had no choice.", "Dallas"),
        ("Actor Ray Douglas won. Douglas thanked his family.", "Douglas"),
        ("The singer Chad Kroeger said they would tour. Chad said it was exciting.", "Chad"),
    ],
)
def test_a_persons_name_seen_again_alone_is_not_a_place(text: str, name: str) -> None:
    assert name not in {p.name for p in find_places(text)}


def test_a_persons_name_is_still_a_place_with_a_geographic_cue() -> None:
    text = "Referee Hugh Dallas flew to Dallas, Texas. He lives in Dallas."
    dallas = [p for p in find_places(text) if p.name == "Dallas"]
    assert dallas and dallas[0].mentions == 2


def test_more_nationalities_name_their_countries() -> None:
    text = "Scottish, Welsh, Swiss, Argentine, Korean, Czech, Thai, Belgian and Kenyan envoys met."
    codes = set(countries_of(find_places(text)))
    assert {"GB", "CH", "AR", "KR", "CZ", "TH", "BE", "KE"} <= codes


def test_names_start_at_word_starts_and_not_after_a_possessive_joiner() -> None:
    spans = list(
        name_spans("Sales of the iPod and iTunes on eBay rose at 3GSM. It's the Brazil deal.")
    )
    assert [s.tokens for s in spans] == [("Sales",), ("It",), ("Brazil",)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Queen of Denmark met the Governor of Ohio and the Mayor of Toronto.",
            {"Denmark", "Ohio", "Toronto"},
        ),
        ("Storms churned across the Gulf of Mexico.", {"Mexico"}),
        ("Voters in the State of California rejected it.", {"California"}),
        ("Aid was promised by the Sultan of Brunei.", {"Brunei"}),
        ("Rates were held by the Bank of Japan.", {"Japan"}),
        ("Okafor of Kenya won the race.", {"Kenya"}),
        (
            "Envoys met the Emir of Qatar and the President of the Philippines.",
            {"Qatar", "Philippines"},
        ),
        ("In the US, prices rose.", {"United States"}),
        ("The MP said his trip was paid for by King Abdullah of Jordan and his aides.", {"Jordan"}),
    ],
)
def test_a_title_office_or_body_of_a_place_names_the_place(text: str, expected: set[str]) -> None:
    assert {p.name for p in find_places(text)} == expected


@pytest.mark.parametrize(
    "text",
    [
        "Fans cheered when Queens of the Stone Age came on stage.",
        "Shops opened at midnight for Order of the Phoenix copies.",
        "The opera Le Roi de Lahore returned to the stage.",
        "At the Santiago Bernabeu, the home side won again.",
    ],
)
def test_a_work_or_building_named_for_a_place_is_not_the_place(text: str) -> None:
    assert find_places(text) == ()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Valencia beat Sevilla, and the Spanish league leaders dropped points.", "ES"),
        ("Valencia won again on Sunday.", "ES"),
        ("Protests in Valencia spread to Maracaibo as Venezuela's crisis deepened.", "VE"),
        ("Floods reached Hyderabad as Pakistan asked for help.", "PK"),
        ("Hyderabad's software parks are India's busiest.", "IN"),
    ],
)
def test_a_city_name_two_countries_share_takes_the_country_the_text_names(
    text: str, code: str
) -> None:
    city = next(p for p in find_places(text) if p.name in ("Valencia", "Hyderabad"))
    assert city.country_code == code
