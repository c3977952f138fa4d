"""Removal measures not executed: RULES.md §4 (EX-01…05), OQ-05…08, RTR-02, RTR-05
and the exclusions of §5, each from a tiny inbox as of RUN (16/11/2026)."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, SECOND, Inbox, fr, measure_of, someone

OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


def test_ex_03_enforceable_oqtf_without_execution_is_listed(inbox):
    inbox.measure(**OLD_ENOUGH).event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER",
                                      DATE_EVENEMENT="10/05/2026")
    flag = inbox.decide().only_listed(MEASURES)
    assert flag["measure_id"] == "M01300000001" and flag["num_agdref"] == PERSON
    assert flag["enforceable_from"] == date(2026, 4, 3)  # OQ-07: notification + 1 month
    assert flag["days_since_enforceable"] == (RUN - date(2026, 4, 3)).days
    assert flag["coercible_until"] == date(2029, 3, 1) and flag["is_coercible"]
    assert flag["last_event_type"] == "DEMANDE_LAISSEZ_PASSER"
    assert flag["last_event_date"] == date(2026, 5, 10)
    assert not flag["in_detention"] and flag["markers"] == []
    assert {"EX-01", "EX-03", "OQ-05", "OQ-06", "OQ-07", "OQ-08"} <= set(flag["rule_ids"])
    assert flag["source_rows"] == ["AGDREF_MESURES_13_20261116.csv:2",
                                   "AGDREF_PERSONNES_13_20261116.csv:2",
                                   "AGDREF_EVENEMENTS_13_20261116.csv:2"]


TRACKED = {
    "OQTF": {}, "APE": {"DELAI_DEPART_JOURS": ""}, "AME": {"DELAI_DEPART_JOURS": ""},
    "ITF": {"DELAI_DEPART_JOURS": "", "DATE_NOTIFICATION": ""},
    "REMISE": {"DELAI_DEPART_JOURS": "", "DATE_ACCORD_ETAT_MEMBRE": "25/02/2026"},
    "TRANSFERT_DUBLIN": {"DELAI_DEPART_JOURS": "", "DATE_ACCORD_ETAT_MEMBRE": "15/08/2026",
                         "DATE_DECISION": "20/08/2026", "DATE_NOTIFICATION": "22/08/2026"},
}
CLOSED = ("ANNULEE", "ABROGEE", "RETIREE", "EXECUTEE")


def test_ex_01_every_tracked_measure_type_and_ex_02_every_closed_status(tmp_path, con):
    """EX-01: each tracked type of measure, enforceable, is listed (an OQTF with its
    coercion limit, OQ-08; the others without). EX-02: a measure annulled, abrogated,
    withdrawn or executed is excluded MEASURE_CLOSED. One person per case, one night."""
    inbox = Inbox(tmp_path / "inbox", con)
    cases = [*((t, {"TYPE_MESURE": t, **extra}) for t, extra in TRACKED.items()),
             *((s, {"STATUT": s}) for s in CLOSED)]
    for n, (_, values) in enumerate(cases):
        inbox.person(**someone(n)).measure(**{**OLD_ENOUGH, **values,
                                              "NUM_AGDREF": someone(n)["NUM_AGDREF"],
                                              "ID_MESURE": measure_of(n)})
    out = inbox.decide()
    listed = {f["measure_id"]: f for f in out.listed(MEASURES)}
    excluded = {x["measure_id"]: x for x in out.excluded(MEASURES)}
    for n, (case, _) in enumerate(cases):
        if case in TRACKED:
            flag = listed[measure_of(n)]
            assert flag["measure_type"] == case
            assert flag["is_coercible"] and (flag["coercible_until"] is None) == (
                case != "OQTF"), case
        else:
            assert measure_of(n) not in listed, case
            x = excluded[measure_of(n)]
            assert (x["reason_code"], x["rule_ids"]) == ("MEASURE_CLOSED", ["EX-02"]), case


@pytest.mark.parametrize("event", ["ELOIGNEMENT_EXECUTE", "DEPART_VOLONTAIRE_CONSTATE"])
def test_ex_02_recorded_departure_closes_the_measure(inbox, event):
    inbox.measure(**OLD_ENOUGH).event(TYPE_EVENEMENT=event, DATE_EVENEMENT="01/06/2026")
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "MEASURE_CLOSED"
    assert "AGDREF_EVENEMENTS_13_20261116.csv:2" in excluded["source_rows"]


def test_ex_02_annulled_by_the_court_is_closed(inbox):
    inbox.measure(RECOURS="ANNULE", **OLD_ENOUGH)
    assert inbox.decide().reason(MEASURES) == "MEASURE_CLOSED"


@pytest.mark.parametrize("appeal", ["EN_COURS", ""])
def test_oq_06_pending_challenge(inbox, appeal):
    """OQ-06: no removal while a challenge is pending. An empty RECOURS is unknown
    (CONTRACTS §1 "empty field = unknown"), not AUCUN: a challenge lodged in time may be
    pending, and principle 1 keeps the measure off the list."""
    inbox.measure(RECOURS=appeal, **OLD_ENOUGH)
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "APPEAL_PENDING" and excluded["rule_ids"] == ["OQ-06"]


LAST_OPEN_DAY, FIRST_DAY = RUN, date(2026, 11, 17)


WINDOWS = [
    ("LIBRE", date(2026, 10, 17)),    # one month
    (None, date(2026, 10, 17)),       # unknown situation: read as liberty
    ("DETENU", date(2026, 11, 10)),   # 7 days
    ("ASSIGNE", date(2026, 11, 10)),
    ("RETENU", date(2026, 11, 15)),   # 48 hours
]


def test_oq_06_challenge_window_by_situation(tmp_path, con):
    """OQ-06: the window by the situation at notification, each closing on 16/11 (one
    person per situation): the window runs, no challenge recorded, so not yet
    enforceable (APPEAL_PENDING is for a challenge actually pending, RECOURS =
    EN_COURS); enforceable from 17/11."""
    inbox = Inbox(tmp_path / "inbox", con)
    for n, (situation, notified) in enumerate(WINDOWS):
        inbox.person(**someone(n)).measure(
            NUM_AGDREF=someone(n)["NUM_AGDREF"], ID_MESURE=measure_of(n),
            SITUATION_NOTIFICATION=situation or "", DATE_DECISION=fr(notified),
            DATE_NOTIFICATION=fr(notified), DELAI_DEPART_JOURS="0")
    out = inbox.decide(LAST_OPEN_DAY)
    assert not out.listed(MEASURES) and len(out.excluded(MEASURES)) == len(WINDOWS)
    for x in out.excluded(MEASURES):
        assert x["reason_code"] == "NOT_YET_ENFORCEABLE" and "OQ-06" in x["rule_ids"], x
        assert "APPEAL_PENDING" not in x["other_reasons"]
    out = inbox.decide(FIRST_DAY)
    assert not out.excluded(MEASURES)
    assert sorted((f["measure_id"], f["enforceable_from"]) for f in out.listed(MEASURES)) \
        == [(measure_of(n), FIRST_DAY) for n in range(len(WINDOWS))]


def test_oq_05_departure_period_keeps_the_measure_not_yet_enforceable(inbox):
    inbox.measure(DATE_DECISION="18/09/2026", DATE_NOTIFICATION="18/09/2026",
                  DELAI_DEPART_JOURS="60")
    excluded = inbox.decide(LAST_OPEN_DAY).only_excluded(MEASURES)
    assert excluded["reason_code"] == "NOT_YET_ENFORCEABLE"
    assert "OQ-05" in excluded["rule_ids"]
    assert inbox.decide(FIRST_DAY).only_listed(MEASURES)["enforceable_from"] == FIRST_DAY


def test_oq_05_empty_departure_period_means_none_granted(inbox):
    # No DDV (CONTRACTS §1.3): the challenge window alone, 31 January + one month =
    # 28 February (OQ-06, OQ-07); 30 days would have given 2 March.
    inbox.measure(DATE_DECISION="31/01/2026", DATE_NOTIFICATION="31/01/2026",
                  DELAI_DEPART_JOURS="")
    assert inbox.decide().only_listed(MEASURES)["enforceable_from"] == date(2026, 2, 28)


def test_oq_07_never_notified_is_not_enforceable(inbox):
    inbox.measure(DATE_DECISION="01/03/2026", DATE_NOTIFICATION="")
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "NOT_YET_ENFORCEABLE"
    assert excluded["rule_ids"] == ["OQ-07"]


def test_oq_08_oqtf_three_years_old_is_listed_not_coercible(inbox):
    inbox.measure(DATE_DECISION=fr(date(2023, 11, 16)), DATE_NOTIFICATION="20/11/2023")
    flag = inbox.decide().only_listed(MEASURES)
    assert not flag["is_coercible"] and flag["markers"] == ["NOT_COERCIBLE"]
    assert flag["coercible_until"] == RUN


def test_oq_08_coercion_window_last_day(inbox):
    inbox.measure(DATE_DECISION=fr(date(2023, 11, 17)), DATE_NOTIFICATION="20/11/2023")
    assert inbox.decide().only_listed(MEASURES)["is_coercible"]


def test_ex_04_dublin_transfer_lapses_after_six_months(inbox):
    inbox.measure(TYPE_MESURE="TRANSFERT_DUBLIN", DATE_ACCORD_ETAT_MEMBRE="17/05/2026",
                  DATE_DECISION="20/05/2026", DATE_NOTIFICATION="22/05/2026",
                  DELAI_DEPART_JOURS="")
    # 17/05 + 6 months = 17/11: still executable on the anniversary, lapsed the day after
    assert inbox.decide(FIRST_DAY).listed(MEASURES)
    excluded = inbox.decide(date(2026, 11, 18)).only_excluded(MEASURES)
    assert excluded["reason_code"] == "DUBLIN_DEADLINE_EXPIRED"
    assert excluded["rule_ids"] == ["EX-04"]


def test_ex_04_absconding_extends_the_dublin_deadline_to_eighteen_months(inbox):
    inbox.measure(TYPE_MESURE="TRANSFERT_DUBLIN", DATE_ACCORD_ETAT_MEMBRE="16/01/2026",
                  DATE_DECISION="20/01/2026", DATE_NOTIFICATION="22/01/2026",
                  DELAI_DEPART_JOURS="")
    inbox.event(TYPE_EVENEMENT="FUITE", DATE_EVENEMENT="01/03/2026")
    flag = inbox.decide().only_listed(MEASURES)
    assert "EX-04" in flag["rule_ids"] and flag["last_event_type"] == "FUITE"


@pytest.mark.parametrize(("absconded_on", "reason"), [
    ("15/01/2026", "DUBLIN_DEADLINE_EXPIRED"),  # the day before the acceptance
    ("16/01/2026", None),                       # the day of the acceptance
    ("16/07/2026", None),                       # the time limit's last day
    ("17/07/2026", "DUBLIN_DEADLINE_EXPIRED"),  # the day after: already lapsed
])
def test_ex_04_only_an_absconding_since_the_acceptance_extends_the_deadline(
        inbox, absconded_on, reason):
    # Accepted 16/01/2026: 6 months ran out on 16/07; 18 months only for an absconding
    # during the transfer's time limit (Reg. 604/2013 art. 29(2)), as imprisonment
    # "since the acceptance": an older one never delays France's responsibility, and a
    # lapsed transfer stays lapsed (audit of 2026-12-06: before, an absconding after
    # 16/07 revived it).
    inbox.measure(TYPE_MESURE="TRANSFERT_DUBLIN", DATE_ACCORD_ETAT_MEMBRE="16/01/2026",
                  DATE_DECISION="20/01/2026", DATE_NOTIFICATION="22/01/2026",
                  DELAI_DEPART_JOURS="")
    inbox.event(TYPE_EVENEMENT="FUITE", DATE_EVENEMENT=absconded_on)
    out = inbox.decide()
    if reason is None:
        assert out.only_listed(MEASURES)["last_event_type"] == "FUITE"
    else:
        assert out.reason(MEASURES) == reason


def test_ex_04_imprisonment_extends_the_dublin_deadline_to_twelve_months(inbox):
    inbox.measure(TYPE_MESURE="TRANSFERT_DUBLIN", DATE_ACCORD_ETAT_MEMBRE="16/03/2026",
                  DATE_DECISION="20/03/2026", DATE_NOTIFICATION="22/03/2026",
                  DELAI_DEPART_JOURS="")
    inbox.genesis(date(2026, 11, 12), row("genesis", NUM_AGDREF=PERSON, NOM="DIALLO",
                                          PRENOMS="MAMADOU", DATE_NAISSANCE="14/03/1990",
                                          NATIONALITE="GUINEE"))
    flag = inbox.decide().only_listed(MEASURES)
    assert flag["in_detention"]
    # principle 2: listed only thanks to the 12 months, the flag cites the detention
    assert "GENESIS_E01301_20261112.csv:2" in flag["source_rows"], flag["source_rows"]


@pytest.mark.parametrize(("number_given", "listed"), [(PERSON, False), (SECOND, True)])
def test_ex_04_only_a_detention_firmly_tied_to_the_file_extends_the_deadline(
        inbox, number_given, listed):
    # The transfer is on a second file the model merged with the detainee's: a stranger
    # of one name, birth date and entry date may hold it, so the detention extends its
    # deadline only when the detainee's row gave that file's number.
    inbox.others().second_file()
    inbox.measure(NUM_AGDREF=SECOND, TYPE_MESURE="TRANSFERT_DUBLIN",
                  DATE_ACCORD_ETAT_MEMBRE="16/03/2026", DATE_DECISION="20/03/2026",
                  DATE_NOTIFICATION="22/03/2026", DELAI_DEPART_JOURS="")
    inbox.genesis(date(2026, 11, 12), row("genesis", NUM_AGDREF=number_given, NOM="DIALLO",
                                          PRENOMS="MAMADOU", DATE_NAISSANCE="14/03/1990",
                                          NATIONALITE="GUINEE"))
    out = inbox.decide()
    merged = out.con.execute("SELECT DISTINCT link_rule FROM core.person_links WHERE "
                             "record_key = ?", [f"agdref:{SECOND}"]).fetchall()
    assert merged == [("AGDREF_DUPLICATE",)]
    if listed:
        assert out.only_listed(MEASURES)["in_detention"]
    else:
        assert out.reason(MEASURES) == "DUBLIN_DEADLINE_EXPIRED"


def test_ex_04_dublin_without_acceptance_date_is_not_chased(inbox):
    inbox.measure(TYPE_MESURE="TRANSFERT_DUBLIN", DELAI_DEPART_JOURS="", **OLD_ENOUGH)
    assert inbox.decide().reason(MEASURES) == "DUBLIN_DEADLINE_EXPIRED"


def test_ex_05_valid_asylum_attestation_suspends_the_measure(inbox):
    inbox.measure(**OLD_ENOUGH).title(TYPE_TITRE="ADA", DATE_DEBUT="01/10/2026",
                                      DATE_FIN="01/04/2027", STATUT="VALIDE")
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "SUSPENDED_BY_RTR"
    assert {"EX-05", "RTR-01"} <= set(excluded["rule_ids"])


@pytest.mark.parametrize("measure_decided", ["20/06/2026", "01/03/2026"])
def test_rtr_07_a_closure_still_reopenable_excludes_the_measure_as_on_every_list(
        inbox, measure_decided):
    # Closure notified 07/06/2026: reopenable until 07/03/2027, whether the OQTF came
    # after the closure or before the claim (RTR-07: CLOSURE_REOPENABLE, every list).
    inbox.measure(DATE_DECISION=measure_decided, DATE_NOTIFICATION=measure_decided,
                  DELAI_DEPART_JOURS="")
    inbox.telemofpra(date(2026, 6, 12), SENS_DECISION="CLOTURE", FONDEMENT="L531-37",
                     DATE_INTRODUCTION="01/04/2026", DATE_DECISION="01/06/2026",
                     DATE_NOTIFICATION="07/06/2026", DATE_DEFINITIVE="")
    out = inbox.decide()
    excluded = out.only_excluded(MEASURES)
    assert excluded["reason_code"] == "CLOSURE_REOPENABLE"
    assert "RTR-07" in excluded["rule_ids"]
    assert out.reason(REJECTED) == "CLOSURE_REOPENABLE"


def test_rtr_02_claim_after_the_measure_suspends_it_until_its_end(inbox):
    inbox.measure(**OLD_ENOUGH)
    inbox.telemofpra(date(2026, 10, 2), DATE_INTRODUCTION="01/04/2026",
                     DATE_DECISION="20/09/2026", DATE_NOTIFICATION="25/09/2026",
                     DATE_DEFINITIVE="")
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "SUSPENDED_BY_RTR"
    assert {"EX-05", "RTR-02"} <= set(excluded["rule_ids"])  # §5: SUSPENDED_BY_RTR is EX-05
    # Once the rejection is reported final, execution may start from its end.
    inbox.telemofpra(date(2026, 10, 30), DATE_INTRODUCTION="01/04/2026",
                     DATE_DECISION="20/09/2026", DATE_NOTIFICATION="25/09/2026",
                     DATE_DEFINITIVE="27/10/2026")
    flag = inbox.decide().only_listed(MEASURES)
    assert flag["enforceable_from"] == date(2026, 9, 25) and "RTR-02" in flag["rule_ids"]
    # RTR-08: a second re-examination, found inadmissible and notified on 10/11, gave no
    # right to remain: it never held the measure back, which stays enforceable since 25/09
    inbox.telemofpra(date(2026, 11, 13), NUM_OFPRA="OF20260000003",
                     TYPE_DEMANDE="REEXAMEN_MULTIPLE", DATE_INTRODUCTION="01/10/2026",
                     SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-3",
                     DATE_DECISION="05/11/2026", DATE_NOTIFICATION="10/11/2026",
                     DATE_DEFINITIVE="")
    assert inbox.decide().only_listed(MEASURES)["enforceable_from"] == date(2026, 9, 25)


def test_rtr_05_measure_waits_for_the_ordonnance_notification(inbox):
    inbox.measure(**OLD_ENOUGH)
    inbox.telemofpra(date(2026, 11, 13), ORGANE="CNDA", MODE_CNDA="ORDONNANCE",
                     DATE_DECISION="10/11/2026", DATE_NOTIFICATION="", DATE_DEFINITIVE="")
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "NOT_YET_ENFORCEABLE" and excluded["rule_ids"] == [
        "RTR-05"]


def test_rtr_10_oqtf_of_a_refugee_is_reported_for_abrogation_review(inbox):
    inbox.measure(**OLD_ENOUGH)
    inbox.telemofpra(date(2026, 10, 2), SENS_DECISION="REFUGIE", DATE_DEFINITIVE="")
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "PROTECTION_GRANTED"
    assert excluded["measure_id"] == "M01300000001"


@pytest.mark.parametrize(("person", "reason"), [
    ({"SITUATION": "PARTI"}, "DECEASED_OR_LEFT"),
    ({"NATIONALITE": "ESP"}, "EU_CITIZEN"),
    ({"DATE_NAISSANCE": "00/00/2010"}, "MINOR"),
])
def test_protections_of_section_5_apply_to_measures(tmp_path, con, person, reason):
    inbox = Inbox(tmp_path, con).person(**person).measure(**OLD_ENOUGH)
    assert inbox.decide().reason(MEASURES) == reason


def test_residence_permit_excludes_the_measure(inbox):
    inbox.measure(**OLD_ENOUGH).title(TYPE_TITRE="APS", DATE_DEBUT="01/11/2026",
                                      DATE_FIN="01/02/2027", STATUT="VALIDE")
    assert inbox.decide().reason(MEASURES) == "RESIDENCE_PERMIT"


def test_measure_without_an_agdref_file_is_an_identity_conflict(tmp_path, con):
    inbox = Inbox(tmp_path, con).measure(**OLD_ENOUGH)
    excluded = inbox.decide().only_excluded(MEASURES)
    assert excluded["reason_code"] == "IDENTITY_CONFLICT"


@pytest.mark.parametrize("system", ["genesis", "telemofpra"])
@pytest.mark.parametrize(("birth", "held"), [("14/03/2009", True), ("14/03/1990", False)])
def test_a_record_giving_the_file_s_number_as_a_minor_holds_its_measure(
        inbox, system, birth, held):
    # Principle 1: a GENESIS or TélémOfpra row gives the file's number and names, but a
    # birth date that makes a minor (OQ-03); the number does not verify, so the record
    # is not tied to the file. Whether the row or the file is right, the measure may
    # concern a minor: held (IDENTITY_CONFLICT) until an agent decides the pair. With
    # the file's own birth date the record links and the measure stays listed.
    inbox.measure(**OLD_ENOUGH)
    identity = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
                "DATE_NAISSANCE": birth}
    if system == "genesis":
        inbox.genesis(date(2026, 11, 12), row("genesis", NATIONALITE="GUINEE", **identity))
    else:
        inbox.telemofpra(date(2026, 10, 9), **identity)
    out = inbox.decide()
    if held:
        excluded = out.only_excluded(MEASURES)
        assert excluded["reason_code"] == "IDENTITY_CONFLICT"
        assert {"EX-03", "OQ-03"} <= set(excluded["rule_ids"])
    else:
        assert out.only_listed(MEASURES)["measure_id"] == "M01300000001"


def test_rtr_02_a_judicial_itf_taken_before_the_claim_is_enforceable_from_its_end(inbox):
    """RTR-02 and OQ-07 apply to every removal measure (EX-01): a judicial ITF of
    01/03/2026, then a claim introduced on 01/04/2026 and rejected (notified 25/09,
    reported final on 27/10): the ban is executable from the end of the right to remain,
    not from its own date."""
    inbox.measure(TYPE_MESURE="ITF", DELAI_DEPART_JOURS="", DATE_DECISION="01/03/2026",
                  DATE_NOTIFICATION="")
    inbox.telemofpra(date(2026, 10, 30), DATE_INTRODUCTION="01/04/2026",
                     DATE_DECISION="20/09/2026", DATE_NOTIFICATION="25/09/2026",
                     DATE_DEFINITIVE="27/10/2026")
    flag = inbox.decide().only_listed(MEASURES)
    assert flag["enforceable_from"] == date(2026, 9, 25)
    assert flag["days_since_enforceable"] == (RUN - date(2026, 9, 25)).days
    assert {"RTR-02", "PRI-06", "OQ-07"} <= set(flag["rule_ids"])


# Either row may lack the claim's introduction date (CONTRACTS §1.1: empty is unknown):
# they are still one claim, the first, under one OFPRA number. Read as two claims, the
# undated OFPRA row was the latest (by its decision date) and the ordonnance held nothing.
@pytest.mark.parametrize(("ofpra_introduced", "cnda_introduced"), [
    ("01/04/2026", "01/04/2026"), ("", "01/04/2026"), ("01/04/2026", "")])
def test_rtr_05_an_ordonnance_signed_after_an_early_end_holds_execution_until_notified(
        inbox, ofpra_introduced, cnda_introduced):
    """RTR-05 and OQ-07: "never before an ordonnance's notification". The right to remain
    ended early at OFPRA's notification (RTR-06), then the CNDA signed an ordonnance on
    10/11/2026, not yet notified: the measure waits for that notification (the reading
    that never shortens a protection), then is enforceable from it."""
    inbox.measure(**OLD_ENOUGH)
    inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-2",
                     DATE_INTRODUCTION=ofpra_introduced, DATE_DEFINITIVE="")
    ordonnance = {"ORGANE": "CNDA", "MODE_CNDA": "ORDONNANCE", "SENS_DECISION": "REJET",
                  "DATE_INTRODUCTION": cnda_introduced, "DATE_DECISION": "10/11/2026",
                  "DATE_DEFINITIVE": ""}
    inbox.telemofpra(date(2026, 11, 13), DATE_NOTIFICATION="", **ordonnance)
    out = inbox.decide()
    excluded = out.only_excluded(MEASURES)
    assert excluded["reason_code"] == "NOT_YET_ENFORCEABLE" and "RTR-05" in excluded["rule_ids"]
    # notified on 14/11, shown on the list of 20/11: enforceable from that notification
    inbox.telemofpra(date(2026, 11, 20), DATE_NOTIFICATION="14/11/2026", **ordonnance)
    flag = inbox.decide(date(2026, 11, 23)).only_listed(MEASURES)
    assert flag["enforceable_from"] == date(2026, 11, 14)
    assert "RTR-05" in flag["rule_ids"] and "EXECUTION_AFTER_NOTIFICATION" not in flag["markers"]


def test_pri_10_an_eu_detainee_s_judicial_itf_is_listed_not_excluded(tmp_path, con):
    """§5 EU_CITIZEN: "except a detainee with a judicial ITF (PRI-10)", on this list as
    on the releases list: the Romanian held now under an ITF of AGDREF is listed with
    the marker EU_CITIZEN; the same person not held is excluded."""
    inbox = Inbox(tmp_path / "inbox", con).person(NATIONALITE="ROU")
    inbox.measure(TYPE_MESURE="ITF", DELAI_DEPART_JOURS="", DATE_NOTIFICATION="",
                  DATE_DECISION="01/03/2025")
    assert inbox.decide().reason(MEASURES) == "EU_CITIZEN"
    inbox.genesis(date(2026, 11, 12), row("genesis", NUM_AGDREF=PERSON, NOM="DIALLO",
                                          PRENOMS="MAMADOU", DATE_NAISSANCE="14/03/1990",
                                          NATIONALITE="ROUMANIE"))
    out = inbox.decide()
    assert out.only_listed(RELEASES)["situation"] == "ENFORCEABLE_MEASURE"
    flag = out.only_listed(MEASURES)
    assert flag["measure_type"] == "ITF" and flag["in_detention"]
    assert "EU_CITIZEN" in flag["markers"] and "PRI-10" in flag["rule_ids"]


def test_pri_10_only_the_judicial_ban_supports_an_eu_detainee_s_removal(tmp_path, con):
    """PRI-10: a judicial ITF binds whatever the nationality; every other measure of an
    EU citizen stays excluded (EU_CITIZEN on this list): the release flag of a Romanian
    under a GENESIS ban and an AGDREF OQTF names the ban, never the OQTF."""
    inbox = Inbox(tmp_path / "inbox", con).person(NATIONALITE="ROU")
    inbox.measure(DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025",
                  SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    inbox.genesis(date(2026, 11, 12), row("genesis", NUM_AGDREF=PERSON, NOM="DIALLO",
                                          PRENOMS="MAMADOU", DATE_NAISSANCE="14/03/1990",
                                          NATIONALITE="ROUMANIE", ITF="DEFINITIVE"))
    out = inbox.decide()
    assert out.reason(MEASURES) == "EU_CITIZEN"
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "ENFORCEABLE_MEASURE"
    assert flag["measure_ids"] == ["GENESIS-ITF:E01301:000101"]
    assert "OQ-08" not in flag["rule_ids"]


def test_pri_06_a_ban_agdref_shows_under_appeal_is_not_enforceable_at_release(tmp_path,
                                                                              con):
    """Principle 1: GENESIS says the judicial ITF is final, AGDREF records it in force
    under a pending appeal (the measures list excludes it, APPEAL_PENDING): the sources
    contradict each other, nothing is enforceable at release on that ban; AGDREF's row
    is cited. The rejected list still counts the ban as a measure."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    inbox.measure(TYPE_MESURE="ITF", FONDEMENT="131-30", DELAI_DEPART_JOURS="",
                  DATE_NOTIFICATION="", DATE_DECISION="01/03/2025", RECOURS="EN_COURS")
    inbox.genesis(date(2026, 11, 12), row("genesis", NUM_AGDREF=PERSON, NOM="DIALLO",
                                          PRENOMS="MAMADOU", DATE_NAISSANCE="14/03/1990",
                                          NATIONALITE="GUINEE", ITF="DEFINITIVE"))
    out = inbox.telemofpra(date(2026, 10, 9)).decide()
    assert out.reason(MEASURES) == "APPEAL_PENDING"
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE" and flag["measure_ids"] == []
    assert "AGDREF_MESURES_13_20261116.csv:2" in flag["source_rows"]
    assert out.reason(REJECTED) == "MEASURE_IN_FORCE"


