"""Foreign detainees near release: RULES.md §3 (PRI-01…08) and the exclusions of §5,
each from a tiny inbox as of RUN (16/11/2026). The default detainee (GENESIS builder)
is sentenced to 700 days, released on 15/01/2027, and not known to AGDREF."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from schemas.codes import MEASURES, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, RUN, SECOND, Inbox, fr
from transforms.identity.review import record_decision

LIST = date(2026, 11, 12)
KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}


def detainee(**overrides: str) -> dict:
    return row("genesis", **overrides)


@pytest.fixture
def inbox(tmp_path, con) -> Inbox:
    return Inbox(tmp_path / "inbox", con).person()


def test_pri_05_an_answer_still_due_on_the_release_date_gone_by_is_marked(tmp_path, con):
    """PRI-05: "a listed detainee with no recorded answer whose release is at most 7 days
    away carries PRISON_ANSWER_DUE". A detainee to identify (PRI-09, listed whatever the
    release date) whose expected release (14/11/2026) has come while the latest list
    (12/11) still shows him: the answer is overdue, and the marker stayed off (audit of
    2026-12-07)."""
    out = Inbox(tmp_path / "inbox", con).genesis(
        LIST, row("genesis", DATE_LIBERATION_PREVISIBLE="14/11/2026")).decide()
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM"
    assert "PRISON_ANSWER_DUE" in flag["markers"]
    assert "PRI-05" in flag["rule_ids"]


def test_pri_08_unidentified_detainee_is_listed_to_confirm_identity(inbox):
    flag = inbox.genesis(LIST, detainee()).decide().only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM"
    assert flag["person_key"] == "genesis:E01301:000101" and flag["num_agdref"] is None
    assert flag["release_date"] == date(2027, 1, 15)
    assert flag["department"] == "13" and flag["establishment_code"] == "E01301"
    assert flag["source_rows"] == ["GENESIS_E01301_20261112.csv:2"]
    assert {"PRI-05", "PRI-07", "PRI-08"} <= set(flag["rule_ids"])


def test_pri_08_identified_without_measure_is_to_examine(inbox):
    flag = inbox.genesis(LIST, detainee(**KNOWN)).decide().only_listed(RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE" and flag["num_agdref"] == PERSON
    assert flag["measure_ids"] == []


def test_pri_08_coercible_oqtf_makes_the_measure_enforceable(inbox):
    inbox.measure(DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025",
                  SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    flag = inbox.genesis(LIST, detainee(**KNOWN)).decide().only_listed(RELEASES)
    assert flag["situation"] == "ENFORCEABLE_MEASURE"
    assert flag["measure_ids"] == ["M01300000001"]
    assert {"OQ-08", "PRI-04"} <= set(flag["rule_ids"])


def test_pri_08_oqtf_no_longer_coercible_at_release_is_to_examine(inbox):
    # 3 years old on 01/01/2027, before the release on 15/01/2027 (OQ-08).
    inbox.measure(DATE_DECISION="01/01/2024", DATE_NOTIFICATION="03/01/2024")
    flag = inbox.genesis(LIST, detainee(**KNOWN)).decide().only_listed(RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE"


def test_pri_08_oqtf_under_challenge_cannot_support_removal(inbox):
    inbox.measure(DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025",
                  RECOURS="EN_COURS")
    flag = inbox.genesis(LIST, detainee(**KNOWN)).decide().only_listed(RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE"


# Notified in detention on 15/11: the 7-day challenge window runs to 22/11 (OQ-06).
NOTIFIED_IN_DETENTION = {"DATE_DECISION": "14/11/2026", "DATE_NOTIFICATION": "15/11/2026",
                         "SITUATION_NOTIFICATION": "DETENU", "DELAI_DEPART_JOURS": ""}
# A 90-day departure period from 01/11: it runs to 30/01/2027 (OQ-05, OQ-07).
DEPARTURE_PERIOD = {"DATE_DECISION": "31/10/2026", "DATE_NOTIFICATION": "01/11/2026",
                    "SITUATION_NOTIFICATION": "DETENU", "DELAI_DEPART_JOURS": "90"}


@pytest.mark.parametrize(("measure", "release", "situation"), [
    (NOTIFIED_IN_DETENTION, "21/11/2026", "MEASURE_TO_EXAMINE"),
    (NOTIFIED_IN_DETENTION, "22/11/2026", "ENFORCEABLE_MEASURE"),
    (DEPARTURE_PERIOD, "15/01/2027", "MEASURE_TO_EXAMINE"),
    (DEPARTURE_PERIOD, "30/01/2027", "ENFORCEABLE_MEASURE"),
    # never notified: nothing can be executed (OQ-07), an expulsion no more than an OQTF
    ({"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": ""}, "15/01/2027",
     "MEASURE_TO_EXAMINE"),
    ({"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "", "TYPE_MESURE": "APE",
      "FONDEMENT": "L631-1", "DELAI_DEPART_JOURS": ""}, "15/01/2027",
     "MEASURE_TO_EXAMINE"),
])
def test_pri_08_a_measure_is_enforceable_at_release_only_once_oq_07_allows_it(
        inbox, measure, release, situation):
    # "une mesure sera exécutoire à la date de libération": not while the challenge
    # window or the departure period runs on the release date, nor before notification.
    inbox.measure(**measure)
    flag = inbox.genesis(LIST, detainee(DATE_LIBERATION_PREVISIBLE=release, **KNOWN)
                         ).decide().only_listed(RELEASES)
    assert flag["situation"] == situation
    enforceable = situation == "ENFORCEABLE_MEASURE"
    assert flag["measure_ids"] == (["M01300000001"] if enforceable else [])
    assert ("OQ-07" in flag["rule_ids"]) == enforceable


def test_pri_06_judicial_ban_in_genesis_is_a_measure(inbox):
    flag = inbox.genesis(LIST, detainee(ITF="DEFINITIVE", **KNOWN)).decide().only_listed(
        RELEASES)
    assert flag["situation"] == "ENFORCEABLE_MEASURE"
    assert flag["measure_ids"] == ["GENESIS-ITF:E01301:000101"]
    assert {"PRI-06", "PRI-04"} <= set(flag["rule_ids"])


ENFORCEABLE_OQTF = {"DATE_DECISION": "01/03/2025", "DATE_NOTIFICATION": "03/03/2025",
                    "SITUATION_NOTIFICATION": "DETENU", "DELAI_DEPART_JOURS": ""}


def merged_file_with_measure(inbox: Inbox) -> Inbox:
    """The measure is on the second file only; the detainee's record gives the first."""
    inbox.others().second_file()
    return inbox.measure(NUM_AGDREF=SECOND, **ENFORCEABLE_OQTF)


