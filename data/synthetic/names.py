"""Name parts by origin and the spelling variants that appear between systems.

The parts are common given names and surnames of each origin, combined at random: no
combination stands for a real person. Variants reproduce what transliteration does to
the same name in two French administrations (MOHAMED / MOHAMMED / MUHAMMAD, ABDELKADER /
ABD EL KADER, OU / U, EL / AL, doubled consonants, hyphens and accents)."""

from __future__ import annotations

import random
import re

ORIGINS: dict[str, dict[str, list[str]]] = {
    "maghreb": {
        "nationalities": ["DZA", "MAR", "TUN"],
        "surnames": ["BENALI", "BOUAZIZ", "EL AMRANI", "HADDAD", "MANSOURI", "BELKACEM",
                     "OUALI", "CHÉRIF", "BOUZID", "AMRANI", "BENSALEM", "MÉZIANE", "SAIDI",
                     "TOUATI", "BEN YOUSSEF", "KHALFI", "ZERROUKI", "LAHLOU", "OUAHABI"],
        "male": ["MOHAMED", "AHMED", "ABDELKADER", "YOUCEF", "KARIM", "SOFIANE", "RACHID",
                 "MOURAD", "NOUREDDINE", "ABDELLAH", "HICHEM", "OUSSAMA", "BILAL"],
        "female": ["FATIMA", "KHADIJA", "AMÎNA", "NADIA", "SAMIRA", "MERIEM", "YASMINA",
                   "LEILA", "HOURIA", "NAIMA"],
    },
    "mashreq": {
        "nationalities": ["SYR", "SDN", "EGY", "IRQ"],
        "surnames": ["AL HASSAN", "ABDALLAH", "OSMAN", "IBRAHIM", "EL SAYED", "MAHMOUD",
                     "ADAM", "ABAKAR", "HAMID", "YOUSSEF", "AL KHATIB", "SALEH", "ISMAIL"],
        "male": ["MOHAMMED", "OMAR", "KHALED", "ABDELRAHMAN", "HUSSEIN", "YASSER", "ALI",
                 "MUSTAFA", "ABDELAZIZ", "HAMZA", "ISSA"],
        "female": ["AISHA", "MARIAM", "RANIA", "HIBA", "ZAINAB", "SARA", "NOUR"],
    },
    "afghan": {
        "nationalities": ["AFG", "PAK"],
        "surnames": ["AHMADZAI", "KHAN", "HAIDARI", "NOORI", "RAHIMI", "SAFI", "STANIKZAI",
                     "WARDAK", "HOTAK", "MOHAMMADI", "AZIZI", "POPAL", "SHINWARI"],
        "male": ["AHMAD", "MOHAMMAD", "ABDUL RAHMAN", "ZABIHULLAH", "NOORULLAH", "SAYED",
                 "ASADULLAH", "JAWAD", "HABIB", "ABDUL WAHID", "RAHMATULLAH"],
        "female": ["FARIBA", "ZAHRA", "MARZIA", "SHABNAM", "NAZIA", "FATIMA"],
    },
    "west_africa": {
        "nationalities": ["GIN", "CIV", "MLI", "SEN", "NGA", "CMR"],
        "surnames": ["DIALLO", "BARRY", "BAH", "CAMARA", "KOUROUMA", "TRAORE", "KONE",
                     "COULIBALY", "SYLLA", "SOW", "KEITA", "DIABATE", "OUEDRAOGO",
                     "N'DIAYE", "TOURE", "FOFANA", "OKAFOR", "ADEYEMI", "FOTSO"],
        "male": ["MAMADOU", "IBRAHIMA", "OUSMANE", "ALPHA", "SEKOU", "MOUSSA", "ABDOULAYE",
                 "AMADOU", "LAMINE", "BOUBACAR", "CHINEDU", "EMEKA", "SALIOU"],
        "female": ["MARIAMA", "AISSATOU", "FATOUMATA", "KADIATOU", "AMINATA", "HAWA",
                   "ADAEZE", "OUMOU"],
    },
    "central_africa": {
        "nationalities": ["COD", "COG", "CAF", "AGO"],
        "surnames": ["MBUYI", "KABILA", "TSHIMANGA", "MUKENDI", "NGOMA", "MAKOSSO",
                     "KALONJI", "ILUNGA", "LUKUSA", "BANZA", "NSIMBA", "MAVUNGU"],
        "male": ["JEAN-PIERRE", "PATRICK", "DIEUDONNÉ", "FISTON", "GLOIRE", "JOSUÉ",
                 "ALAIN", "PRINCE", "CHRISTIAN"],
        "female": ["GRÂCE", "MERVEILLE", "BÉNÉDICTE", "NATHALIE", "ESTHER", "CHANTAL"],
    },
    "south_asia": {
        "nationalities": ["BGD", "LKA", "IND"],
        "surnames": ["HOSSAIN", "RAHMAN", "ISLAM", "UDDIN", "CHOWDHURY", "AHMED", "MIAH",
                     "SIVAKUMAR", "KUMAR", "SINGH", "BEGUM"],
        "male": ["MD", "MOHAMMAD", "ABDUL KARIM", "RASHED", "SHAHIDUL", "THARSHAN",
                 "GURPREET", "RAKIB"],
        "female": ["NASRIN", "RUMANA", "SHARMIN", "PRIYA", "TAHMINA"],
    },
    "caucasus_balkans": {
        "nationalities": ["GEO", "ALB", "RUS", "ARM", "TUR"],
        "surnames": ["BERIDZE", "KAPANADZE", "GELASHVILI", "HOXHA", "KELMENDI", "BERISHA",
                     "MAGOMEDOV", "DUDAEV", "GRIGORYAN", "PETROSYAN", "YILMAZ", "KAYA",
                     "DEMIR", "ZHGENTI"],
        "male": ["GIORGI", "DAVIT", "ARBEN", "ERION", "RAMZAN", "ISLAM", "ARMEN", "MEHMET",
                 "MUSTAFA", "LEVAN", "ILIR"],
        "female": ["NINO", "TAMAR", "ELIRA", "MADINA", "ANI", "AYSE", "ZEYNEP"],
    },
    "caribbean": {
        "nationalities": ["HTI"],
        "surnames": ["JEAN-BAPTISTE", "PIERRE", "JOSEPH", "SAINT-LOUIS", "CHARLES",
                     "ÉTIENNE", "DORVIL", "LOUIS-JEUNE", "PAUL"],
        "male": ["JEAN", "WOODLEY", "JOCELYN", "FRANTZ", "WILNER", "ROODY"],
        "female": ["MARIE", "ROSELINE", "NADÈGE", "MICHELINE", "GUERDA"],
    },
    "east_africa": {
        "nationalities": ["ERI", "ETH", "SOM"],
        "surnames": ["TESFAY", "GEBREMEDHIN", "HAILE", "KIDANE", "WELDU", "ABDI", "WARSAME",
                     "HASSAN", "GEBRE", "YOHANNES"],
        "male": ["YONAS", "SAMUEL", "BERHANE", "DAWIT", "ABDIRAHMAN", "MEKONNEN", "FILMON"],
        "female": ["SELAM", "HÉLÈNE", "MERON", "SABA", "HODAN"],
    },
    "eu": {
        "nationalities": ["ROU", "BGR", "POL", "ITA", "ESP", "PRT"],
        "surnames": ["POPESCU", "IONESCU", "DIMITROV", "KOWALSKI", "ROSSI", "GARCIA",
                     "FERREIRA", "STOICA", "GEORGIEV", "NOWAK"],
        "male": ["ANDREI", "IVAN", "PIOTR", "MARCO", "JOSE", "MIHAI", "STEFAN"],
        "female": ["ELENA", "MARIA", "ANNA", "IOANA", "SOFIA"],
    },
}

