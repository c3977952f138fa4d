"""One person, several facts at once (RULES.md principle 1, EX-04, RTR-09, DQ-01): an
absconding recorded on any measure of the file extends a Dublin transfer; a transfer
without its acceptance date keeps the person off the rejected list; two departments'
snapshots of one date disagreeing about a file or a measure keep the row that protects;
a file row quarantined tonight holds the records that give its number, on every list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, Inbox

FINAL_LIST = date(2026, 10, 9)  # the builders' rejection: notified 07/09, final 09/10/2026
OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}
NEXT = RUN + timedelta(days=1)
NOTIFIED = OLD_ENOUGH


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


DUBLIN = {"ID_MESURE": "M01300000002", "TYPE_MESURE": "TRANSFERT_DUBLIN",
          "FONDEMENT": "L572-1", "DELAI_DEPART_JOURS": "",
          "DATE_ACCORD_ETAT_MEMBRE": "02/03/2026",  # 6 months: 02/09/2026; 18: 02/09/2027
          "DATE_DECISION": "05/03/2026", "DATE_NOTIFICATION": "06/03/2026"}


def test_ex_04_an_absconding_recorded_on_the_person_s_oqtf_extends_the_transfer(inbox):
    inbox.measure(ID_MESURE="M01300000001", DATE_DECISION="01/02/2026",
                  DATE_NOTIFICATION="03/02/2026").measure(**DUBLIN)
    inbox.event(ID_MESURE="M01300000001", TYPE_EVENEMENT="ASSIGNATION_RESIDENCE",
                DATE_EVENEMENT="01/04/2026")
    inbox.event(ID_MESURE="M01300000001", TYPE_EVENEMENT="FUITE", DATE_EVENEMENT="10/05/2026")
    out = inbox.decide()
    dublin = [r for r in out.listed(MEASURES) + out.excluded(MEASURES)
              if r["measure_id"] == "M01300000002"][0]
    assert dublin.get("reason_code") != "DUBLIN_DEADLINE_EXPIRED", dublin


def test_rtr_09_the_absconded_person_is_still_in_the_dublin_procedure(inbox):
    inbox.measure(ID_MESURE="M01300000001", DATE_DECISION="01/02/2026",
                  DATE_NOTIFICATION="03/02/2026", RECOURS="ANNULE").measure(**DUBLIN)
    inbox.event(ID_MESURE="M01300000001", TYPE_EVENEMENT="FUITE", DATE_EVENEMENT="10/05/2026")
    out = inbox.telemofpra(FINAL_LIST).decide()
    assert out.reason(REJECTED) == "ASYLUM_PENDING"


# F3 -- RTR-09 + principle 1: a transfer in force whose acceptance date is missing

def test_rtr_09_a_transfer_in_force_without_acceptance_date_keeps_off_the_rejected_list(inbox):
    inbox.measure(TYPE_MESURE="TRANSFERT_DUBLIN", FONDEMENT="L572-1", DELAI_DEPART_JOURS="",
                  DATE_ACCORD_ETAT_MEMBRE="", DATE_DECISION="20/10/2026",
                  DATE_NOTIFICATION="22/10/2026")
    out = inbox.telemofpra(FINAL_LIST).decide()
    assert not out.listed(REJECTED)


# F4 -- principle 1: the same file / measure in two departments' latest AGDREF snapshots

def test_a_measure_another_department_s_snapshot_of_the_day_says_annulled(inbox):
    inbox.measure(**OLD_ENOUGH)                                   # 13: in force
    inbox.add(f"AGDREF_MESURES_75_{RUN:%Y%m%d}.csv", "agdref_mesures",
              row("agdref_mesures", STATUT="ANNULEE", **OLD_ENOUGH))  # 75: annulled
    out = inbox.decide()
    assert not out.listed(MEASURES)


def test_a_file_another_department_s_snapshot_of_the_day_says_deceased(inbox):
    inbox.measure(**OLD_ENOUGH)
    inbox.add(f"AGDREF_PERSONNES_75_{RUN:%Y%m%d}.csv", "agdref_personnes",
              row("agdref_personnes", DEPT_GESTION="75", SITUATION="DECEDE"))
    out = inbox.decide()
    assert not out.listed(MEASURES)


def test_an_annulment_in_another_department_s_extract_of_the_next_night_holds(tmp_path, con):
    """Night 1: the OQTF is listed. Night 2: the file has moved to department 84, whose
    extract of the night records the OQTF annulled; department 13's extract of the same
    night still holds the old row. RULES principle 1 / EX-02: not listed."""
    inbox = Inbox(tmp_path / "inbox", con).person().measure(**NOTIFIED)
    inbox.decide(RUN).only_listed(MEASURES)
    inbox.agdref("PERSONNES", NEXT).agdref("MESURES", NEXT, **NOTIFIED)
    inbox.add(f"AGDREF_PERSONNES_84_{NEXT:%Y%m%d}.csv", "agdref_personnes",
              row("agdref_personnes", DEPT_GESTION="84"))
    inbox.add(f"AGDREF_MESURES_84_{NEXT:%Y%m%d}.csv", "agdref_mesures",
              row("agdref_mesures", **NOTIFIED, STATUT="ANNULEE"))
    out = inbox.decide(NEXT)
    assert not out.listed(MEASURES)


def test_a_minor_s_birth_date_in_another_department_s_extract_of_the_next_night_holds(
        tmp_path, con):
    """Night 2: department 84's extract of the night gives the file a birth date in 2010
    (a minor, OQ-03); department 13's of the same night still says 1990."""
    inbox = Inbox(tmp_path / "inbox", con).person().measure(**NOTIFIED)
    inbox.decide(RUN).only_listed(MEASURES)
    inbox.agdref("PERSONNES", NEXT).agdref("MESURES", NEXT, **NOTIFIED)
    inbox.add(f"AGDREF_PERSONNES_84_{NEXT:%Y%m%d}.csv", "agdref_personnes",
              row("agdref_personnes", DEPT_GESTION="84", DATE_NAISSANCE="14/03/2010"))
    out = inbox.decide(NEXT)
    assert not out.listed(MEASURES)


KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}


@pytest.mark.parametrize(("held_on", "transfer_listed"), [(date(2026, 2, 20), False),
                                                          (date(2026, 3, 20), True)])
def test_rtr_09_a_person_a_late_prison_list_still_shows_held_stays_in_the_procedure(
        inbox, held_on, transfer_listed):
    """RTR-09 with EX-04: accepted on 02/03/2026, the transfer lapses on 02/09/2026 (6
    months) unless the person was imprisoned since (12 months: 02/03/2027). The latest
    list of the establishment still shows them held (PRI-01: the truth for it), dated
    before the acceptance or after: held since as far as anyone knows, so still in the
    Dublin procedure and off the rejected list. The measures list extends the transfer
    only on a list dated on or after the acceptance (only recorded facts delay France's
    responsibility)."""
    inbox.measure(**DUBLIN)
    inbox.genesis(held_on, row("genesis", DATE_ECROU="10/02/2026", **KNOWN))
    out = inbox.telemofpra(FINAL_LIST).decide()
    assert out.reason(REJECTED) == "ASYLUM_PENDING"
    assert "RTR-09" in out.only_excluded(REJECTED)["rule_ids"]
    if transfer_listed:
        assert out.only_listed(MEASURES)["measure_id"] == DUBLIN["ID_MESURE"]
    else:
        assert out.reason(MEASURES) == "DUBLIN_DEADLINE_EXPIRED"