def link_rules(inbox: Inbox) -> set[str]:
    return {rule for rule, in inbox.con.execute(
        "SELECT link_rule FROM core.person_links WHERE record_key IN (?, ?)",
        [f"agdref:{PERSON}", f"agdref:{SECOND}"]).fetchall()}


def test_pri_08_a_measure_reached_only_through_a_merge_is_identity_to_confirm(inbox):
    # Strangers of one name, birth date and entry date exist nationally, and the model
    # merges some: a measure of the other file is not acted on until an agent confirms.
    out = merged_file_with_measure(inbox).genesis(LIST, detainee(**KNOWN)).decide()
    assert link_rules(inbox) == {"AGDREF_DUPLICATE"}
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM" and flag["num_agdref"] == PERSON
    assert flag["measure_ids"] == ["M01300000001"]  # shown, to be checked
    assert "PRI-04" not in flag["rule_ids"] and "PRI-08" in flag["rule_ids"]


def test_pri_08_an_agent_confirmed_merge_makes_the_measure_enforceable(inbox):
    merged_file_with_measure(inbox).genesis(LIST, detainee(**KNOWN)).decide()
    record_decision(inbox.con, f"agdref:{SECOND}", PERSON, "CONFIRMED", "agent.13",
                    datetime(2026, 11, 16, 9))
    flag = inbox.decide().only_listed(RELEASES)
    assert link_rules(inbox) == {"AGDREF_DUPLICATE_CONFIRMED"}
    assert flag["situation"] == "ENFORCEABLE_MEASURE"
    assert flag["measure_ids"] == ["M01300000001"]


