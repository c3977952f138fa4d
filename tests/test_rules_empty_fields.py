"""CONTRACTS §1: "empty field = unknown". A field the lists can read as unknown without
acting on a guess is staged empty, not quarantined: the TélémOfpra nationality and
procedure (not accelerated), the GENESIS judicial ban (ITF: none recorded), a residence
document's first day. Each row below was quarantined before (decide() refuses a
quarantined row unless told), its person kept off the lists as SOURCE_ROW_QUARANTINED;
an OFPRA number written with spaces or dots (an opaque string) was too."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, Inbox

FINAL_LIST = date(2026, 10, 9)
LIST = date(2026, 11, 12)
KNOWN = {"NUM_AGDREF": PERSON, "NOM": "DIALLO", "PRENOMS": "MAMADOU",
         "DATE_NAISSANCE": "14/03/1990", "NATIONALITE": "GUINEE"}
OLD_ENOUGH = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}


def test_a_decision_of_unknown_nationality_is_staged_and_listed(tmp_path, con):
    """The rejection names the person by number; AGDREF gives the nationality."""
    out = Inbox(tmp_path, con).person().telemofpra(FINAL_LIST, NATIONALITE="").decide()
    assert out.quarantined() == []
    flag = out.only_listed(REJECTED)
    assert flag["num_agdref"] == PERSON and flag["reason"] == "NO_MEASURE"
    assert "TELEMOFPRA_13_20261009.csv:2" in flag["source_rows"]


def test_a_rejection_of_unknown_procedure_is_not_read_as_accelerated(tmp_path, con):
    """RTR-06: an accelerated rejection's notification ends the right to remain, with the
    CNDA seized or not. The procedure unknown, the rejection needs proof that it is final
    (RTR-03), as an accelerated one without its basis does (test_rules_rejected)."""
    out = Inbox(tmp_path, con).person().telemofpra(
        date(2026, 9, 11), FONDEMENT="L531-24", PROCEDURE="", DATE_DEFINITIVE="").decide()
    assert out.quarantined() == []
    excluded = out.only_excluded(REJECTED)
    assert excluded["reason_code"] == "RTR_END_UNCONFIRMED"
    assert "TELEMOFPRA_13_20260911.csv:2" in excluded["source_rows"]


@pytest.mark.parametrize("number", ["OFPRA 2024.123-45", "24/00123 A"])
def test_an_ofpra_number_written_with_spaces_or_dots_is_staged(tmp_path, con, number):
    out = Inbox(tmp_path, con).person().telemofpra(FINAL_LIST, NUM_OFPRA=number).decide()
    assert out.quarantined() == []
    assert out.only_listed(REJECTED)["num_agdref"] == PERSON


def test_a_detainee_whose_ban_is_not_given_has_no_ban_to_act_on(tmp_path, con):
    """PRI-06 acts on a judicial ITF recorded; an empty ITF records none. The detainee is
    listed to be examined, with no GENESIS ban among the measures (an ITF written
    DEFINITIVE makes him ENFORCEABLE_MEASURE on GENESIS-ITF:…, test_rules_releases)."""
    out = Inbox(tmp_path, con).person().genesis(LIST, row("genesis", ITF="", **KNOWN)).decide()
    assert out.quarantined() == []
    flag = out.only_listed(RELEASES)
    assert flag["situation"] == "MEASURE_TO_EXAMINE" and flag["measure_ids"] == []
    assert "PRI-06" not in flag["rule_ids"]


def test_an_eu_detainee_whose_ban_is_not_given_stays_excluded(tmp_path, con):
    """PRI-10: only an ITF recorded lists an EU citizen; an unknown one does not."""
    out = Inbox(tmp_path, con).person(NATIONALITE="ROU").genesis(
        LIST, row("genesis", ITF="", **{**KNOWN, "NATIONALITE": "ROUMANIE"})).decide()
    assert out.quarantined() == []
    excluded = out.only_excluded(RELEASES)
    assert excluded["reason_code"] == "EU_CITIZEN" and excluded["rule_ids"] == ["PRI-10"]


@pytest.mark.parametrize("status", ["VALIDE", "EXPIRE"])
def test_a_residence_card_of_unknown_first_day_protects_while_its_end_is_to_come(
        tmp_path, con, status):
    """A card whose DATE_FIN is still to come protects, its first day unknown (an EXPIRE
    one whose dates cover the run date is read as valid: rights.title_is_valid)."""
    out = Inbox(tmp_path, con).person().measure(**OLD_ENOUGH).title(
        TYPE_TITRE="CR", DATE_DEBUT="", DATE_FIN="31/12/2029", STATUT=status).decide()
    assert out.quarantined() == []
    excluded = out.only_excluded(MEASURES)
    assert excluded["reason_code"] == "RESIDENCE_PERMIT"
    assert "AGDREF_TITRES_13_20261116.csv:2" in excluded["source_rows"]


def test_a_card_of_unknown_first_day_that_ended_does_not_protect(tmp_path, con):
    out = Inbox(tmp_path, con).person().measure(**OLD_ENOUGH).title(
        TYPE_TITRE="CR", DATE_DEBUT="", DATE_FIN="31/12/2025", STATUT="EXPIRE").decide()
    assert out.quarantined() == []
    assert out.only_listed(MEASURES)["measure_id"] == "M01300000001"