def test_dq_01_a_detainee_whose_file_row_is_quarantined_tonight_waits(tmp_path, con):
    """Night 1: the detainee (GENESIS gives the AGDREF number) is listed
    ENFORCEABLE_MEASURE. Night 2: that number's PERSONNES row in the night's extract is
    quarantined (its birth date 31/02/2009 cannot be read: maybe a minor). DQ-01: the
    row names the person by a well-formed AGDREF number and is newer than the list that
    would list them: excluded SOURCE_ROW_QUARANTINED."""
    inbox = Inbox(tmp_path / "inbox", con).person().measure(
        **NOTIFIED, SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    inbox.genesis(date(2026, 11, 12), row("genesis", **KNOWN))
    assert inbox.decide(RUN).only_listed(RELEASES)["situation"] == "ENFORCEABLE_MEASURE"
    inbox.agdref("PERSONNES", NEXT, DATE_NAISSANCE="31/02/2009")
    inbox.agdref("MESURES", NEXT, **NOTIFIED, SITUATION_NOTIFICATION="DETENU",
                 DELAI_DEPART_JOURS="")
    out = inbox.decide(NEXT, allow_quarantine=True)
    assert out.quarantined() == [(f"AGDREF_PERSONNES_13_{NEXT:%Y%m%d}.csv", 2)]
    # the measures list reads the quarantined row: its measure waits
    assert out.reason(MEASURES) == "SOURCE_ROW_QUARANTINED"
    assert out.reason(RELEASES) == "SOURCE_ROW_QUARANTINED"


def test_dq_01_the_rejected_list_names_the_quarantined_file_row(tmp_path, con):
    """Same on the rejected list: the TélémOfpra row gives the AGDREF number whose
    PERSONNES row is quarantined tonight; excluded, but SOURCE_ROW_QUARANTINED is
    neither the reason nor among other_reasons (§5: every reason that applies)."""
    inbox = Inbox(tmp_path / "inbox", con).telemofpra(date(2026, 10, 9)).person().title()
    inbox.decide(RUN).only_listed(REJECTED)
    inbox.agdref("PERSONNES", NEXT, DATE_NAISSANCE="31/02/2009").agdref("TITRES", NEXT)
    excluded = inbox.decide(NEXT, allow_quarantine=True).only_excluded(REJECTED)
    assert "SOURCE_ROW_QUARANTINED" in [excluded["reason_code"], *excluded["other_reasons"]]


def test_an_exclusion_carries_the_rules_and_rows_of_every_reason_that_applies(tmp_path, con):
    """Principle 2: a minor holding a residence permit is excluded for one reason, the
    other in other_reasons; the exclusion cites the rules and the rows of both."""
    inbox = Inbox(tmp_path / "inbox", con).person(DATE_NAISSANCE="14/03/2010").title(
        TYPE_TITRE="CST", DATE_DEBUT="01/11/2026", DATE_FIN="31/10/2027", STATUT="VALIDE")
    excluded = inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="14/03/2010").decide(
        ).only_excluded(REJECTED)
    reasons = [excluded["reason_code"], *excluded["other_reasons"]]
    assert sorted(reasons) == ["MINOR", "RESIDENCE_PERMIT"], reasons
    assert "OQ-03" in excluded["rule_ids"] and "OQ-01" in excluded["rule_ids"]
    assert any("TITRES" in r for r in excluded["source_rows"]), excluded["source_rows"]


# Principle 1 / §5 IDENTITY_CONFLICT: two departments' snapshots of one date that
# disagree about who the file's holder is. Which row is true is uncertain: the person is
# excluded with the reason, both rows cited, on every list, until the extracts agree.

SAME_DAY_75 = f"AGDREF_PERSONNES_75_{RUN:%Y%m%d}.csv"


def other_department_says(inbox: Inbox, **values) -> Inbox:
    """Department 75's extract of the run date holds the same file, with `values`."""
    return inbox.add(SAME_DAY_75, "agdref_personnes",
                     row("agdref_personnes", DEPT_GESTION="75", **values))


@pytest.mark.parametrize("values", [{"NATIONALITE": "ITA"}, {"SEXE": "F"},
                                    {"DATE_NAISSANCE": "14/03/1988"},
                                    {"NOM": "CAMARA", "PRENOMS": "IBRAHIMA"}],
                         ids=["eu_nationality", "sex", "birth_date", "names"])
def test_a_measure_whose_file_two_departments_describe_otherwise_is_excluded(inbox, values):
    inbox.measure(**OLD_ENOUGH)
    excluded = other_department_says(inbox, **values).decide().only_excluded(MEASURES)
    assert "IDENTITY_CONFLICT" in [excluded["reason_code"], *excluded["other_reasons"]]
    assert "EX-03" in excluded["rule_ids"]
    assert f"{SAME_DAY_75}:2" in excluded["source_rows"], excluded["source_rows"]
    assert f"AGDREF_PERSONNES_13_{RUN:%Y%m%d}.csv:2" in excluded["source_rows"]


def test_a_rejected_claimant_whose_file_two_departments_describe_otherwise_is_excluded(inbox):
    inbox.title().telemofpra(FINAL_LIST)
    excluded = other_department_says(inbox, DATE_NAISSANCE="14/03/1988").decide(
        ).only_excluded(REJECTED)
    assert excluded["reason_code"] == "IDENTITY_CONFLICT", excluded
    assert f"{SAME_DAY_75}:2" in excluded["source_rows"]