def test_pri_08_a_measure_of_the_file_whose_number_the_record_gives_is_enforceable(inbox):
    out = merged_file_with_measure(inbox).genesis(
        LIST, detainee(**{**KNOWN, "NUM_AGDREF": SECOND})).decide()
    assert link_rules(inbox) == {"AGDREF_DUPLICATE"}
    assert out.only_listed(RELEASES)["situation"] == "ENFORCEABLE_MEASURE"


def test_pri_08_beside_a_judicial_ban_an_unconfirmed_measure_is_left_out(inbox):
    out = merged_file_with_measure(inbox).genesis(
        LIST, detainee(ITF="DEFINITIVE", **KNOWN)).decide()
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "ENFORCEABLE_MEASURE"
    assert flag["measure_ids"] == ["GENESIS-ITF:E01301:000101"]


@pytest.mark.parametrize(("sentence", "window_start", "cited"), [
    ("700", date(2026, 10, 15), True),   # two years or less: 3 months before release
    ("731", date(2026, 10, 15), True),
    ("800", date(2027, 1, 15), False),   # longer: the release date itself
])
def test_pri_03_window_opens_three_months_early_for_short_sentences(
        inbox, sentence, window_start, cited):
    flag = inbox.genesis(LIST, detainee(QUANTUM_TOTAL_JOURS=sentence)).decide().only_listed(
        RELEASES)
    assert flag["window_start_date"] == window_start
    assert ("PRI-03" in flag["rule_ids"]) is cited


def test_pri_08_horizon_boundary(inbox):
    # Long sentence: the window opens at release. Horizon 120 days → 16/03/2027, its
    # last day included. (Identified detainees: PRI-09 lists the others whatever the date;
    # two persons: one person is not held twice, PRI-01.)
    other = {"NUM_AGDREF": "0555555555", "NOM": "KEITA", "PRENOMS": "SEKOU",
             "DATE_NAISSANCE": "02/02/1985", "NATIONALITE": "MALI"}
    inbox.person(**{**other, "NATIONALITE": "MLI"})
    inbox.genesis(LIST, detainee(**KNOWN, QUANTUM_TOTAL_JOURS="1500",
                                 DATE_LIBERATION_PREVISIBLE="16/03/2027"),
                  detainee(**other, NUM_ECROU="000102", QUANTUM_TOTAL_JOURS="1500",
                           DATE_LIBERATION_PREVISIBLE="17/03/2027"))
    out = inbox.decide()
    assert [f["release_date"] for f in out.listed(RELEASES)] == [date(2027, 3, 16)]
    assert [e["reason_code"] for e in out.excluded(RELEASES)] == ["RELEASE_OUTSIDE_HORIZON"]


def test_pri_08_release_date_past_is_not_listed(inbox):
    inbox.genesis(LIST, detainee(**KNOWN, DATE_LIBERATION_PREVISIBLE="15/11/2026"))
    assert inbox.decide().reason(RELEASES) == "RELEASE_DATE_PASSED"


def test_pri_08_release_on_the_run_date_is_still_listed(inbox):
    inbox.genesis(LIST, detainee(DATE_LIBERATION_PREVISIBLE=fr(RUN)))
    assert inbox.decide().only_listed(RELEASES)["release_date"] == RUN


@pytest.mark.parametrize("overrides", [
    {"CATEGORIE_PENALE": "PREVENU", "QUANTUM_TOTAL_JOURS": "",
     "DATE_LIBERATION_PREVISIBLE": ""},
    {"CATEGORIE_PENALE": "MIXTE", "QUANTUM_TOTAL_JOURS": "", "DATE_LIBERATION_PREVISIBLE": ""},
])
def test_pri_02_remand_prisoners_are_not_listed(inbox, overrides):
    excluded = inbox.genesis(LIST, detainee(**KNOWN, **overrides)).decide().only_excluded(
        RELEASES)
    assert excluded["reason_code"] == "NOT_SENTENCED" and excluded["rule_ids"] == ["PRI-02"]


