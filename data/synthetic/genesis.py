"""GENESIS lists: each establishment's detainees every fortnight, late establishments
(PRI-01) and the markers due on a release flag."""

from __future__ import annotations

from datetime import date

from anyascii import anyascii

from data.synthetic.files import fmt
from data.synthetic.names import spelling_variant
from data.synthetic.persons import RELEASES, Person, days
from data.synthetic.realism import ANSWER_DUE_DAYS, REALISM, STALE_LIST_DAYS
from transforms.ingest.countries import french_name_of


class GenesisMixin:
    """GENESIS rows of the generator (Generator)."""

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
            aliases, nationality = self._aliases_and_nationality(p)
            sentenced = det["category"] != "PREVENU"
            if sentenced and self.rng.random() < 0.15:
                det["category"] = "MIXTE"
            moves = self.rng.random() < REALISM["genesis_release_date_moves"]
            dates = schedule[code]
            if det.get("leaves_before_latest_list"):
                self._release_between_last_lists(det, dates)
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
                    "LIEU_NAISSANCE": self.birth_place_text(p, "genesis"),
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

    def _aliases_and_nationality(self, p: Person) -> tuple[list[str], str]:
        """The aliases a prison knows, and the nationality as GENESIS writes it (French
        name, accents or not, sometimes unknown)."""
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
        return aliases, nationality

    def _release_between_last_lists(self, det: dict, dates: list[date]) -> None:
        """EX-04: held after a Dublin acceptance, released between the last two lists."""
        det["release"] = dates[-1] - days(self.rng.randint(
            1, (dates[-1] - dates[-2]).days - 1))
        det["sentence"] = (det["release"] - det["committed"]).days + self.rng.randint(
            10, 40)

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
