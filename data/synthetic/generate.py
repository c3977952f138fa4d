"""`reconcile generate`: a synthetic inbox in the exact formats of CONTRACTS.md §1, its
next night's deliveries, and the ground truth, deterministic for a seed and a date.

Realism rates are declared once in `REALISM` and written to the manifest; the tests
measure each of them back from the files and the truth. The planted situations and their
rates are in population.py.

The truth (truth/): `persons.csv` (situation, protected, flaggable_on, and since issue 31
`markers`, the markers the run must put on the person's flag, and `legal_alert`, the
reason code of a legal alert it must raise), `records.csv` (each source record's owner and
noise), `defects.csv` (rows broken on purpose; `planted_for` names the person whose row
was planted defective, empty for random defects) and `establishments.csv` (each GENESIS
establishment's latest list and whether it is late, PRI-01)."""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter
from anyascii import anyascii

from data.synthetic.names import spelling_variant
from data.synthetic.population import (
    REJECTED,
    RELEASES,
    SITUATIONS_BY_FAMILY,
    SUSPENSION_BASES,
    Person,
    days,
    draw_identity,
)
from schemas.codes import DEPARTMENTS
from schemas.sources import SOURCE_MODELS
from transforms.ingest.countries import french_name_of

REALISM = {
    # identity noise on TélémOfpra and GENESIS rows, relative to the AGDREF file
    "telemofpra_name_variant": 0.15,
    "genesis_name_variant": 0.25,
    "telemofpra_name_swap": 0.03,
    "genesis_name_swap": 0.06,
    "given_names_comma_separated": 0.2,
    # a row that keeps the first given name only (a register with one field, a clerk in
    # a hurry): the file has them all
    "telemofpra_first_given_name_only": 0.10,
    "genesis_first_given_name_only": 0.20,
    "genesis_alias": 0.25,
    "telemofpra_birth_partial_on_row": 0.03,
    "genesis_birth_partial_on_row": 0.06,
    # person-level birth dates (the same in every system)
    "birth_date_placeholder_0101": 0.06,
    "birth_date_unknown_0000": 0.03,
    # the ADA starts when the prefecture registers the claim, 1 to 21 days before OFPRA's
    # date of introduction (days)
    "asylum_registered_min_days_before_claim": 1,
    "asylum_registered_max_days_before_claim": 21,
    # AGDREF numbers on source rows
    "telemofpra_agdref_missing": 0.20,
    "telemofpra_agdref_wrong": 0.02,
    "genesis_agdref_missing": 0.70,
    "genesis_agdref_wrong": 0.03,
    # persons
    "second_agdref_file": 0.02,
    "namesake": 0.01,
    # people who moved (only where the scale has more than one department): lists come
    # from the department where the person lives or is held, files from the department
    # that manages them, and a second file is mostly opened by another prefecture
    "telemofpra_domicile_elsewhere": 0.05,
    "genesis_held_elsewhere": 0.20,
    "second_agdref_file_elsewhere": 0.5,
    # files
    "genesis_xlsx": 0.30,
    "telemofpra_decision_repeated_next_list": 0.03,
    "genesis_release_date_moves": 0.20,
    "genesis_unknown_nationality": 0.03,
    "defective_row": 0.003,
    # issue 31: establishments whose latest list is late (PRI-01: more than 16 days old on
    # the as-of date), at least one at every scale; their latest list is this old (days)
    "genesis_establishment_late": 0.10,
    "genesis_late_list_min_days": 20,
    "genesis_late_list_max_days": 30,
    # a Dublin transfer or a remise whose State (MESURES.ETAT_MEMBRE) AGDREF does not show
    "mesures_member_state_unknown": 0.10,
}

# The States a person is handed over to (Dublin transfer, remise), ISO 3166-1 alpha-3,
# the frequent partners repeated.
MEMBER_STATES = ("ITA", "ITA", "DEU", "DEU", "ESP", "ESP", "BEL", "NLD", "AUT", "CHE",
                 "SWE", "GRC", "POL", "PRT", "LUX", "BGR", "HRV")
STALE_LIST_DAYS = 16  # PRI-01's default setting
ANSWER_DUE_DAYS = 7  # PRI-05


@dataclass(frozen=True)
class Scale:
    name: str
    departments: tuple[str, ...]
    establishments_per_department: int
    asylum_persons: int  # about one OFPRA decision a person, over a year
    measure_persons: int
    detainees: int
    background_persons: int
    weeks: int = 52


def _spread(total: int, share: float) -> int:
    return max(1, round(total * share))