def test_a_detainee_whose_file_two_departments_describe_otherwise_is_excluded(inbox):
    inbox.measure(**NOTIFIED, SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    inbox.genesis(date(2026, 11, 12), row("genesis", **KNOWN))
    excluded = other_department_says(inbox, NATIONALITE="ITA").decide(
        ).only_excluded(RELEASES)
    assert "IDENTITY_CONFLICT" in [excluded["reason_code"], *excluded["other_reasons"]]
    assert f"{SAME_DAY_75}:2" in excluded["source_rows"]


def test_two_departments_describing_the_file_alike_keep_the_measure_listed(inbox):
    """The file in both extracts of the day with the same facts (only the managing
    department differs): nothing is uncertain, the measure is listed."""
    inbox.measure(**OLD_ENOUGH)
    assert other_department_says(inbox).decide().only_listed(MEASURES)


REGISTERED = {"SENS_DECISION": "", "FONDEMENT": "", "DATE_DECISION": "", "MODE_CNDA": "",
              "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}
EARLY_END = {"SENS_DECISION": "IRRECEVABILITE", "FONDEMENT": "L531-32-1",
             "DATE_INTRODUCTION": "01/04/2026", "DATE_DECISION": "01/09/2026",
             "DATE_NOTIFICATION": "05/09/2026", "DATE_DEFINITIVE": ""}
ORDONNANCE = {"ORGANE": "CNDA", "MODE_CNDA": "ORDONNANCE", "SENS_DECISION": "REJET",
              "FONDEMENT": "", "DATE_INTRODUCTION": "01/04/2026",
              "DATE_DECISION": "10/11/2026", "DATE_NOTIFICATION": "", "DATE_DEFINITIVE": ""}
DETAINEE = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
            "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE",
            "DATE_LIBERATION_PREVISIBLE": "15/01/2027"}


@pytest.mark.parametrize(("later", "marker"), [
    ({"NUM_OFPRA": "OF20250000001", "TYPE_DEMANDE": "REEXAMEN_MULTIPLE",
      "DATE_INTRODUCTION": "10/11/2026", **REGISTERED}, "NO_CONSULAR_CONTACT"),
    (ORDONNANCE, "EXECUTION_AFTER_NOTIFICATION")])
def test_a_marker_from_another_row_of_the_claims_cites_that_row_on_every_list(
        inbox, later, marker):
    """Principle 2 ("each flag shows its facts, ... and the source rows it came from"),
    markers "carried on every list where the person appears". After the final rejection
    (list of 09/10), a second re-examination registered on 13/11 gives no right to remain
    but NO_CONSULAR_CONTACT (RTR-08, PRI-07); after an early end at OFPRA (RTR-06), an
    ordonnance signed on 10/11 and not notified gives EXECUTION_AFTER_NOTIFICATION
    (RTR-05) and holds the OQTF (OQ-07). The OQTF, of 2023, is no longer coercible
    (OQ-08), so the rejected list lists the person too. Every flag and exclusion of the
    person cites the row of 13/11 that gives it, and every flag the rule that makes the
    rejection final (OFPRA_DOCUMENTS_REQUESTABLE, RTR-03)."""
    inbox.telemofpra(FINAL_LIST, **({} if marker == "NO_CONSULAR_CONTACT" else EARLY_END))
    inbox.telemofpra(date(2026, 11, 13), **later)
    inbox.genesis(date(2026, 11, 12), row("genesis", **DETAINEE))
    inbox.measure(DATE_DECISION="01/03/2023", DATE_NOTIFICATION="03/03/2023")
    out = inbox.decide()
    for worklist in (REJECTED, RELEASES, MEASURES):
        [found] = out.listed(worklist) or out.excluded(worklist)
        assert "TELEMOFPRA_13_20261113.csv:2" in found["source_rows"], (worklist, found)
        assert marker in found.get("markers", [marker]), (worklist, found)
        if marker == "NO_CONSULAR_CONTACT":  # and the final rejection's marker, with RTR-03
            assert "OFPRA_DOCUMENTS_REQUESTABLE" in found["markers"], (worklist, found)
            assert "RTR-03" in found["rule_ids"], (worklist, found)
    if marker == "EXECUTION_AFTER_NOTIFICATION":
        held = out.only_excluded(MEASURES)
        assert (held["reason_code"], "RTR-05" in held["rule_ids"]) == (
            "NOT_YET_ENFORCEABLE", True)
