"""Identity decisions never take a protection away (RULES.md principle 1): a confirmed
asylum record contradicted since still protects the person it was confirmed to while an
agent decides again, and a rejection of a namesake detainee does not cut the file
holder's own claims from them. Written by the review of 2026-12-07 of that day's identity
changes (core_person_links.sql AGENT_CONFIRMED_CONTRADICTED, rejections of an identical
identity), which failed them before they landed."""

from __future__ import annotations

from datetime import date, datetime

from schemas.codes import MEASURES
from tests.scenarios import PERSON, Inbox, namesake_detained
from transforms.identity.review import record_decision

OTHER = "0111111111"
GRANT = "telemofpra:OF20250000001"


def _link(con, record):
    return con.execute("SELECT link_status, link_rule, person_key FROM core.person_links "
                       "WHERE record_key = ?", [record]).fetchall()


def test_a_grant_confirmed_to_the_measure_s_person_still_protects_once_its_year_is_corrected(
        tmp_path, con):
    """core_person_links.sql AGENT_CONFIRMED_CONTRADICTED: an agent confirmed an
    asylum record (refugee status granted) to PERSON, under an OQTF; the measure is
    excluded PROTECTION_GRANTED. A later TélémOfpra list corrects the record's birth year
    (1990 -> 1993): the record goes to REVIEW and is no longer PERSON's. Reviewing a
    protective record takes the protection away from the person it was confirmed to:
    the measure must stay excluded (principle 1), not reach the action list."""
    grant = {"NOM": "DIALLO", "PRENOMS": "MAMADOU", "NATIONALITE": "GIN", "NUM_AGDREF": "",
             "SENS_DECISION": "REFUGIE", "DATE_NOTIFICATION": "07/09/2026",
             "DATE_DEFINITIVE": ""}
    inbox = Inbox(tmp_path, con).person().measure(
        DATE_DECISION="01/06/2026", DATE_NOTIFICATION="03/06/2026").others()
    inbox.person(NUM_AGDREF=OTHER, DATE_NAISSANCE="20/05/1990",
                 DATE_ENTREE_FRANCE="05/05/2019")
    inbox.telemofpra(date(2026, 11, 2), DATE_NAISSANCE="00/00/1990", **grant)
    inbox.decide()
    record_decision(con, GRANT, PERSON, "CONFIRMED", "agent.13", datetime(2026, 11, 16, 9))
    out = inbox.decide()
    assert _link(con, GRANT)[0][:2] == ("LINKED", "AGENT_CONFIRMED")
    assert not out.listed(MEASURES)
    later = date(2026, 11, 17)
    inbox.telemofpra(later, DATE_NAISSANCE="20/05/1993", **grant)
    out = inbox.decide(later)
    link = _link(con, GRANT)
    assert not out.listed(MEASURES), (link, out.listed(MEASURES))


def test_a_detainee_rejected_for_person_does_not_cut_person_s_own_grant_from_them(
        tmp_path, con):
    """core_person_links.sql `refused`: a rejection of a GENESIS record for PERSON was
    extended to every record of the very same identity, whatever its system. A
    namesake detainee is rejected for PERSON by an agent; PERSON's own asylum record
    (refugee status, giving PERSON's AGDREF number, which verifies) was then refused too
    and went to REVIEW as NUMBER_NOT_VERIFIED (a false reason: the number verifies): the
    person's own claims cut from them on every list by a decision about somebody else.
    The extension now holds for detainees of a complete identity only."""
    detainee = "genesis:E01301:000101"
    inbox = namesake_detained(tmp_path, con)
    inbox.decide()
    assert _link(con, detainee)[0] == ("LINKED", "PROBABILISTIC", PERSON)
    record_decision(con, detainee, PERSON, "REJECTED", "agent.13", datetime(2026, 11, 16, 9))
    inbox.decide()
    # PERSON's own grant, giving PERSON's number
    inbox.telemofpra(date(2026, 11, 16), SENS_DECISION="REFUGIE",
                     DATE_NOTIFICATION="07/09/2026", DATE_DEFINITIVE="")
    out = inbox.decide()
    link = _link(con, GRANT)
    assert not out.listed(MEASURES), (link, out.listed(MEASURES))
    assert link[0][0] == "LINKED", link
