"""Country names as GENESIS writes them (French capitals, accents optional) to ISO 3166-1
alpha-3, from pycountry's ISO data and its French translations."""

from __future__ import annotations

import gettext
import re
from functools import cache

import pycountry
from anyascii import anyascii

from schemas import codes

UNKNOWN = "INDETERMINEE"

# pycountry's French translations give the ISO form ("Syrienne, République arabe"); the
# short form in everyday French usage is added for the few countries where the ISO form
# is not what a French administration writes.
EVERYDAY_FRENCH_NAMES = {
    "SYRIE": "SYR",
    "CONGO": "COG",
    "RD CONGO": "COD",
    "REPUBLIQUE DEMOCRATIQUE DU CONGO": "COD",
    "COREE DU SUD": "KOR",
    "COREE DU NORD": "PRK",
    "TCHEQUIE": "CZE",
    "MACEDOINE DU NORD": "MKD",
    "VIET NAM": "VNM",
    "VIETNAM": "VNM",
    "PALESTINE": "PSE",
    "BOLIVIE": "BOL",
    "VENEZUELA": "VEN",
    "LAOS": "LAO",
    "GUINEE BISSAU": "GNB",
    "ETATS UNIS": "USA",
}
# Other names a French administration writes, read but never written (french_name_of
# keeps the names above): the former or the English name, a shortened form.
OTHER_FRENCH_NAMES = {
    "MYANMAR": "MMR",
    "BIELORUSSIE": "BLR",
    "SURINAME": "SUR",
    "CENTRAFRIQUE": "CAF",
    "SWAZILAND": "SWZ",
    "MACEDOINE": "MKD",
    "CONGO BRAZZAVILLE": "COG",
    # A nationality left unread is read as unknown, never as an EU one (§5 EU_CITIZEN):
    # the names of EU, EEA and Swiss States in everyday use first.
    "HOLLANDE": "NLD",
    "EIRE": "IRL",
    "RFA": "DEU",
    "RDA": "DEU",
    "SAINT SIEGE": "VAT",
    "VATICAN": "VAT",
    "RDC": "COD",
    "R D C": "COD",
    "R D CONGO": "COD",
    "CONGO KINSHASA": "COD",
    "CONGO RDC": "COD",
    "CONGO R D C": "COD",
    "GUINEE CONAKRY": "GIN",
    "GUINEE BISSAO": "GNB",
    "RCA": "CAF",
    "SUD SOUDAN": "SSD",
    "ERITREE": "ERI",
    "BOSNIE": "BIH",
    "ILE MAURICE": "MUS",
    "KIRGHIZIE": "KGZ",
    "KIRGHIZSTAN": "KGZ",
    "TURKIYE": "TUR",
    "TERRITOIRES PALESTINIENS": "PSE",
    "USA": "USA",
    "U S A": "USA",
    "GRANDE BRETAGNE": "GBR",
    "ANGLETERRE": "GBR",
    "ECOSSE": "GBR",
    "PAYS DE GALLES": "GBR",
    "IRLANDE DU NORD": "GBR",
    # official names whose form of State is an adjective (the others lose their form of
    # State: STATE_FORM)
    "REPUBLIQUE HELLENIQUE": "GRC",
    "REPUBLIQUE TUNISIENNE": "TUN",
}
# An official name is read as the country's name once its form of State is set aside:
# CONFEDERATION SUISSE, GRAND DUCHE DE LUXEMBOURG, PRINCIPAUTE DE LIECHTENSTEIN, ETAT DE
# LIBYE (a name whose rest is two countries', COREE, stays unread).
STATE_FORM = re.compile(
    r"^(?:REPUBLIQUE|ROYAUME|GRAND DUCHE|PRINCIPAUTE|CONFEDERATION|ETAT|EMIRAT|SULTANAT)"
    r"(?: (?:FEDERALE|ISLAMIQUE|ARABE|DEMOCRATIQUE|POPULAIRE))*(?: (?:DE LA|DE L|DES|DU|DE|D))? ")


# Each run of other characters than capitals and digits is one space: no two spaces follow.
NOT_CAPITALS_OR_DIGITS = re.compile(r"[^A-Z0-9]+")


def normalise_country_name(name: str) -> str:
    """A name in ASCII capitals and digits, each run of other characters a space, trimmed
    (Côte d'Ivoire -> COTE D IVOIRE). Called for each of GeoNames' 700,000 names of towns
    once for a version of their reading (transforms/core/town_names.py)."""
    return NOT_CAPITALS_OR_DIGITS.sub(" ", anyascii(name).upper()).strip()


@cache
def french_country_names() -> dict[str, str]:
    """Normalised French name → alpha-3. Names shared by two countries are left out."""
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    candidates: dict[str, set[str]] = {}
    for country in pycountry.countries:
        names = {french.gettext(country.name)}
        for attribute in ("official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                names.add(french.gettext(value))
        for name in list(names):
            # "Russie, Fédération de" is written "RUSSIE" in everyday use.
            if "," in name:
                names.add(name.split(",")[0])
        for name in names:
            candidates.setdefault(normalise_country_name(name), set()).add(country.alpha_3)
    mapping = {name: found.pop() for name, found in candidates.items() if len(found) == 1}
    mapping.update(EVERYDAY_FRENCH_NAMES)
    mapping.update(OTHER_FRENCH_NAMES)
    return mapping


@cache
def french_name_of(alpha_3: str) -> str:
    """The French short name in capitals, as GENESIS writes it (used by the generator)."""
    for name, code in EVERYDAY_FRENCH_NAMES.items():
        if code == alpha_3:
            return name
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    country = pycountry.countries.get(alpha_3=alpha_3)
    return french.gettext(country.name).split(",")[0].upper()


def country_code(name: str | None) -> str | None:
    """ISO alpha-3 for a GENESIS country name; None when unknown or indeterminate."""
    if name is None:
        return None
    return _code_of(normalise_country_name(name), name)


def normalised_country_code(key: str) -> str | None:
    """country_code of a name already normalised (normalise_country_name): one part, the
    name itself. Asked of each of GeoNames' names of towns (birth_places)."""
    return _code_of(key)


def _code_of(key: str, written: str | None = None) -> str | None:
    """The country a name names, `key` its normalised form, `written` the name as written
    when it may hold several parts (None: `key` is the only part)."""
    names = french_country_names()
    if key == UNKNOWN or key in names:
        return names.get(key)
    # each part of a name with a parenthesis (IRLANDE (EIRE)) or of two nationalities
    # written together (ALGERIE / ITALIE, ROUMANIE, MOLDAVIE), each as written, without
    # its form of State, and its initials joined (R.F.A.); parts naming two countries give
    # the EU one if any (§5 EU_CITIZEN: any source giving an EU nationality)
    parts = [key] if written is None else [normalise_country_name(part)
                                            for part in PARTS.split(written)]
    read = [names[form] for part in parts
            for form in (part, STATE_FORM.sub("", part), _initials(part)) if form in names]
    eu = [code for code in read if code in codes.EU_EEA_CH]
    return (eu or read or [None])[0]


# What separates the parts of a nationality read one by one.
PARTS = re.compile(r"[()/,;+&]")


def _initials(part: str) -> str:
    """R F A (R.F.A. normalised) as RFA: a name written in initials with dots; "" for a
    name of words."""
    words = part.split(" ")
    return "".join(words) if len(words) > 1 and all(len(w) == 1 for w in words) else ""

