"""Word tables for place finding: aliases, demonyms, regions, and the cues that settle
ambiguous names (Georgia, Turkey, Jordan, Washington)."""

from __future__ import annotations

import re


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


REGIONS = {
    "EU": "Europe",
    "AS": "Asia",
    "AF": "Africa",
    "NA": "Americas",
    "SA": "Americas",
    "OC": "Oceania",
    "AN": "Antarctica",
}
MIDDLE_EAST = _words(
    """
    AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE
    """
)
ALIASES = {
    "US": "US",
    "U.S.": "US",
    "USA": "US",
    "U.S.A.": "US",
    "America": "US",
    "United States of America": "US",
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Holland": "NL",
    "Netherlands": "NL",
    "Burma": "MM",
    "Czech Republic": "CZ",
    "Ivory Coast": "CI",
    "DRC": "CD",
    "DR Congo": "CD",
    "Democratic Republic of Congo": "CD",
    "Democratic Republic of the Congo": "CD",
    "Türkiye": "TR",
    "Niger Delta": "NG",
    "Vatican": "VA",
    "Palestine": "PS",
    "Gaza": "PS",
    "West Bank": "PS",
    "UAE": "AE",
    "United Arab Emirates": "AE",
    "Hong Kong": "HK",
    "Macedonia": "MK",
    "South Korea": "KR",
    "North Korea": "KP",
    "Russia": "RU",
    "Syria": "SY",
    "Iran": "IR",
    "Laos": "LA",
    "Vietnam": "VN",
    "Moldova": "MD",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Tanzania": "TZ",
    "Taiwan": "TW",
    "Brunei": "BN",
    "Cape Verde": "CV",
    "Eswatini": "SZ",
}
DEMONYMS = {
    "American": "US",
    "British": "GB",
    "Russian": "RU",
    "Ukrainian": "UA",
    "Chinese": "CN",
    "French": "FR",
    "German": "DE",
    "Israeli": "IL",
    "Palestinian": "PS",
    "Iranian": "IR",
    "Georgian": "GE",
    "Nigerian": "NG",
    "Nigerien": "NE",
    "Jordanian": "JO",
    "Turkish": "TR",
    "Indian": "IN",
    "Japanese": "JP",
    "Mexican": "MX",
    "Canadian": "CA",
    "Australian": "AU",
    "Italian": "IT",
    "Spanish": "ES",
    "Syrian": "SY",
    "Iraqi": "IQ",
    "Afghan": "AF",
    "Pakistani": "PK",
    "Saudi": "SA",
    "Egyptian": "EG",
    "Brazilian": "BR",
    "Polish": "PL",
    "Irish": "IE",
    "Greek": "GR",
    "Swedish": "SE",
    "Dutch": "NL",
    "Venezuelan": "VE",
    "North Korean": "KP",
    "South Korean": "KR",
    "Lebanese": "LB",
    "Yemeni": "YE",
    "Scottish": "GB",
    "Welsh": "GB",
    "Swiss": "CH",
    "Argentine": "AR",
    "Argentinian": "AR",
    "Korean": "KR",
    "Czech": "CZ",
    "Slovak": "SK",
    "Thai": "TH",
    "Belgian": "BE",
    "Kenyan": "KE",
    "Cuban": "CU",
    "Austrian": "AT",
    "Hungarian": "HU",
    "Romanian": "RO",
    "Bulgarian": "BG",
    "Serbian": "RS",
    "Croatian": "HR",
    "Bosnian": "BA",
    "Slovenian": "SI",
    "Albanian": "AL",
    "Belarusian": "BY",
    "Moldovan": "MD",
    "Finnish": "FI",
    "Norwegian": "NO",
    "Danish": "DK",
    "Icelandic": "IS",
    "Portuguese": "PT",
    "Estonian": "EE",
    "Latvian": "LV",
    "Lithuanian": "LT",
    "Cypriot": "CY",
    "Maltese": "MT",
    "Moroccan": "MA",
    "Algerian": "DZ",
    "Tunisian": "TN",
    "Libyan": "LY",
    "Sudanese": "SD",
    "Ethiopian": "ET",
    "Eritrean": "ER",
    "Somali": "SO",
    "Ugandan": "UG",
    "Tanzanian": "TZ",
    "Rwandan": "RW",
    "Ghanaian": "GH",
    "Senegalese": "SN",
    "Malian": "ML",
    "Zimbabwean": "ZW",
    "Zambian": "ZM",
    "Malawian": "MW",
    "Mozambican": "MZ",
    "Angolan": "AO",
    "Namibian": "NA",
    "South African": "ZA",
    "Cameroonian": "CM",
    "Ivorian": "CI",
    "Liberian": "LR",
    "Nepalese": "NP",
    "Bangladeshi": "BD",
    "Sri Lankan": "LK",
    "Burmese": "MM",
    "Vietnamese": "VN",
    "Cambodian": "KH",
    "Malaysian": "MY",
    "Singaporean": "SG",
    "Indonesian": "ID",
    "Filipino": "PH",
    "Philippine": "PH",
    "Taiwanese": "TW",
    "Mongolian": "MN",
    "Kazakh": "KZ",
    "Uzbek": "UZ",
    "Azerbaijani": "AZ",
    "Armenian": "AM",
    "Kuwaiti": "KW",
    "Qatari": "QA",
    "Emirati": "AE",
    "Bahraini": "BH",
    "Omani": "OM",
    "Chilean": "CL",
    "Peruvian": "PE",
    "Colombian": "CO",
    "Ecuadorian": "EC",
    "Bolivian": "BO",
    "Uruguayan": "UY",
    "Paraguayan": "PY",
    "Haitian": "HT",
    "Jamaican": "JM",
    "Guatemalan": "GT",
    "Honduran": "HN",
    "Nicaraguan": "NI",
    "Panamanian": "PA",
    "Costa Rican": "CR",
    "Puerto Rican": "PR",
    "Fijian": "FJ",
    "Samoan": "WS",
    "Tongan": "TO",
}
# Capitals and big cities whose names are mostly something else in English prose.
EXCLUDED_CITIES = frozenset({"Male", "Victoria", "Kingston", "Hamilton", "Of", "Most", "Police"})
CONNECTORS = ("of", "the", "de", "del", "da", "al", "el", "bin", "van", "von", "der", "du")
FUNCTION_WORDS = _words(
    """
    The A An In On At For From To By With After Before But And Or If When While As Of
    Then Now Also Meanwhile Across Over Under Inside Outside Unlike Like Both This That
    These Those His Her Their Our Its It He She They We I You Why How What Who Where
    Northern Southern Eastern Western North South East West Central Neighbouring
    Neighboring Into Near Around Since Until Despite Between Against Through Throughout
    Within Without About
    """
)
# Words that may follow a place name without making it part of another name.
INSTITUTION_WORDS = _words(
    """
    Senate House Government Army Navy Police State Governor Gov Legislature Ministry
    Parliament Congress Court Supreme President Prime Republicans Democrats Department
    National Federal Embassy Border City County Province Region Capital Foreign
    Secretary Attorney Minister King Queen Authorities Officials Military Forces Coast
    Guard MPs
    """
)
# Which city English news means by a name two countries' big cities share, when the article
# names neither country (GeoNames would pick the more populous: Venezuela's Valencia).
USUAL_SENSES = {"Valencia": "ES"}
# Words next to a place name that make a club, firm or event of it, not a person's name.
NOT_NAME_WORDS = INSTITUTION_WORDS | _words(
    """
    Real Inter Atletico Bayern Sporting Dynamo Olympic Olympics Air Airways Airlines Greater
    United City Rovers Athletic Assembly International Philharmonic Re Yard Telecom Daily
    Mail Times News Post Herald Institute University College War Open Games Club Park
    Protocol Bridge Underground Championship Championships Festival Center Centre Jazz
    Instruments Studios Agenda Index Southern Eastern Auto Automotive Heathrow Masters
    However Meanwhile Monday Tuesday Wednesday Thursday Friday Saturday Sunday Bay Oblast
    Parks Brent Crude Harbour Valley River
    """
)
_US = (
    r"Atlanta|Savannah|Augusta|Kemp|Raffensperger|Fulton County|Peach State|Republicans?|"
    r"Democrats?|GOP|governor|Senate race|county|Trump|Biden|Alabama|Florida|Tennessee|"
    r"Carolina|Texas|Ohio|Arizona|Michigan|Pennsylvania|Nevada|Wisconsin"
)
# Each ambiguous name: (cues for its first sense, cues for its second sense).
CUES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "Georgia": (
        re.compile(
            r"\b(?:Tbilisi|Georgians?|Caucasus|Abkhazia|Ossetia|Saakashvili|Kremlin|"
            r"Moscow|Russia|Russian|Batumi|Armenia|Azerbaijan|Black Sea)\b"
        ),
        re.compile(rf"\b(?:{_US})\b"),
    ),
    "Turkey": (
        re.compile(
            r"\b(?:Ankara|Istanbul|Erdogan|Erdoğan|Turkish|Turks|lira|Kurds?|Kurdish|"
            r"Syria|NATO|Bosphorus|Anatolia)\b"
        ),
        re.compile(
            r"(?i)\b(?:thanksgiving|roast(?:ed|ing)?|stuffing|gravy|recipes?|oven|"
            r"birds?|carv(?:e|ing)|feathers|pardon(?:ed|s)?|drumsticks?|turkeys|brine)\b"
        ),
    ),
    "Jordan": (
        re.compile(
            r"\b(?:Amman|Jordanians?|Hashemite|King Abdullah|Queen Rania|Aqaba|Petra|"
            r"Israel|Syria|Iraq|West Bank|Palestinians?|refugees)\b"
        ),
        re.compile(
            r"\b(?:NBA|Bulls|basketball|Nike|sneakers?|scored|points|Congressman|"
            r"Rep\.|Ohio|Republican|he said|she said|his|her)\b"
        ),
    ),
    "Washington": (
        re.compile(r"\b(?:White House|Capitol|Pentagon|Congress|D\.C\.)\b"),
        re.compile(r"\b(?:Seattle|Spokane|Tacoma|Olympia|Inslee|Puget Sound|Pacific Northwest)\b"),
    ),
}