def test_a_measure_is_listed_for_the_managing_department_of_its_file(tmp_path, con):
    """CONTRACTS §2: `department` is "the department whose prefecture must act: …
    managing department (AGDREF measures)": a file of the 13 snapshot managed by 75."""
    inbox = Inbox(tmp_path / "inbox", con).person(DEPT_GESTION="75").measure(
        DATE_DECISION="01/03/2026", DATE_NOTIFICATION="03/03/2026")
    assert inbox.decide().only_listed(MEASURES)["department"] == "75"


# A lapsed transfer stays lapsed (audit of 2026-12-06): accepted 16/01/2026, the 6 months
# ran out on 16/07/2026 with nothing recorded; France became responsible then. A committal
# after that day extends nothing (Reg. 604/2013 art. 29(2): an extension is for a transfer
# that could not be carried out within its time limit), as an absconding (above).
DUBLIN_OF_JANUARY = {"TYPE_MESURE": "TRANSFERT_DUBLIN", "DATE_ACCORD_ETAT_MEMBRE": "16/01/2026",
                     "DATE_DECISION": "20/01/2026", "DATE_NOTIFICATION": "22/01/2026",
                     "DELAI_DEPART_JOURS": ""}
HELD = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
        "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}


@pytest.mark.parametrize(("committed_on", "reason"), [
    ("16/07/2026", None),                       # within the 6 months: 12 months
    ("20/08/2026", "DUBLIN_DEADLINE_EXPIRED"),  # after the lapse
])
def test_ex_04_a_committal_after_the_transfer_lapsed_does_not_revive_it(
        inbox, committed_on, reason):
    """Imprisoned "at any time since the acceptance" within the time limit it extends: a
    committal of 20/08/2026, first on the list of 01/09, comes after the transfer lapsed.
    The rejected list still reads him in the Dublin procedure (RTR-09: the longer reading
    keeps him off that list)."""
    inbox.measure(**DUBLIN_OF_JANUARY)
    inbox.genesis(date(2026, 9, 1), row("genesis", **HELD, DATE_ECROU=committed_on))
    inbox.genesis(date(2026, 11, 12), row("genesis", **{
        **HELD, "NUM_AGDREF": "", "NUM_ECROU": "000777", "NOM": "KEITA", "PRENOMS": "SEKOU",
        "DATE_NAISSANCE": "02/02/1985", "NATIONALITE": "MALI"}))
    out = inbox.decide()
    if reason is None:
        flag = out.only_listed(MEASURES)
        assert "GENESIS_E01301_20260901.csv:2" in flag["source_rows"], flag["source_rows"]
    else:
        assert out.reason(MEASURES) == reason