NATIONAL = dict(asylum=140_000, measure=300_000, detainees=19_000, background=2_500_000)
SCALES: dict[str, Scale] = {
    "sample": Scale("sample", ("13", "2A"), 2, 420, 520, 150, 1_500),
    "department": Scale("department", ("13",), 2, *(_spread(v, 0.01) for v in NATIONAL.values())),
    "region": Scale("region", ("13", "04", "05", "06", "83", "84", "2A", "2B", "30", "34"), 2,
                    *(_spread(v, 0.1) for v in NATIONAL.values())),
    "national": Scale("national", DEPARTMENTS, 2, *NATIONAL.values()),
}

MANIFEST = "manifest.json"


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def fmt(day: date | None) -> str:
    return "" if day is None else day.strftime("%d/%m/%Y")


class Generator:
    def __init__(self, scale: Scale, seed: int, as_of: date):
        self.scale = scale
        self.as_of = as_of
        self.rng = random.Random(seed)
        # Moves between departments draw from a stream of their own: the rest of the
        # data stays what the same seed gave before they were modelled.
        self.moves = random.Random(f"{seed}:moves")
        self.given_names = random.Random(f"{seed}:given-names")  # the same, for dropped names
        self.registrations = random.Random(f"{seed}:registrations")  # and for ADA dates
        self.lateness = random.Random(f"{seed}:late-lists")  # and for late establishments
        self.states = random.Random(f"{seed}:member-states")  # and for ETAT_MEMBRE
        self.late_establishments: dict[str, date] = {}  # code -> latest list date
        self.latest_lists: dict[str, tuple[str, date]] = {}  # code -> (department, date)
        self.persons: list[Person] = []
        self.numbers: set[str] = set()
        self.number_list: list[str] = []
        self.records: list[dict] = []
        self.defects: list[dict] = []
        self.measure_seq = 0

    # --- persons -----------------------------------------------------------------
    def new_agdref_number(self) -> str:
        while True:
            number = f"{self.rng.randrange(0, 10**10):010d}"
            if number not in self.numbers:
                self.numbers.add(number)
                self.number_list.append(number)
                return number

    def build_population(self) -> None:
        s = self.scale
        counter = 0
        for family, total in (("asylum", s.asylum_persons), ("measure", s.measure_persons),
                              ("detainee", s.detainees)):
            situations = SITUATIONS_BY_FAMILY[family]
            weights = [x.weight for x in situations]
            for i in range(total):
                counter += 1
                # Every situation at least once, even in a small sample; then by weight.
                situation = (situations[i] if i < len(situations) and total >= 4 * len(situations)
                             else self.rng.choices(situations, weights=weights)[0])
                origin = "eu" if "EU_CITIZEN" in situation.code else None
                p = draw_identity(self.rng, self.as_of, f"P{counter:08d}",
                                  self.rng.choice(s.departments), origin)
                self._birth_date_realism(p)
                p.situation, p.family = situation.code, family
                p.protected, p.flaggable_on = situation.protected, situation.flaggable_on
                situation.plant(p, self.rng, self.as_of, {})
                self._registered_before_claim(p)
                self._suspension_marker(p)
                if p.in_agdref:
                    p.agdref_numbers.append(self.new_agdref_number())
                    p.file_departments.append(p.department)
                    if self.rng.random() < REALISM["second_agdref_file"]:
                        p.agdref_numbers.append(self.new_agdref_number())
                        p.file_departments.append(
                            self.elsewhere(p.department, "second_agdref_file_elsewhere"))
                self.persons.append(p)
        case_persons = list(self.persons)
        for _ in range(s.background_persons):
            counter += 1
            p = draw_identity(self.rng, self.as_of, f"P{counter:08d}",
                              self.rng.choice(s.departments))
            self._background_title(p)
            self.persons.append(p)
        for original in case_persons:
            if self.rng.random() < REALISM["namesake"]:
                counter += 1
                p = draw_identity(self.rng, self.as_of, f"P{counter:08d}", original.department,
                                  original.origin)
                p.last_name, p.sex = original.last_name, original.sex
                p.first_names = list(original.first_names)
                gap = self.rng.choice([-1, 1]) * self.rng.randint(3 * 365, 15 * 365)
                p.birth = original.birth - days(gap)
                p.situation = "NAMESAKE"
                self._background_title(p)
                self.persons.append(p)

    def _registered_before_claim(self, p: Person) -> None:
        """The prefecture registers an asylum claim and issues its attestation (ADA) first;
        the claimant then has 21 days to send it to OFPRA, whose date of introduction is
        the one TélémOfpra shows."""
        claims = {d["claim_date"] for d in p.decisions}
        for title in p.titles:
            if title["type"] == "ADA" and title["start"] in claims:
                title["start"] -= days(self.registrations.randint(
                    REALISM["asylum_registered_min_days_before_claim"],
                    REALISM["asylum_registered_max_days_before_claim"]))

    @staticmethod
    def _suspension_marker(p: Person) -> None:
        """RTR-06: an early end under L. 531-32 3°, L. 753-5 or L. 531-24 / L. 531-27 5° (in
        the accelerated procedure) lets the person ask for a suspension of removal: every
        flag of the person carries SUSPENSION_REQUEST_POSSIBLE."""
        decided = [d for d in p.decisions if d["outcome"] is not None]
        if p.flaggable_on and decided:
            latest = decided[-1]
            if latest["basis"] in SUSPENSION_BASES or (
                    latest["basis"] == "L531-27-5" and latest["procedure"] == "ACCELEREE"):
                p.markers.add("SUSPENSION_REQUEST_POSSIBLE")

    def elsewhere(self, department: str, rate: str) -> str:
        """Another department of the scale, at the realism rate `rate`, else `department`."""
        others = [d for d in self.scale.departments if d != department]
        if others and self.moves.random() < REALISM[rate]:
            return self.moves.choice(others)
        return department

    def _birth_date_realism(self, p: Person) -> None:
        draw = self.rng.random()
        if draw < REALISM["birth_date_placeholder_0101"]:
            p.birth = date(p.birth.year, 1, 1)
        elif draw < REALISM["birth_date_placeholder_0101"] + REALISM["birth_date_unknown_0000"]:
            p.birth_day_known = p.birth_month_known = False

    def _background_title(self, p: Person) -> None:
        self._birth_date_realism(p)
        p.agdref_numbers.append(self.new_agdref_number())
        p.file_departments.append(p.department)
        kind = self.rng.choice(["CST", "CST", "CR", "CSP", "RECEPISSE", "APS"])
        start = self.as_of - days(self.rng.randint(10, 1500))
        end = start + days(self.rng.randint(200, 3650))
        p.titles.append({"type": kind, "start": start, "end": end,
                         "status": "VALIDE" if end >= self.as_of else "EXPIRE"})

    # --- identity rendering --------------------------------------------------------
    def birth_text(self, p: Person, partial_rate: float) -> tuple[str, bool]:
        if not p.birth_month_known:
            return f"00/00/{p.birth.year}", False
        if not p.birth_day_known:
            return f"00/{p.birth.month:02d}/{p.birth.year}", False
        if self.rng.random() < partial_rate:
            return self.rng.choice([f"00/00/{p.birth.year}", f"XX/XX/{p.birth.year}",
                                    f"00/{p.birth.month:02d}/{p.birth.year}"]), True
        return fmt(p.birth), False

    def render_identity(self, p: Person, system: str) -> dict:
        last, firsts = p.last_name, list(p.first_names)
        variant = self.rng.random() < REALISM[f"{system}_name_variant"]
        if variant:
            if self.rng.random() < 0.5:
                last = spelling_variant(last, self.rng)
            else:
                i = self.rng.randrange(len(firsts))
                firsts[i] = spelling_variant(firsts[i], self.rng)
        swapped = self.rng.random() < REALISM[f"{system}_name_swap"]
        if swapped:
            last, firsts = firsts[0], [p.last_name] + firsts[1:]
        separator = ", " if len(firsts) > 1 and self.rng.random() < REALISM[
            "given_names_comma_separated"] else " "
        dropped = None  # stays None with a single given name: nothing to drop
        if len(firsts) > 1:
            dropped = self.given_names.random() < REALISM[f"{system}_first_given_name_only"]
            if dropped:
                firsts = firsts[:1]
        birth, partial = self.birth_text(p, REALISM[f"{system}_birth_partial_on_row"])
        number, number_state = self.source_agdref_number(p, system)
        return {"NOM": last, "PRENOMS": separator.join(firsts), "DATE_NAISSANCE": birth,
                "NUM_AGDREF": number, "_variant": variant, "_swapped": swapped,
                "_given_names_dropped": dropped,
                "_partial": partial, "_number_state": number_state}

    def source_agdref_number(self, p: Person, system: str) -> tuple[str, str]:
        if not p.agdref_numbers:
            return "", "none_exists"
        if p.quarantined_table == "PERSONNES" and system == "telemofpra":
            # the list names the file whose PERSONNES row is quarantined (DQ-01)
            return p.agdref_numbers[0], "correct"
        draw = self.rng.random()
        if draw < REALISM[f"{system}_agdref_missing"]:
            return "", "missing"
        if draw < REALISM[f"{system}_agdref_missing"] + REALISM[f"{system}_agdref_wrong"]:
            own = p.agdref_numbers[0]
            if self.rng.random() < 0.5:
                i = self.rng.randrange(10)
                digit = str((int(own[i]) + self.rng.randint(1, 9)) % 10)
                return own[:i] + digit + own[i + 1:], "wrong_typo"
            return self.rng.choice(self.number_list), "wrong_other_person"
        return self.rng.choice(p.agdref_numbers), "correct"

    # --- TélémOfpra -------------------------------------------------------------------
    def list_dates(self, unit: str, period: int, count: int, salt: int) -> list[date]:
        offset = (sum(map(ord, unit)) * 7 + salt) % period
        latest = self.as_of - days(offset)
        return sorted(latest - days(period * k) for k in range(count))

    def telemofpra_rows(self) -> dict[tuple[str, date], list[dict]]:
        lists: dict[tuple[str, date], list[dict]] = {}
        dates = {d: self.list_dates(d, 7, self.scale.weeks, 3) for d in self.scale.departments}
        sequence = 0
        for p in self.persons:
            if not p.decisions:
                continue
            sequence += 1
            domicile = self.elsewhere(p.department, "telemofpra_domicile_elsewhere")
            num_ofpra = f"OF{self.as_of.year - 1}{sequence:07d}"
            identity = self.render_identity(p, "telemofpra")
            self.record(f"telemofpra:{num_ofpra}", p, "telemofpra", identity)
            for d in p.decisions:
                candidates = dates[domicile]
                needed = max(x for x in (d["known"], d["decision_date"], d["notification_date"],
                                         d["final_date"]) if x is not None)
                later = [x for x in candidates if x >= needed]
                if not later:
                    shift = needed - candidates[-1]
                    for k in ("claim_date", "decision_date", "notification_date", "final_date"):
                        if d[k] is not None:
                            d[k] -= shift
                    later = [candidates[-1]]
                d["known"] = later[0]
                row = {
                    "NUM_OFPRA": num_ofpra, "NUM_AGDREF": identity["NUM_AGDREF"],
                    "NOM": identity["NOM"], "PRENOMS": identity["PRENOMS"], "SEXE": p.sex,
                    "DATE_NAISSANCE": identity["DATE_NAISSANCE"], "NATIONALITE": p.nationality,
                    "DEPT_DOMICILIATION": domicile, "TYPE_DEMANDE": d["claim_type"],
                    "PROCEDURE": d["procedure"], "DATE_INTRODUCTION": fmt(d["claim_date"]),
                    "ORGANE": d["body"], "SENS_DECISION": d["outcome"] or "",
                    "FONDEMENT": d["basis"] or "", "DATE_DECISION": fmt(d["decision_date"]),
                    "MODE_CNDA": d["cnda_mode"] or "",
                    "DATE_NOTIFICATION": fmt(d["notification_date"]),
                    "DATE_DEFINITIVE": fmt(d["final_date"]),
                }
                lists.setdefault((domicile, later[0]), []).append(row)
                if len(later) > 1 and self.rng.random() < REALISM[
                        "telemofpra_decision_repeated_next_list"]:
                    lists.setdefault((domicile, later[1]), []).append(dict(row))
        for dept, ds in dates.items():
            for d in ds:
                lists.setdefault((dept, d), [])
        return lists

    # --- GENESIS ----------------------------------------------------------------------
    def establishments(self) -> list[tuple[str, str, str]]:
        out = []
        for dept in self.scale.departments:
            for n in range(self.scale.establishments_per_department):
                code = f"E{dept:0>3}{n + 1:02d}"[:6]
                label = ["MAISON D'ARRET", "CENTRE PENITENTIAIRE", "CENTRE DE DETENTION"][n % 3]
                out.append((code, f"{label} {dept}-{n + 1}", dept))
        return out

    def genesis_rows(self) -> dict[tuple[str, date], list[dict]]:
        etabs = self.establishments()
        by_dept: dict[str, list[tuple[str, str, str]]] = {}
        for e in etabs:
            by_dept.setdefault(e[2], []).append(e)
        lists: dict[tuple[str, date], list[dict]] = {}
        schedule = {code: self.list_dates(code, 15, 6, 5) for code, _, _ in etabs}
        self._make_late(schedule)
        self.latest_lists = {code: (dept, schedule[code][-1]) for code, _, dept in etabs}
        ecrou = 0
        for p in self.persons:
            if p.detention is None:
                continue
            ecrou += 1
            held_in = self.elsewhere(p.department, "genesis_held_elsewhere")
            code, label, dept = self.rng.choice(by_dept[held_in])
            det = p.detention
            identity = self.render_identity(p, "genesis")
            num = f"{ecrou:06d}"
            self.record(f"genesis:{code}:{num}", p, "genesis", identity)
            aliases = []
            if self.rng.random() < REALISM["genesis_alias"]:
                for _ in range(self.rng.randint(1, 2)):
                    aliases.append(f"{spelling_variant(p.last_name, self.rng)} "
                                   f"{self.rng.choice(p.first_names)}")
            nationality = french_name_of(p.nationality)
            if self.rng.random() < 0.5:
                nationality = anyascii(nationality)
            if self.rng.random() < REALISM["genesis_unknown_nationality"]:
                nationality = "INDETERMINEE"
            sentenced = det["category"] != "PREVENU"
            if sentenced and self.rng.random() < 0.15:
                det["category"] = "MIXTE"
            moves = self.rng.random() < REALISM["genesis_release_date_moves"]
            dates = schedule[code]
            if det.get("leaves_before_latest_list"):
                # EX-04: held after a Dublin acceptance, released between the last two lists
                det["release"] = dates[-1] - days(self.rng.randint(
                    1, (dates[-1] - dates[-2]).days - 1))
                det["sentence"] = (det["release"] - det["committed"]).days + self.rng.randint(
                    10, 40)
            det["establishment"], det["on_latest_list"] = code, False
            for i, list_date in enumerate(dates):
                # a release on the as-of date still shows on a list of that date
                released = det["release"] <= list_date and det["release"] < self.as_of
                if det["committed"] > list_date or (sentenced and released):
                    continue
                det["on_latest_list"] = i == len(dates) - 1
                release = det["release"]
                if moves and i < len(dates) - 1:
                    release = release + days(self.rng.choice([-20, -10, 15, 30, 45]))
                row = {
                    "NUM_ECROU": num, "CODE_ETABLISSEMENT": code, "LIBELLE_ETABLISSEMENT": label,
                    "DEPT_ETABLISSEMENT": dept, "NOM": identity["NOM"],
                    "PRENOMS": identity["PRENOMS"], "ALIAS": "|".join(aliases),
                    "SEXE": p.sex, "DATE_NAISSANCE": identity["DATE_NAISSANCE"],
                    "LIEU_NAISSANCE": french_name_of(p.nationality),
                    "NATIONALITE": nationality, "DATE_ECROU": fmt(det["committed"]),
                    "CATEGORIE_PENALE": det["category"],
                    "QUANTUM_TOTAL_JOURS": str(det["sentence"]) if sentenced else "",
                    "DATE_LIBERATION_PREVISIBLE": fmt(release) if sentenced else "",
                    "ITF": det["itf"], "NUM_AGDREF": identity["NUM_AGDREF"],
                }
                lists.setdefault((code, list_date), []).append(row)
            self._release_markers(p, sentenced)
        for code, ds in schedule.items():
            for d in ds:
                lists.setdefault((code, d), [])
        return lists

    def _make_late(self, schedule: dict[str, list[date]]) -> None:
        """PRI-01: some establishments stopped sending their list: the latest is more than
        16 days old on the as-of date (at least one establishment at every scale)."""
        codes = sorted(schedule)
        count = max(1, round(REALISM["genesis_establishment_late"] * len(codes)))
        for code in sorted(self.lateness.sample(codes, count)):
            age = max(STALE_LIST_DAYS + 1, self.lateness.randint(
                REALISM["genesis_late_list_min_days"], REALISM["genesis_late_list_max_days"]))
            shift = self.as_of - days(age) - schedule[code][-1]
            schedule[code] = [d + shift for d in schedule[code]]
            self.late_establishments[code] = schedule[code][-1]

    def _release_markers(self, p: Person, sentenced: bool) -> None:
        """Markers due on a detainee's release flag: a late list (PRI-01), a release at
        most 7 days away with no answer recorded yet (PRI-05; the generator records no
        answer)."""
        det = p.detention
        if p.flaggable_on != RELEASES or not det["on_latest_list"]:
            return
        if det["establishment"] in self.late_establishments:
            p.markers.add("STALE_PRISON_LIST")
        if sentenced and 0 <= (det["release"] - self.as_of).days <= ANSWER_DUE_DAYS:
            p.markers.add("PRISON_ANSWER_DUE")

    # --- AGDREF -----------------------------------------------------------------------
    def agdref_rows(self, snapshot: date, extra: dict[str, list[dict]] | None = None
                    ) -> dict[tuple[str, str], list[dict]]:
        tables: dict[tuple[str, str], list[dict]] = {}
        extra = extra or {}
        for dept in self.scale.departments:
            for table in ("PERSONNES", "TITRES", "MESURES", "EVENEMENTS"):
                tables[(table, dept)] = []
        for p in self.persons:
            if not p.agdref_numbers:
                continue
            for k, (number, managed_by) in enumerate(zip(p.agdref_numbers, p.file_departments,
                                                         strict=True)):
                last = p.last_name if k == 0 else spelling_variant(p.last_name, self.rng)
                birth, _ = self.birth_text(p, 0.0)
                row = {
                    "NUM_AGDREF": number, "NOM": last, "NOM_USAGE": "",
                    "PRENOMS": " ".join(p.first_names), "SEXE": p.sex, "DATE_NAISSANCE": birth,
                    "LIEU_NAISSANCE": french_name_of(p.nationality).title(),
                    "NATIONALITE": p.nationality, "DEPT_GESTION": managed_by,
                    "DATE_ENTREE_FRANCE": fmt(p.entry_date),
                    "LIEN_FAMILIAL_FRANCAIS": p.family_link or "", "SITUATION": p.file_status,
                }
                if k == 0 and p.quarantined_table == "PERSONNES":
                    row["SEXE"] = "X"  # DQ-01: not a sex code; the number stays well-formed
                    row["_planted"] = ("SEXE", "code", p.person_id)
                tables[("PERSONNES", managed_by)].append(row)
                self.record(f"agdref:{number}", p, "agdref", None, snapshot)
            number = p.agdref_numbers[0]
            for j, t in enumerate(p.titles):
                row = {
                    "NUM_AGDREF": number, "TYPE_TITRE": t["type"], "DATE_DEBUT": fmt(t["start"]),
                    "DATE_FIN": fmt(t["end"]), "STATUT": t["status"],
                }
                if j == 0 and p.quarantined_table == "TITRES":
                    # DQ-01: no such day; the number stays well-formed
                    row["DATE_FIN"] = f"31/02/{t['end'].year}"
                    row["_planted"] = ("DATE_FIN", "date", p.person_id)
                tables[("TITRES", p.department)].append(row)
            for m in p.measures + extra.get(p.person_id, []):
                if "id" not in m:
                    # Ids are kept across snapshots: a later snapshot's new measures
                    # take new numbers, never an existing measure's.
                    self.measure_seq += 1
                    m["id"] = f"M{p.department:0>3}{self.measure_seq:08d}"
                tables[("MESURES", p.department)].append({
                    "ID_MESURE": m["id"], "NUM_AGDREF": number, "TYPE_MESURE": m["type"],
                    "FONDEMENT": m["basis"], "DATE_DECISION": fmt(m["decided"]),
                    "DATE_NOTIFICATION": fmt(m["notified"]),
                    "DELAI_DEPART_JOURS": "" if m["ddv"] is None else str(m["ddv"]),
                    "SITUATION_NOTIFICATION": m["situation"] or "",
                    "IRTF_ANNEES": "" if m["irtf"] is None else str(m["irtf"]),
                    "DATE_ACCORD_ETAT_MEMBRE": fmt(m["acceptance"]), "RECOURS": m["appeal"],
                    "STATUT": m["status"], "ETAT_MEMBRE": self.member_state(m),
                })
                for e in sorted(m["events"], key=lambda e: e["date"]):
                    if e["date"] <= snapshot:
                        tables[("EVENEMENTS", p.department)].append({
                            "ID_MESURE": m["id"], "TYPE_EVENEMENT": e["type"],
                            "DATE_EVENEMENT": fmt(e["date"]), "MOTIF": e["reason"] or "",
                        })
        return tables

    def member_state(self, m: dict) -> str:
        """The State a Dublin transfer or a remise hands the person over to, drawn once
        per measure (kept across snapshots); empty for other measures and at the
        declared rate for handovers whose State AGDREF does not show."""
        if "member_state" not in m:
            m["member_state"] = ""
            if m["type"] in ("TRANSFERT_DUBLIN", "REMISE"):
                unknown = self.states.random() < REALISM["mesures_member_state_unknown"]
                m["member_state"] = "" if unknown else self.states.choice(MEMBER_STATES)
        return m["member_state"]

    # --- truth ------------------------------------------------------------------------
    def record(self, key: str, p: Person, system: str, identity: dict | None,
               snapshot: date | None = None) -> None:
        if snapshot is not None and snapshot != self.as_of:
            return
        noise = identity or {}
        self.records.append({
            "record_key": key, "person_id": p.person_id, "system": system,
            "name_variant": int(bool(noise.get("_variant"))),
            "name_swapped": int(bool(noise.get("_swapped"))),
            "birth_partial_on_row": int(bool(noise.get("_partial"))),
            # empty when the person has a single given name
            "given_names_dropped": ("" if noise.get("_given_names_dropped") is None
                                    else int(noise["_given_names_dropped"])),
            "agdref_number_state": noise.get("_number_state", ""),
        })

    def defect(self, rows: list[dict], file_name: str, kind: str) -> None:
        """Break a few rows the way real extracts break (they must be quarantined), and
        record the rows planted defective for a situation (QUARANTINED_ROW_NAMING_PERSON)."""
        for i, row in enumerate(rows):
            if "_planted" in row:
                column, choice, person_id = row["_planted"]
                self.defects.append({"file_name": file_name, "line_number": i + 2,
                                     "column_name": column, "defect": choice,
                                     "planted_for": person_id})
                continue
            if self.rng.random() >= REALISM["defective_row"]:
                continue
            # a malformed date needs a date to malform (a registered request has none)
            columns = [c for c in ("DATE_NAISSANCE", "DATE_DECISION", "DATE_ECROU",
                                   "DATE_DEBUT", "DATE_EVENEMENT") if row.get(c)]
            choice = self.rng.choice(["date", "code", "missing"])
            if choice == "date" and columns:
                column = self.rng.choice(columns)
                row[column] = "31/02/" + (row[column][-4:] or "2020")
            elif choice == "code" and "SEXE" in row:
                column, row["SEXE"] = "SEXE", "X"
            else:
                required = [c for c, col in SOURCE_MODELS[kind].to_schema().columns.items()
                            if not col.nullable]
                column = required[0]
                row[column] = ""
            self.defects.append({"file_name": file_name, "line_number": i + 2,
                                 "column_name": column, "defect": choice, "planted_for": ""})


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=";", lineterminator="\r\n",
                            quoting=csv.QUOTE_MINIMAL, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def source_columns(kind: str) -> list[str]:
    """The columns of a source file, in the contract's order: MESURES ends with the
    optional ETAT_MEMBRE (CONTRACTS §1.3) whether or not this schema knows it yet."""
    columns = [c for c in SOURCE_MODELS[kind].to_schema().columns if c != "ETAT_MEMBRE"]
    if kind == "agdref_mesures":
        columns.append("ETAT_MEMBRE")
    return columns