@pytest.mark.parametrize("overrides", [
    {"CATEGORIE_PENALE": "PREVENU", "QUANTUM_TOTAL_JOURS": "",
     "DATE_LIBERATION_PREVISIBLE": ""},
    {"DATE_LIBERATION_PREVISIBLE": "15/11/2026"},
    {"QUANTUM_TOTAL_JOURS": "3000", "DATE_LIBERATION_PREVISIBLE": "16/11/2030"},
])
def test_pri_09_unidentified_detainee_is_listed_whatever_the_release_date(inbox, overrides):
    flag = inbox.genesis(LIST, detainee(**overrides)).decide().only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM" and "PRI-09" in flag["rule_ids"]
    release = overrides["DATE_LIBERATION_PREVISIBLE"]
    if not release:  # a remand prisoner: no release date, no window
        assert flag["release_date"] is None and flag["window_start_date"] is None


def test_pri_02_mixed_category_with_release_date_is_listed(inbox):
    assert inbox.genesis(LIST, detainee(CATEGORIE_PENALE="MIXTE")).decide().listed(RELEASES)


def test_pri_02_sentenced_without_release_date_is_explained(inbox):
    inbox.genesis(LIST, detainee(**KNOWN, DATE_LIBERATION_PREVISIBLE=""))
    assert inbox.decide().reason(RELEASES) == "RELEASE_DATE_UNKNOWN"


def test_pri_01_latest_list_of_the_establishment_is_the_truth(inbox):
    inbox.genesis(date(2026, 10, 28), detainee(), detainee(NUM_ECROU="000102"))
    inbox.genesis(LIST, detainee(DATE_LIBERATION_PREVISIBLE="05/02/2027"))
    flag = inbox.decide().only_listed(RELEASES)
    assert flag["person_key"] == "genesis:E01301:000101"  # 000102 has left
    assert flag["release_date_change_days"] == 21
    # A late list dated before the latest one changes nothing.
    inbox.genesis(date(2026, 11, 1), detainee(), detainee(NUM_ECROU="000103"))
    again = inbox.decide().only_listed(RELEASES)
    assert again["flag_id"] == flag["flag_id"] and again["release_date"] == date(2027, 2, 5)


def test_pri_01_an_empty_latest_list_empties_the_establishment(inbox):
    inbox.genesis(date(2026, 10, 28), detainee())
    inbox.genesis(LIST)
    out = inbox.decide()
    assert not out.listed(RELEASES) and not out.excluded(RELEASES)


def test_pri_07_refugee_detainee_is_never_listed(inbox):
    inbox.telemofpra(date(2021, 5, 7), SENS_DECISION="REFUGIE", DATE_DECISION="01/05/2021",
                     DATE_NOTIFICATION="03/05/2021", DATE_DEFINITIVE="",
                     DATE_INTRODUCTION="01/01/2021")
    excluded = inbox.genesis(LIST, detainee(**KNOWN)).decide().only_excluded(RELEASES)
    assert excluded["reason_code"] == "PROTECTION_GRANTED"


def test_pri_07_detainee_awaiting_an_asylum_decision_is_never_listed(inbox):
    inbox.telemofpra(date(2026, 11, 6), DATE_DEFINITIVE="")
    excluded = inbox.genesis(LIST, detainee(**KNOWN)).decide().only_excluded(RELEASES)
    assert excluded["reason_code"] == "RTR_END_UNCONFIRMED"
    assert "PRI-07" in excluded["rule_ids"]


def test_pri_07_protection_found_for_a_detainee_without_number(inbox):
    # GENESIS gives no AGDREF number, but the identity agrees with a file holding an ADA.
    inbox.title(TYPE_TITRE="ADA", DATE_DEBUT="01/10/2026", DATE_FIN="01/04/2027",
                STATUT="VALIDE")
    unnumbered = {**KNOWN, "NUM_AGDREF": "", "NOM": "DYALLO"}
    excluded = inbox.genesis(LIST, detainee(**unnumbered)).decide().only_excluded(RELEASES)
    assert excluded["reason_code"] == "ASYLUM_PENDING"
    assert excluded["person_key"] == "genesis:E01301:000101"