# OQ-05 / OQ-07, audit of 2026-12-07 (each failed before its change).

def test_oq_07_a_departure_period_recorded_on_a_judicial_itf_holds_its_execution(inbox):
    """RULES.md OQ-05: "Voluntary departure period (DDV): the number of days AGDREF
    records in `DELAI_DEPART_JOURS`"; OQ-07: "Execution may start when the DDV has
    expired … `enforceable_from = max(notification + DDV, notification + challenge
    window)`"; EX-03: a measure is unexecuted "once it is enforceable (OQ-07)"; principle
    1: "When data are missing or contradictory, the person is *not* put on an
    execution-oriented list".

    AGDREF records a judicial ITF notified on 10/11/2026 with a 30-day departure period:
    by OQ-07 it may not be executed before 10/12/2026, so on 16/11/2026 it is
    NOT_YET_ENFORCEABLE. Before, DELAI_DEPART_JOURS was ignored for an ITF and the
    measure listed as enforceable since 10/11/2026, 24 days before the period AGDREF
    records has run."""
    inbox.measure(TYPE_MESURE="ITF", DATE_DECISION="01/11/2026",
                  DATE_NOTIFICATION="10/11/2026", DELAI_DEPART_JOURS="30")
    out = inbox.decide(RUN)
    assert not out.listed(MEASURES), out.listed(MEASURES)[0]["enforceable_from"]
    excluded = out.only_excluded(MEASURES)
    assert excluded["reason_code"] == "NOT_YET_ENFORCEABLE"
    assert "OQ-05" in excluded["rule_ids"]


