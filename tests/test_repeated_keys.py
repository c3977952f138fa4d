"""Two rows of one file naming the same thing (CONTRACTS §1: "one row per AGDREF file",
one per measure; a committal number "unique within the establishment"): which one is true
cannot be told, so neither is staged. Both are quarantined (`unique_in_file`) and the
person they name is held until the file is corrected (RULES.md DQ-01, principle 1).
Before, the first line won and the other vanished without a trace."""

from __future__ import annotations

from datetime import date

from schemas.codes import MEASURES, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, Inbox

OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}
MEASURES_FILE = "AGDREF_MESURES_13_20261116.csv"


def checks(outcome) -> list[tuple]:
    return outcome.con.execute(
        "SELECT file_name, line_number, column_name, check_name FROM audit.quarantine "
        "ORDER BY ALL").fetchall()


def test_a_measure_annulled_on_a_second_row_of_the_snapshot_is_held(tmp_path, con):
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.measure(**OLD_ENOUGH)                                      # line 2: EN_VIGUEUR
    inbox.measure(STATUT="ANNULEE", RECOURS="ANNULE", **OLD_ENOUGH)  # line 3: same ID_MESURE
    outcome = inbox.decide(allow_quarantine=True)
    assert checks(outcome) == [(MEASURES_FILE, 2, "ID_MESURE", "unique_in_file"),
                               (MEASURES_FILE, 3, "ID_MESURE", "unique_in_file")]
    assert outcome.con.execute(
        "SELECT rows_read, rows_staged, rows_quarantined FROM audit.files "
        "WHERE file_name = ?", [MEASURES_FILE]).fetchall() == [(2, 0, 2)]
    assert not outcome.listed(MEASURES)


def test_a_file_naturalised_on_a_second_row_of_personnes_is_held(tmp_path, con):
    inbox = Inbox(tmp_path / "inbox", con).person()                  # line 2: ACTIF
    inbox.person(SITUATION="NATURALISE")                             # line 3: same number
    inbox.measure(**OLD_ENOUGH)
    outcome = inbox.decide(allow_quarantine=True)
    persons = "AGDREF_PERSONNES_13_20261116.csv"
    assert checks(outcome) == [(persons, 2, "NUM_AGDREF", "unique_in_file"),
                               (persons, 3, "NUM_AGDREF", "unique_in_file")]
    assert not outcome.listed(MEASURES)
    held = outcome.only_excluded(MEASURES)
    assert held["num_agdref"] == PERSON
    assert "SOURCE_ROW_QUARANTINED" in [held["reason_code"], *held["other_reasons"]]


def test_two_detainees_under_one_committal_number_are_both_accounted_for(tmp_path, con):
    release = {"DATE_LIBERATION_PREVISIBLE": "10/12/2026", "QUANTUM_TOTAL_JOURS": "400"}
    inbox = Inbox(tmp_path / "inbox", con)
    inbox.genesis(date(2026, 11, 10),
                  row("genesis", NUM_ECROU="000101", **release),
                  row("genesis", NUM_ECROU="000101", NOM="OKAFOR", PRENOMS="CHIDI",
                      DATE_NAISSANCE="02/02/1985", NATIONALITE="NIGERIA", **release),
                  row("genesis", NUM_ECROU="000102", **release))
    outcome = inbox.decide(allow_quarantine=True)
    genesis = "GENESIS_E01301_20261110.csv"
    assert checks(outcome) == [(genesis, 2, "NUM_ECROU", "unique_in_file"),
                               (genesis, 3, "NUM_ECROU", "unique_in_file")]
    # the committal's rows are held back, never listed; another committal is read as ever
    listed = [r["person_key"] for r in outcome.listed(RELEASES)]
    assert "genesis:E01301:000101" not in listed
    assert "genesis:E01301:000102" in listed or any(
        r["person_key"] == "genesis:E01301:000102" for r in outcome.excluded(RELEASES))
