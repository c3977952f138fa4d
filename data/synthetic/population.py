"""Drawing the population: persons planted in their situations, background persons
and namesakes, their AGDREF files and the departments they moved between."""

from __future__ import annotations

from datetime import date

from data.synthetic.asylum import SUSPENSION_BASES
from data.synthetic.birth_places import draw_birth_town, written_birth_place
from data.synthetic.persons import Person, days, draw_identity
from data.synthetic.realism import REALISM
from data.synthetic.situations import SITUATIONS_BY_FAMILY


class PopulationMixin:
    """The generator's persons (Generator: its random streams and state)."""

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
        # Towns of birth from a stream of their own (the other draws stay what the seed
        # gave): one town a person, a namesake its own.
        for p in self.persons:
            p.birth_town = draw_birth_town(p.nationality, self.birth_places)

    def birth_place_text(self, p: Person, written_by: str) -> str:
        """LIEU_NAISSANCE of `p` as one list or file writes it ("genesis", or
        "agdref:<number>"), drawn once: every snapshot repeats it."""
        if written_by not in p.birth_places_written:
            p.birth_places_written[written_by] = written_birth_place(
                p.nationality, p.birth_town, written_by.split(":")[0], self.birth_places)
        return p.birth_places_written[written_by]

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
