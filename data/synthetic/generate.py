"""`reconcile generate`: a synthetic inbox in the exact formats of docs/contracts.md §1, its
next night's deliveries, and the ground truth, deterministic for a seed and a date.

Realism rates are declared once in `realism.REALISM` and written to the manifest; the tests
measure each of them back from the files and the truth. The planted situations and their
rates are in situations.py.

The truth (truth/): `persons.csv` (situation, protected, flaggable_on, and since issue 31
`markers`, the markers the run must put on the person's flag, and `legal_alert`, the
reason code of a legal alert it must raise), `records.csv` (each source record's owner and
noise), `defects.csv` (rows broken on purpose; `planted_for` names the person whose row
was planted defective, empty for random defects; `row_of`, the person an AGDREF
EVENEMENTS row was about, which the broken row may no longer say) and
`establishments.csv` (each GENESIS establishment's latest list and whether it is late,
PRI-01)."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from data.synthetic.agdref import AgdrefMixin
from data.synthetic.defects import DefectsMixin
from data.synthetic.files import write_csv, write_xlsx
from data.synthetic.genesis import GenesisMixin
from data.synthetic.identities import IdentityMixin
from data.synthetic.persons import REJECTED, Person
from data.synthetic.population import PopulationMixin
from data.synthetic.realism import REALISM
from data.synthetic.scales import MANIFEST, Scale
from data.synthetic.telemofpra import TelemofpraMixin
from data.synthetic.truth import write_truth


class Generator(PopulationMixin, IdentityMixin, TelemofpraMixin, GenesisMixin, AgdrefMixin,
                DefectsMixin):
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
        self.birth_places = random.Random(f"{seed}:birth-places")  # and for LIEU_NAISSANCE
        self.entries = random.Random(f"{seed}:entry-dates")  # and a second file's entry date
        self.late_establishments: dict[str, date] = {}  # code -> latest list date
        self.latest_lists: dict[str, tuple[str, date]] = {}  # code -> (department, date)
        self.persons: list[Person] = []
        self.numbers: set[str] = set()
        self.number_list: list[str] = []
        self.records: list[dict] = []
        self.defects: list[dict] = []
        self.measure_seq = 0


def generate_dataset(out: Path, scale: Scale, seed: int, as_of: date) -> dict:
    g = Generator(scale, seed, as_of)
    g.build_population()
    inbox, later = out / "inbox", out / "next_night"
    tele = g.telemofpra_rows()
    genesis = g.genesis_rows()
    agdref = g.agdref_rows(as_of)
    files, rows_written = write_first_night(g, inbox, later, tele, genesis, agdref)
    next_day = as_of + timedelta(days=1)
    write_corrected_list(inbox, later, tele, scale, next_day)
    resolved = resolve_overdue(g, next_day)
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


def emit(g: Generator, path: Path, rows: list[dict], kind: str, xlsx: bool = False) -> int:
    """Break a few rows (Generator.defect), write the file; its number of rows."""
    g.defect(rows, path.name, kind)
    if xlsx:
        write_xlsx(path, rows, kind, g.as_of)
    else:
        write_csv(path, rows, kind, "cp1252" if kind == "telemofpra" else
                  ("utf-8-sig" if kind == "genesis" else "utf-8"))
    return len(rows)


def write_first_night(g: Generator, inbox: Path, later: Path,
                      tele: dict[tuple[str, date], list[dict]],
                      genesis: dict[tuple[str, date], list[dict]],
                      agdref: dict[tuple[str, str], list[dict]]) -> tuple[int, int]:
    """Every list and snapshot of the as-of date (one GENESIS list late, in the next
    night's folder); the files and rows written."""
    rows_per_file: list[int] = []
    # Next night: a late GENESIS list (out of order), a corrected TélémOfpra list (same
    # name, new content), a list delivered twice (same bytes, another date) and a new
    # AGDREF snapshot where some overdue persons now have their OQTF.
    late_key = sorted(genesis)[1] if len(genesis) > 1 else None
    for (dept, day), rows in sorted(tele.items()):
        name = f"TELEMOFPRA_{dept}_{day:%Y%m%d}.csv"
        rows_per_file.append(emit(g, inbox / "telemofpra" / name, rows, "telemofpra"))
    for (code, day), rows in sorted(genesis.items()):
        folder = later if (code, day) == late_key else inbox
        xlsx = g.rng.random() < REALISM["genesis_xlsx"]
        name = f"GENESIS_{code}_{day:%Y%m%d}.{'xlsx' if xlsx else 'csv'}"
        rows_per_file.append(emit(g, folder / "genesis" / name, rows, "genesis", xlsx))
    for (table, dept), rows in sorted(agdref.items()):
        name = f"AGDREF_{table}_{dept}_{g.as_of:%Y%m%d}.csv"
        rows_per_file.append(emit(g, inbox / "agdref" / name, rows, f"agdref_{table.lower()}"))
    return len(rows_per_file), sum(rows_per_file)


def write_corrected_list(inbox: Path, later: Path, tele: dict[tuple[str, date], list[dict]],
                         scale: Scale, next_day: date) -> None:
    """The next night's corrected TélémOfpra list, and the same list delivered twice."""
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


def resolve_overdue(g: Generator, next_day: date) -> dict[str, list[dict]]:
    """Some overdue persons have their OQTF in the next night's AGDREF snapshot."""
    resolved = {}
    for p in g.persons:
        if p.flaggable_on == REJECTED and p.agdref_numbers and g.rng.random() < 0.3:
            resolved[p.person_id] = [{
                "type": "OQTF", "basis": "L611-1-4", "decided": next_day, "notified": None,
                "ddv": 30, "situation": "LIBRE", "irtf": None, "acceptance": None,
                "appeal": "AUCUN", "status": "EN_VIGUEUR", "events": [], "member_state": "",
            }]
    return resolved