@pytest.mark.parametrize("identity", [
    {"DATE_NAISSANCE": "00/00/1990"},  # the year only: a weak candidate by surname
    {"DATE_NAISSANCE": "01/01/1990", "NOM": "MAMADOU", "PRENOMS": "DIALLO"},  # swapped
])
def test_pri_07_weak_identity_still_finds_the_protection(inbox, identity):
    """An unlinked detainee is screened against every plausible file, however weak the
    evidence (core_identity.sql, pairs_to_decide): a partial or placeholder birth date with a
    shared name key reaches the file that holds an ADA."""
    inbox.title(TYPE_TITRE="ADA", DATE_DEBUT="01/10/2026", DATE_FIN="01/04/2027",
                STATUT="VALIDE")
    weak = {**KNOWN, "NUM_AGDREF": "", **identity}
    excluded = inbox.genesis(LIST, detainee(**weak)).decide().only_excluded(RELEASES)
    assert excluded["reason_code"] == "ASYLUM_PENDING"
    assert excluded["rule_ids"] == ["RTR-01", "RTR-08"]  # the ADA, found on the file
    assert excluded["person_key"] == "genesis:E01301:000101"  # never linked


def test_minor_detainee_is_excluded(inbox):
    inbox.genesis(LIST, detainee(DATE_NAISSANCE="00/00/2009"))
    assert inbox.decide().reason(RELEASES) == "MINOR"


@pytest.mark.parametrize("nationality", ["ROUMANIE", "ITALIE"])
def test_eu_citizen_detainee_is_excluded(inbox, nationality):
    inbox.genesis(LIST, detainee(NATIONALITE=nationality))
    assert inbox.decide().reason(RELEASES) == "EU_CITIZEN"


def test_residence_permit_holder_is_excluded(inbox):
    inbox.title(TYPE_TITRE="CR", DATE_DEBUT="01/01/2020", DATE_FIN="31/12/2029",
                STATUT="VALIDE")
    inbox.genesis(LIST, detainee(**KNOWN))
    assert inbox.decide().reason(RELEASES) == "RESIDENCE_PERMIT"


@pytest.mark.parametrize("release", ["15/11/2026", "15/01/2030"],
                         ids=["released-yesterday", "beyond-the-horizon"])
def test_pri_09_an_eu_detainee_with_a_ban_not_tied_to_a_file_is_an_identity_to_confirm(
        tmp_path, con, release):
    """PRI-10 makes a judicial ITF bind an EU citizen; it does not tell who the detainee
    is: not tied to a file, they are listed IDENTITY_TO_CONFIRM (PRI-09, whatever the
    release date), never ENFORCEABLE_MEASURE outside PRI-08's window."""
    inbox = Inbox(tmp_path / "inbox", con)
    inbox.genesis(LIST, detainee(NATIONALITE="ROUMANIE", ITF="DEFINITIVE",
                                 DATE_LIBERATION_PREVISIBLE=release))
    flag = inbox.decide().only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM"
    assert "EU_CITIZEN" in flag["markers"]
    assert {"PRI-09", "PRI-10"} <= set(flag["rule_ids"])


def test_pri_07_a_detainee_to_identify_carries_no_consular_contact_of_a_file_that_may_be_theirs(
        inbox):
    """PRI-07 on every list: the file the detainee may be (their protections are searched
    on it) ended its claim early at OFPRA, no CNDA decision nor final date known yet: the
    claim may still await a decision, and the consulate is not contacted about them."""
    inbox.telemofpra(date(2026, 9, 11), SENS_DECISION="IRRECEVABILITE", FONDEMENT="L531-32-2",
                     DATE_DEFINITIVE="")
    weak = {**KNOWN, "NUM_AGDREF": "", "DATE_NAISSANCE": "00/00/1990"}
    flag = inbox.genesis(LIST, detainee(**weak)).decide().only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM"
    assert "NO_CONSULAR_CONTACT" in flag["markers"]


