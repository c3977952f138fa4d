"""AGDREF snapshots: PERSONNES, TITRES, MESURES and EVENEMENTS per department."""

from __future__ import annotations

from datetime import date, timedelta

from data.synthetic.files import fmt
from data.synthetic.names import spelling_variant
from data.synthetic.persons import Person
from data.synthetic.realism import MEMBER_STATES, REALISM


class AgdrefMixin:
    """AGDREF rows of the generator (Generator)."""

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
                    "LIEU_NAISSANCE": self.birth_place_text(p, f"agdref:{number}"),
                    "NATIONALITE": p.nationality, "DEPT_GESTION": managed_by,
                    "DATE_ENTREE_FRANCE": fmt(self.entry_date_written(p, k)),
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
            self._measure_rows(p, number, p.measures + extra.get(p.person_id, []), snapshot,
                               tables)
        return tables

    def entry_date_written(self, p: Person, k: int) -> date | None:
        """DATE_ENTREE_FRANCE of the person's `k`-th file: the first file's is the
        person's; a second file mostly repeats it, sometimes keyed again from another
        document (a few days off) or left empty. Drawn once (every snapshot repeats it),
        from a stream of its own."""
        if k == 0 or p.entry_date is None:
            return p.entry_date
        if k not in p.entry_dates_written:
            draw = self.entries.random()
            entry = p.entry_date
            if draw < REALISM["agdref_entry_date_empty_on_second_file"]:
                entry = None
            elif draw < (REALISM["agdref_entry_date_empty_on_second_file"]
                         + REALISM["agdref_entry_date_moved_on_second_file"]):
                entry += timedelta(days=self.entries.choice([-1, 1]) * self.entries.randint(1, 10))
            p.entry_dates_written[k] = entry
        return p.entry_dates_written[k]

    def _measure_rows(self, p: Person, number: str, measures: list[dict], snapshot: date,
                      tables: dict[tuple[str, str], list[dict]]) -> None:
        """MESURES and EVENEMENTS rows of a person's measures (events up to `snapshot`)."""
        for m in measures:
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
                        "_person": p.person_id,  # defects.csv's row_of (not written)
                    })

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