@pytest.mark.parametrize("measure_type", ["APE", "AME", "REMISE"])
def test_oq_05_a_departure_period_that_holds_a_measure_is_cited(inbox, measure_type):
    """RULES.md principle 2: "Each flag shows its facts, its dates, its rule ids"; the
    opening: "every flag and every exclusion carries the ids that produced it"; OQ-05:
    "Voluntary departure period (DDV): the number of days AGDREF records in
    `DELAI_DEPART_JOURS`"; §5 NOT_YET_ENFORCEABLE: "DDV or challenge window (OQ-06) still
    running".

    A measure other than an OQTF notified on 03/09/2026 with a 90-day departure period
    recorded: its challenge window closed on 03/10, the departure period alone keeps it
    NOT_YET_ENFORCEABLE until 02/12/2026: the exclusion cites OQ-05, the rule that
    produced it (before, OQ-05 was cited for an OQTF only)."""
    inbox.measure(TYPE_MESURE=measure_type, DATE_DECISION="01/09/2026",
                  DATE_NOTIFICATION="03/09/2026", DELAI_DEPART_JOURS="90")
    excluded = inbox.decide(RUN).only_excluded(MEASURES)
    assert excluded["reason_code"] == "NOT_YET_ENFORCEABLE"
    assert "OQ-05" in excluded["rule_ids"], excluded["rule_ids"]


def test_oq_05_a_departure_period_that_set_enforceable_from_is_cited_on_the_flag(inbox):
    """Same rule (principle 2, OQ-05), on a listed flag: an expulsion (APE) notified on
    03/03/2026 with 60 days recorded is enforceable from 02/05/2026 = notification + DDV
    (later than notification + one month, 03/04): the date the unit reads comes from
    OQ-05, which the flag's rule_ids carry."""
    inbox.measure(TYPE_MESURE="APE", DATE_DECISION="01/03/2026",
                  DATE_NOTIFICATION="03/03/2026", DELAI_DEPART_JOURS="60")
    flag = inbox.decide(RUN).only_listed(MEASURES)
    assert flag["enforceable_from"] == date(2026, 5, 2)
    assert "OQ-05" in flag["rule_ids"], flag["rule_ids"]

