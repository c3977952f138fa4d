"""The department folder as a unit reads it the morning after (README.md "For a
prefecture unit: the department folder", CONTRACTS §2): a flag that moved to another
department's list, a flag that left for a protection arriving on a later decision, the
prison row behind "Détenu", the guide naming every file."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from schemas import exports as contract
from schemas.codes import MEASURES, NOT_PURSUED, REJECTED, TAKEN, TO_DO
from tests.builders import row
from tests.scenarios import PERSON, Inbox
from transforms.publish import export

NIGHT_1, NIGHT_2 = date(2026, 11, 16), date(2026, 11, 17)
FINAL_LIST = date(2026, 10, 9)
REGISTERED = {"SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}


def folder(con, tmp_path: Path, department: str, night: date) -> Path:
    target = tmp_path / f"exports_{night:%Y%m%d}" / department
    export.write_department(export.load_lists(con, night), department, target, night)
    return target


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_a_flag_moved_to_another_department_leaves_one_folder_and_is_new_in_the_other(
        tmp_path, con):
    """RULES Boundaries ("when a person's domicile department differs between lists, the
    latest list decides"); CONTRACTS §2 (flag_id stable "so a unit sees what is new since
    the previous night"); README (resolus: "the flags that left a list tonight and why").
    Night 1 lists the rejection in 13; night 2, a list of 2A gives the same decision with
    domicile 2A. 13's folder says the flag left its list for another department's; 2A's
    shows it as new, under the same flag id."""
    inbox = Inbox(tmp_path / "inbox", con, marts=True).person().telemofpra(FINAL_LIST)
    flag = inbox.decide(NIGHT_1).only_listed(REJECTED)
    # 13's unit had taken it and recorded it not pursued (the person's file was 2A's)
    inbox.agent_decision(TAKEN, flag, REJECTED, assignee="agent13")
    inbox.agent_decision(NOT_PURSUED, flag, REJECTED)
    assert inbox.decide(NIGHT_1).only_listed(REJECTED)["handling_state"] == NOT_PURSUED
    inbox.agdref("PERSONNES", NIGHT_2)
    inbox.telemofpra_in("2A", NIGHT_2, DEPT_DOMICILIATION="2A")
    moved = inbox.decide(NIGHT_2).only_listed(REJECTED)
    assert (moved["department"], moved["flag_id"]) == ("2A", flag["flag_id"])
    # 2A's to handle: neither 13's agent nor 13's outcome, which 2A's pages do not show
    assert (moved["handling_state"], moved["assignee"]) == (TO_DO, None)
    thirteen, corsica = folder(con, tmp_path, "13", NIGHT_2), folder(con, tmp_path, "2A",
                                                                       NIGHT_2)
    assert not read(thirteen / "rejected_without_oqtf_20261117.csv")
    [left] = read(thirteen / "resolus_20261117.csv")
    assert (left["Identifiant signalement"], left["Motif de sortie"]) == (
        flag["flag_id"], contract.MOVED)
    assert not read(corsica / "resolus_20261117.csv")
    [arrived] = read(corsica / "rejected_without_oqtf_20261117.csv")
    assert (arrived["Identifiant signalement"], arrived["Nouveau"]) == (flag["flag_id"], "oui")


def test_a_flag_that_left_for_a_later_decision_gives_that_decision_s_reason(tmp_path, con):
    """README: resolus gives "the exclusion that now keeps the case off (its reason in
    French, rules and source rows), or NO_LONGER_CANDIDATE (the case is no longer in the
    files…)". The rejected list holds a person under the decision that ended their right
    to remain; night 2 registers a first re-examination (RTR-08): the person is excluded
    ASYLUM_PENDING under that decision's candidate id, and the flag left for that."""
    inbox = Inbox(tmp_path / "inbox", con, marts=True).person().telemofpra(FINAL_LIST)
    flag = inbox.decide(NIGHT_1).only_listed(REJECTED)
    inbox.agdref("PERSONNES", NIGHT_2)
    inbox.telemofpra(NIGHT_2, TYPE_DEMANDE="REEXAMEN", DATE_INTRODUCTION="13/11/2026",
                     **REGISTERED)
    assert inbox.decide(NIGHT_2).only_excluded(REJECTED)["reason_code"] == "ASYLUM_PENDING"
    [left] = read(folder(con, tmp_path, "13", NIGHT_2) / "resolus_20261117.csv")
    assert (left["Identifiant signalement"], left["Motif de sortie"]) == (
        flag["flag_id"], "ASYLUM_PENDING")
    assert "TELEMOFPRA_13_20261117.csv:2" in left["Lignes sources"].split(" | ")


def test_a_measure_shown_detained_cites_the_prison_row_and_the_guide_names_every_file(
        tmp_path, con):
    """RULES principle 2 ("each flag shows its facts ... and the source rows it came
    from"): `in_detention` (Détenu = oui) is read from the establishment's latest GENESIS
    list, whose row is cited. README: README.txt describes every file of the folder,
    the dashboard included."""
    inbox = Inbox(tmp_path / "inbox", con, marts=True).person()
    inbox.measure(DATE_DECISION="15/06/2026", DATE_NOTIFICATION="16/06/2026",
                  SITUATION_NOTIFICATION="LIBRE", DELAI_DEPART_JOURS="")
    inbox.genesis(date(2026, 11, 12), row(
        "genesis", NUM_AGDREF=PERSON, NOM="DIALLO", PRENOMS="MAMADOU",
        DATE_NAISSANCE="14/03/1990", NATIONALITE="GUINEE"))
    assert inbox.decide(NIGHT_1).only_listed(MEASURES)["in_detention"] is True
    target = folder(con, tmp_path, "13", NIGHT_1)
    [measure] = read(target / "unexecuted_measures_20261116.csv")
    assert measure["Détenu"] == "oui"
    assert "GENESIS_E01301_20261112.csv:2" in measure["Lignes sources"].split(" | ")
    guide = (target / contract.README_NAME).read_text(encoding="utf-8-sig")
    written = [p.name for p in target.glob("*.csv")]
    assert written and all(name in guide for name in written), (written, guide[:400])
    assert "tableau_de_bord.html" in guide
