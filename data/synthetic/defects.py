"""Rows broken on purpose, as real extracts break (truth/defects.csv)."""

from __future__ import annotations

from data.synthetic.realism import REALISM
from schemas.sources import SOURCE_MODELS


class DefectsMixin:
    """Defective rows of the generator (Generator)."""

    def defect(self, rows: list[dict], file_name: str, kind: str) -> None:
        """Break a few rows the way real extracts break (they must be quarantined), and
        record the rows planted defective for a situation (QUARANTINED_ROW_NAMING_PERSON)
        and whose row each broken AGDREF EVENEMENTS row was (`row_of`: once broken, its
        ID_MESURE may be blank and the row name nobody)."""
        for i, row in enumerate(rows):
            if "_planted" in row:
                column, choice, person_id = row["_planted"]
                self.defects.append({"file_name": file_name, "line_number": i + 2,
                                     "column_name": column, "defect": choice,
                                     "planted_for": person_id,
                                     "row_of": row.get("_person", "")})
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
                                 "column_name": column, "defect": choice, "planted_for": "",
                                 "row_of": row.get("_person", "")})
