"""What a record linked to the person says of their age or nationality holds on every
list (OQ-03: "every source's birth date is read at its youngest"; §5 EU_CITIZEN: any
source giving an EU, EEA or Swiss nationality), not only on its own record's list."""

from __future__ import annotations

from datetime import date

import pytest

from schemas.codes import MEASURES, REJECTED, RELEASES
from tests.builders import row
from tests.scenarios import PERSON, Inbox

FINAL_LIST = date(2026, 10, 9)
RECORD = "telemofpra:OF20250000001"
DETAINEE = "genesis:E01301:000101"
ENFORCEABLE = {"DATE_DECISION": "01/06/2026", "DATE_NOTIFICATION": "03/06/2026"}


def link_of(con, record: str = RECORD) -> tuple:
    return con.execute("SELECT link_status, link_rule, person_key FROM core.person_links "
                       "WHERE record_key = ?", [record]).fetchall()[0]


@pytest.mark.parametrize(("file", "record", "reason"), [
    # 18 by AGDREF, 17 by the claim giving the file's number (the year one off: verified)
    ({"DATE_NAISSANCE": "14/03/2008"}, {"DATE_NAISSANCE": "14/03/2009"}, "MINOR"),
    # no nationality on the file, an EU one on the claim giving its number
    ({"NATIONALITE": ""}, {"NATIONALITE": "ROU"}, "EU_CITIZEN"),
])
def test_a_measure_is_not_listed_for_a_minor_or_eu_citizen_by_a_linked_claim(
        tmp_path, con, file, record, reason):
    inbox = Inbox(tmp_path, con).person(**file).measure(**ENFORCEABLE)
    out = inbox.telemofpra(FINAL_LIST, **record).decide()
    assert link_of(con)[:3] == ("LINKED", "NUMBER_VERIFIED", PERSON)
    assert out.reason(REJECTED) == reason  # the rejected list reads the claim
    assert out.listed(MEASURES) == []
    assert out.reason(MEASURES) == reason


def test_a_detainee_whose_birth_date_makes_a_minor_protects_the_measure(tmp_path, con):
    """AGDREF: born 14/03/2008 (18 on the run date); the prison, giving the file's number:
    14/03/2009 (17), verified through one slip of the birth date."""
    inbox = Inbox(tmp_path, con).person(DATE_NAISSANCE="14/03/2008").measure(**ENFORCEABLE)
    inbox.genesis(FINAL_LIST, row("genesis", NOM="DIALLO", PRENOMS="MAMADOU",
                                  DATE_NAISSANCE="14/03/2009", NATIONALITE="GUINEE",
                                  NUM_AGDREF=PERSON))
    out = inbox.decide()
    assert link_of(con, DETAINEE)[:2] == ("LINKED", "NUMBER_VERIFIED")
    assert out.reason(RELEASES) == "MINOR"
    assert out.listed(MEASURES) == []


def test_a_claim_that_makes_a_minor_protects_the_detainee(tmp_path, con):
    """The same person's claim (its number verified, the year one off) says 17."""
    inbox = Inbox(tmp_path, con).person(DATE_NAISSANCE="14/03/2008").measure(**ENFORCEABLE)
    inbox.telemofpra(FINAL_LIST, DATE_NAISSANCE="14/03/2009")
    inbox.genesis(FINAL_LIST, row("genesis", NOM="DIALLO", PRENOMS="MAMADOU",
                                  DATE_NAISSANCE="14/03/2008", NATIONALITE="GUINEE",
                                  NUM_AGDREF=PERSON))
    out = inbox.decide()
    assert link_of(con)[:2] == ("LINKED", "NUMBER_VERIFIED")
    assert link_of(con, DETAINEE)[:2] == ("LINKED", "NUMBER_VERIFIED")
    assert out.reason(REJECTED) == "MINOR"
    assert out.listed(RELEASES) == []