def write_csv(path: Path, rows: list[dict], kind: str, encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = source_columns(kind)
    path.write_bytes(_csv_text(rows, columns).encode(encoding))


def write_xlsx(path: Path, rows: list[dict], kind: str, created: date) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = source_columns(kind)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    workbook.set_properties({"created": datetime.combine(created, datetime.min.time()),
                             "author": "GENESIS (synthetic)"})
    sheet = workbook.add_worksheet("DETENUS")
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name)
    for r, row in enumerate(rows, start=1):
        for c, name in enumerate(columns):
            value = row.get(name, "")
            if value:
                sheet.write_string(r, c, value)
    workbook.close()


def generate_dataset(out: Path, scale: Scale, seed: int, as_of: date) -> dict:
    g = Generator(scale, seed, as_of)
    g.build_population()
    inbox, later = out / "inbox", out / "next_night"
    files = rows_written = 0
    tele = g.telemofpra_rows()
    genesis = g.genesis_rows()
    agdref = g.agdref_rows(as_of)
    written: list[Path] = []

    def emit(folder: Path, name: str, rows: list[dict], kind: str, xlsx: bool = False) -> Path:
        nonlocal files, rows_written
        g.defect(rows, name, kind)
        path = folder / name
        if xlsx:
            write_xlsx(path, rows, kind, as_of)
        else:
            write_csv(path, rows, kind, "cp1252" if kind == "telemofpra" else
                      ("utf-8-sig" if kind == "genesis" else "utf-8"))
        files += 1
        rows_written += len(rows)
        written.append(path)
        return path

    # Next night: a late GENESIS list (out of order), a corrected TélémOfpra list (same
    # name, new content), a list delivered twice (same bytes, another date) and a new
    # AGDREF snapshot where some overdue persons now have their OQTF.
    late_key = sorted(genesis)[1] if len(genesis) > 1 else None
    for (dept, day), rows in sorted(tele.items()):
        emit(inbox / "telemofpra", f"TELEMOFPRA_{dept}_{day:%Y%m%d}.csv", rows, "telemofpra")
    for (code, day), rows in sorted(genesis.items()):
        folder = later if (code, day) == late_key else inbox
        xlsx = g.rng.random() < REALISM["genesis_xlsx"]
        emit(folder / "genesis", f"GENESIS_{code}_{day:%Y%m%d}.{'xlsx' if xlsx else 'csv'}",
             rows, "genesis", xlsx)
    for (table, dept), rows in sorted(agdref.items()):
        emit(inbox / "agdref", f"AGDREF_{table}_{dept}_{as_of:%Y%m%d}.csv", rows,
             f"agdref_{table.lower()}")

    next_day = as_of + timedelta(days=1)
    # The corrected list adds a decision the first extraction omitted (a repeat of an
    # earlier list's row: its knowledge date must not move).
    department_lists = sorted(k for k in tele if k[0] == scale.departments[0])
    latest_tele = department_lists[-1]
    earlier_rows = [r for k in department_lists[:-1] for r in tele[k]]
    corrected = [dict(r) for r in tele[latest_tele]] + [dict(earlier_rows[-1])]
    write_csv(later / "telemofpra" / f"TELEMOFPRA_{latest_tele[0]}_{latest_tele[1]:%Y%m%d}.csv",
              corrected, "telemofpra", "cp1252")
    duplicate_of = inbox / "telemofpra" / f"TELEMOFPRA_{latest_tele[0]}_{latest_tele[1]:%Y%m%d}.csv"
    (later / "telemofpra" / f"TELEMOFPRA_{latest_tele[0]}_{next_day:%Y%m%d}.csv").write_bytes(
        duplicate_of.read_bytes())
    resolved = {}
    for p in g.persons:
        if p.flaggable_on == REJECTED and p.agdref_numbers and g.rng.random() < 0.3:
            resolved[p.person_id] = [{
                "type": "OQTF", "basis": "L611-1-4", "decided": next_day, "notified": None,
                "ddv": 30, "situation": "LIBRE", "irtf": None, "acceptance": None,
                "appeal": "AUCUN", "status": "EN_VIGUEUR", "events": [], "member_state": "",
            }]
    for (table, dept), rows in sorted(g.agdref_rows(next_day, resolved).items()):
        write_csv(later / "agdref" / f"AGDREF_{table}_{dept}_{next_day:%Y%m%d}.csv", rows,
                  f"agdref_{table.lower()}", "utf-8")

    write_truth(out / "truth", g, resolved)
    manifest = {
        "generator": "reconcile generate", "scale": scale.name, "seed": seed,
        "as_of": as_of.isoformat(), "next_night": next_day.isoformat(),
        "realism_rates": REALISM, "persons": len(g.persons), "files": files,
        "rows": rows_written, "defective_rows": len(g.defects),
        "resolved_next_night": len(resolved),
        "note": "Synthetic data only: no real person.",
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                encoding="utf-8")
    return manifest


def write_truth(folder: Path, g: Generator, resolved: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    persons = [{
        "person_id": p.person_id, "family": p.family, "situation": p.situation,
        "protected": int(p.protected), "flaggable_on": p.flaggable_on,
        "department": p.department, "nationality": p.nationality,
        "birth_precision": "day" if p.birth_day_known else (
            "month" if p.birth_month_known else "year"),
        "agdref_numbers": "|".join(p.agdref_numbers),
        "oqtf_issued_next_night": int(p.person_id in resolved),
        # issue 31: markers the run must put on the person's flag (a subset: other markers
        # may be due too), and the reason code of a legal alert the run must raise
        "markers": "|".join(sorted(p.markers)),
        "legal_alert": p.legal_alert,
    } for p in g.persons]
    establishments = [{
        "establishment_code": code, "department": dept, "latest_list_date": day.isoformat(),
        "days_old": (g.as_of - day).days, "late": int(code in g.late_establishments),
    } for code, (dept, day) in sorted(g.latest_lists.items())]
    for name, rows in (("persons.csv", persons), ("records.csv", g.records),
                       ("defects.csv", g.defects), ("establishments.csv", establishments)):
        columns = list(rows[0]) if rows else ["empty"]
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