# Everyday weights of origins among asylum claimants and removal measures (rough).
ORIGIN_WEIGHTS = {
    "afghan": 14, "west_africa": 24, "maghreb": 18, "mashreq": 8, "central_africa": 9,
    "south_asia": 7, "caucasus_balkans": 11, "caribbean": 5, "east_africa": 4,
}

# Whole-name variants seen between systems.
NAME_VARIANTS: dict[str, list[str]] = {
    "MOHAMED": ["MOHAMMED", "MUHAMMAD", "MOHAMMAD", "MOHAMAD", "MEHMED"],
    "MOHAMMED": ["MOHAMED", "MUHAMMED", "MOHAMMAD"],
    "MOHAMMAD": ["MOHAMMED", "MUHAMMAD", "MOHAMAD", "MOHAMED"],
    "ABDELKADER": ["ABD EL KADER", "ABDELQADER", "ABDULKADIR", "ABDEL KADER"],
    "ABDELLAH": ["ABDALLAH", "ABDULLAH", "ABD ALLAH"],
    "ABDALLAH": ["ABDELLAH", "ABDULLAH"],
    "ABDELRAHMAN": ["ABDERRAHMANE", "ABDUL RAHMAN", "ABD EL RAHMAN"],
    "ABDUL RAHMAN": ["ABDULRAHMAN", "ABDOUL RAHMAN", "ABDELRAHMAN"],
    "ABDUL WAHID": ["ABDULWAHID", "ABDOUL WAHID"],
    "ABDUL KARIM": ["ABDULKARIM", "ABDELKARIM"],
    "YOUCEF": ["YOUSSEF", "YUSUF", "YOUSEF"],
    "YOUSSEF": ["YOUCEF", "YUSUF", "JOSEPH"],
    "OUSMANE": ["USMAN", "OSMANE", "OUSMAN"],
    "OUSSAMA": ["OSAMA", "USAMA"],
    "HUSSEIN": ["HUSSAIN", "HOUSSEIN", "HUSEIN"],
    "MUSTAFA": ["MOUSTAFA", "MOSTAFA", "MUSTAPHA"],
    "AHMED": ["AHMAD", "AHMET", "HMED"],
    "AHMAD": ["AHMED", "AHMADE"],
    "NOUREDDINE": ["NUREDDIN", "NOUR EDDINE", "NOUREDINE"],
    "NOORULLAH": ["NURULLAH", "NOOR ULLAH"],
    "ZABIHULLAH": ["ZABIULLAH", "ZABIOLLAH"],
    "EL AMRANI": ["ELAMRANI", "AL AMRANI", "AMRANI"],
    "EL SAYED": ["ELSAYED", "AL SAYED", "EL SAYYED"],
    "AL HASSAN": ["ALHASSAN", "EL HASSAN", "HASSAN"],
    "AL KHATIB": ["ALKHATIB", "EL KHATIB"],
    "BEN YOUSSEF": ["BENYOUSSEF", "BEN YOUSEF"],
    "BENALI": ["BEN ALI", "BIN ALI"],
    "BENSALEM": ["BEN SALEM", "BENSALEM"],
    "OUALI": ["WALI", "OUALLI"],
    "OUAHABI": ["WAHABI", "OUAHHABI"],
    "OUEDRAOGO": ["WEDRAOGO", "OUEDRAGO"],
    "TRAORE": ["TRAORÉ", "TRAWORE"],
    "TOURE": ["TOURÉ", "TURE"],
    "KOUROUMA": ["KURUMA", "KOUROMA"],
    "N'DIAYE": ["NDIAYE", "N DIAYE"],
    "DIALLO": ["DYALLO", "JALLOH"],
    "COULIBALY": ["KOULIBALY", "KULIBALI"],
    "HOSSAIN": ["HOSSEN", "HUSSAIN", "HOSEN"],
    "CHOWDHURY": ["CHOUDHURY", "CHAUDHARY"],
    "MAGOMEDOV": ["MAGOMEDOFF", "MAHOMEDOV"],
    "YILMAZ": ["YILMAS", "YÏLMAZ"],
    "JEAN-BAPTISTE": ["JEAN BAPTISTE", "JEANBAPTISTE"],
    "DIEUDONNÉ": ["DIEUDONNE", "DIEU-DONNE"],
    "BÉNÉDICTE": ["BENEDICTE"],
    "NADÈGE": ["NADEGE"],
    "CHÉRIF": ["CHERIF", "SHERIF"],
    "JOSUÉ": ["JOSUE"],
    "ÉTIENNE": ["ETIENNE"],
    "GRÂCE": ["GRACE"],
    "TESFAY": ["TESFAYE", "TESFAI"],
    "GEBREMEDHIN": ["GEBRE MEDHIN", "GEBREMEDIN"],
    "AISHA": ["AICHA", "AÏCHA", "AYSHA"],
    "FATIMA": ["FATMA", "FATIMAH", "FATOUMA"],
    "KHADIJA": ["KHADIDJA", "KADIJA"],
    "MARIAMA": ["MARIAM", "MARYAMA"],
    "AISSATOU": ["AÏSSATOU", "AISSATA"],
}

# Letter-level rules that produce further variants (applied when no whole-name variant).
_LETTER_RULES = [
    (r"OU", "U"), (r"^EL ", "AL "), (r"^AL ", "EL "), (r"K", "Q"), (r"DJ", "J"),
    (r"EE", "I"), (r"SS", "S"), (r"Y", "I"), (r"PH", "F"), (r"-", " "),
]


def spelling_variant(name: str, rng: random.Random) -> str:
    """Another spelling of the same name, as another system would write it."""
    if name in NAME_VARIANTS:
        return rng.choice(NAME_VARIANTS[name])
    applicable = [(p, r) for p, r in _LETTER_RULES if re.search(p, name)]
    if applicable:
        pattern, replacement = rng.choice(applicable)
        return re.sub(pattern, replacement, name, count=1)
    # Double or drop a letter: the commonest clerical variation.
    position = rng.randrange(1, max(2, len(name) - 1))
    return name[:position] + name[position - 1] + name[position:]


def pick_origin(rng: random.Random, include_eu: bool = False) -> str:
    weights = dict(ORIGIN_WEIGHTS)
    if include_eu:
        weights["eu"] = 3
    origins = sorted(weights)
    return rng.choices(origins, weights=[weights[o] for o in origins])[0]
