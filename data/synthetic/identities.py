"""A person's identity as each system writes it (names, birth date, AGDREF number), and
the truth of each source record (truth/records.csv)."""

from __future__ import annotations

from datetime import date

from data.synthetic.files import fmt
from data.synthetic.names import spelling_variant
from data.synthetic.persons import Person
from data.synthetic.realism import REALISM


class IdentityMixin:
    """Identity rendering and records of the generator (Generator)."""

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
        varied = 0  # which given name was respelled (0: the first, or the surname)
        if variant:
            if self.rng.random() < 0.5:
                respelled = spelling_variant(last, self.rng)
                variant, last = respelled != last, respelled
            else:
                varied = self.rng.randrange(len(firsts))
                respelled = spelling_variant(firsts[varied], self.rng)
                variant, firsts[varied] = respelled != firsts[varied], respelled
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
                # the truth says "variant" only when the written names show it
                variant = variant and varied == 0
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