def test_pri_06_a_genesis_ban_agdref_records_as_abrogated_is_not_acted_on(inbox):
    """GENESIS says ITF DEFINITIVE, AGDREF holds that person's ITF ABROGEE and none in
    force: the sources contradict each other (principle 1), the detainee is listed to be
    examined, with AGDREF's row cited."""
    inbox.measure(TYPE_MESURE="ITF", DELAI_DEPART_JOURS="", DATE_NOTIFICATION="",
                  DATE_DECISION="01/03/2025", STATUT="ABROGEE")
    flag = inbox.genesis(LIST, detainee(ITF="DEFINITIVE", **KNOWN)).decide().only_listed(
        RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE" and flag["measure_ids"] == []
    assert "AGDREF_MESURES_13_20261116.csv:2" in flag["source_rows"]
    assert "PRI-06" in flag["rule_ids"]


# PRI-10 (audit of 2026-12-06): "an EU/EEA or Swiss detainee whose ITF is recorded is
# listed ..., not excluded; every other EU citizen stays excluded (EU_CITIZEN)".
@pytest.mark.parametrize("genesis_ban", ["DEFINITIVE", "NON"])
def test_pri_10_an_eu_detainee_whose_recorded_ban_is_under_appeal_is_listed_to_examine(
        tmp_path, con, genesis_ban):
    """AGDREF records the Romanian detainee's ITF in force under a pending appeal: it is
    recorded, so he is listed (marker EU_CITIZEN), as the measures list lifts EU_CITIZEN
    for it; under appeal it cannot support removal at release (PRI-06):
    MEASURE_TO_EXAMINE, AGDREF's row cited. Before, he was excluded EU_CITIZEN."""
    inbox = Inbox(tmp_path / "inbox", con).person(NATIONALITE="ROU")
    inbox.measure(TYPE_MESURE="ITF", FONDEMENT="131-30", DELAI_DEPART_JOURS="",
                  DATE_NOTIFICATION="", DATE_DECISION="01/03/2025", RECOURS="EN_COURS")
    out = inbox.genesis(date(2026, 11, 12), row(
        "genesis", NUM_AGDREF=PERSON, NOM="DIALLO", PRENOMS="MAMADOU",
        DATE_NAISSANCE="14/03/1990", NATIONALITE="ROUMANIE", ITF=genesis_ban)).decide()
    assert out.reason(MEASURES) == "APPEAL_PENDING"
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE" and "EU_CITIZEN" in flag["markers"]
    assert "AGDREF_MESURES_13_20261116.csv:2" in flag["source_rows"], flag["source_rows"]


def test_pri_10_an_eu_detainee_without_a_ban_is_excluded_by_pri_10(tmp_path, con):
    inbox = Inbox(tmp_path / "inbox", con).person(NATIONALITE="ROU")
    out = inbox.genesis(date(2026, 11, 12), row(
        "genesis", NUM_AGDREF=PERSON, NOM="DIALLO", PRENOMS="MAMADOU",
        DATE_NAISSANCE="14/03/1990", NATIONALITE="ROUMANIE")).decide()
    excluded = out.only_excluded(RELEASES)
    assert excluded["reason_code"] == "EU_CITIZEN" and excluded["rule_ids"] == ["PRI-10"]


# Audit of the releases list, 2026-12-07 (each failed before its change).

# A judicial ITF in AGDREF, in force, not challenged, notified: it can support removal.
ITF_IN_FORCE = {"TYPE_MESURE": "ITF", "FONDEMENT": "131-30", "DELAI_DEPART_JOURS": "",
                "DATE_DECISION": "01/03/2025", "DATE_NOTIFICATION": "03/03/2025",
                "SITUATION_NOTIFICATION": "DETENU", "RECOURS": "AUCUN"}


def test_pri_10_an_eu_detainee_is_not_listed_for_an_itf_of_a_file_merged_by_the_model_alone(
        tmp_path, con):
    """RULES.md PRI-10: "an EU/EEA or Swiss detainee whose ITF is recorded is listed
    (ENFORCEABLE_MEASURE, marker EU_CITIZEN), not excluded; every other EU citizen stays
    excluded (EU_CITIZEN)"; §5 EU_CITIZEN.

    A Romanian detainee gives and verifies his own AGDREF number (0123456789). That file
    holds no measure. The model alone merged it (AGDREF_DUPLICATE, no agent confirmed)
    with a second file, 0987654321 (DIALO), which holds an ITF in force. Nothing ties the
    detainee to that ITF: a "recorded" AGDREF ban counts for PRI-10 only on a file firmly
    tied to the detainee. He stays excluded EU_CITIZEN. Before, `judicial_ban` also counted
    any ITF among `supporting_measures` (with unconfirmed_only, the merged file's), and he
    was listed IDENTITY_TO_CONFIRM with the namesake's ITF."""
    inbox = Inbox(tmp_path / "inbox", con).person(NATIONALITE="ROU")
    inbox.others().second_file(NATIONALITE="ROU")
    inbox.measure(NUM_AGDREF=SECOND, **ITF_IN_FORCE)
    out = inbox.genesis(LIST, row("genesis", **{**KNOWN, "NATIONALITE": "ROUMANIE"})).decide()
    links = dict(con.execute("SELECT record_key, link_rule FROM core.person_links WHERE "
                             "record_key IN (?, ?)", [f"agdref:{SECOND}",
                                                      "genesis:E01301:000101"]).fetchall())
    assert links == {f"agdref:{SECOND}": "AGDREF_DUPLICATE",
                     "genesis:E01301:000101": "NUMBER_VERIFIED"}
    assert out.listed(RELEASES) == [], out.listed(RELEASES)
    assert out.only_excluded(RELEASES)["reason_code"] == "EU_CITIZEN"


def test_pri_09_a_remand_prisoner_to_identify_has_no_release_date_nor_window(tmp_path, con):
    """RULES.md PRI-02: "Only sentenced detainees (CONDAMNE, or MIXTE with a release date)
    have a release date to plan for"; PRI-09: a detainee who cannot be tied to a file is
    listed IDENTITY_TO_CONFIRM "whatever the release date, or with none (`release_date`
    and `window_start_date` empty for a remand prisoner)".

    A remand prisoner (PREVENU) whom GENESIS gives an expected release date (20/11/2026)
    all the same: his flag holds no release date and no window, and cites no PRI-03.
    Before, it held that date, a window from 20/08/2026 (PRI-03) and PRISON_ANSWER_DUE
    read from the date."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    out = inbox.genesis(LIST, row("genesis", CATEGORIE_PENALE="PREVENU", QUANTUM_TOTAL_JOURS="",
                                  DATE_LIBERATION_PREVISIBLE="20/11/2026")).decide()
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "IDENTITY_TO_CONFIRM"
    assert flag["release_date"] is None and flag["window_start_date"] is None, flag
    assert "PRI-03" not in flag["rule_ids"]


def test_pri_03_an_unknown_sentence_does_not_open_the_window_three_months_early(tmp_path, con):
    """RULES.md PRI-03: "For a total sentence of **2 years or less** ... The planning
    window therefore opens at `release_date - 3 months` for such sentences, at
    `release_date` otherwise"; PRI-08: listed when `window_start_date` falls within the
    horizon; principle 1: when data are missing "the person is *not* put on an
    execution-oriented list".

    A sentenced detainee (CONDAMNE), identified, whose QUANTUM_TOTAL_JOURS is empty
    (unknown) and whose release is on 01/06/2027. Nothing shows a sentence of 2 years or
    less, so the window opens at release (01/06/2027), after the horizon's last day
    (16/03/2027): excluded RELEASE_OUTSIDE_HORIZON. Before, an unknown sentence was read
    as a short one: the window opened on 01/03/2027 and the detainee was listed because a
    figure was missing."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    out = inbox.genesis(LIST, row("genesis", **KNOWN, QUANTUM_TOTAL_JOURS="",
                                  DATE_LIBERATION_PREVISIBLE="01/06/2027")).decide()
    assert out.listed(RELEASES) == [], out.listed(RELEASES)
    assert out.reason(RELEASES) == "RELEASE_OUTSIDE_HORIZON"


def test_eu_citizen_a_swiss_detainee_written_by_the_official_name_is_excluded(tmp_path, con):
    """RULES.md §5 EU_CITIZEN: "national of an EU/EEA State or Switzerland (separate
    regime, Book II)" is excluded from every list; PRI-10: "every other EU citizen stays
    excluded"; CONTRACTS §1.2: NATIONALITE is a "country name in French capitals, accents
    optional".

    The detainee's nationality is written with the State's French official name,
    CONFEDERATION SUISSE (likewise GRAND-DUCHE DE LUXEMBOURG, IRLANDE (EIRE)).
    It is read set aside its form of State (countries.STATE_FORM). Before, it was read as
    an unknown nationality, and the Swiss detainee, with no ban, was listed
    IDENTITY_TO_CONFIRM instead of being excluded EU_CITIZEN."""
    inbox = Inbox(tmp_path / "inbox", con).person()
    out = inbox.genesis(LIST, row("genesis", NATIONALITE="CONFEDERATION SUISSE")).decide()
    assert out.listed(RELEASES) == [], out.listed(RELEASES)
    assert out.reason(RELEASES) == "EU_CITIZEN"

