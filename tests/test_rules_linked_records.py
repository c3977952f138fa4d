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


@pytest.mark.parametrize("own_file", [False, True], ids=["no-own-file", "own-file-in-agdref"])
def test_a_number_given_with_a_slip_of_the_date_and_another_name_does_not_tie(
        tmp_path, con, own_file):
    """PRI-08: a detainee who cannot be tied to a file with confidence is
    IDENTITY_TO_CONFIRM. DIAW MAMADY, born 02/03/1990, gives the number of DIALLO MAMADOU,
    born 14/03/1990 and under an OQTF: the names are alike only at a glance (Jaro-Winkler
    0.83 and 0.91), the day differs. The number verified through that slip of the date,
    and he was planned for removal under the other's OQTF, his own file in AGDREF or not
    (identity audit of 2026-12-07). Through a slip the names must be the same names; the
    control: MAMADOU DIALLO himself, born 15/03/1990 by the prison, is tied by the number."""
    inbox = Inbox(tmp_path / "inbox", con).person().others().measure(
        DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025",
        SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    if own_file:
        inbox.person(NUM_AGDREF="0600000001", NOM="DIAW", PRENOMS="MAMADY",
                     DATE_NAISSANCE="02/03/1990", DATE_ENTREE_FRANCE="05/05/2019")
    inbox.genesis(date(2026, 11, 12), row(
        "genesis", NUM_AGDREF=PERSON, NOM="DIAW", PRENOMS="MAMADY", DATE_NAISSANCE="02/03/1990",
        NATIONALITE="GUINEE", LIEU_NAISSANCE="Conakry"))
    out = inbox.decide()
    assert link_of(con, DETAINEE)[:2] != ("LINKED", "NUMBER_VERIFIED")
    assert not [f for f in out.listed(RELEASES) if f["situation"] == "ENFORCEABLE_MEASURE"]
    assert not [f for f in out.listed(MEASURES) if f["in_detention"]]
    inbox.genesis(date(2026, 11, 13), row(
        "genesis", NUM_AGDREF=PERSON, NOM="DIALLO", PRENOMS="MAMADOU",
        DATE_NAISSANCE="15/03/1990", NATIONALITE="GUINEE", LIEU_NAISSANCE="Conakry"))
    inbox.decide()
    assert link_of(con, DETAINEE)[:2] == ("LINKED", "NUMBER_VERIFIED")


@pytest.mark.parametrize(("protection", "worklist"), [
    ("ADA", RELEASES), ("REFUGIE", RELEASES), ("CST", REJECTED)])
def test_a_record_giving_a_protected_file_s_number_is_held_by_its_protection(
        tmp_path, con, protection, worklist):
    """Principle 1 and §5: a record gives the number of another DIALLO MAMADOU's file
    (born 1985: the number does not verify on a 1990 birth date), and the model links it
    to the namesake born 1990, under an OQTF. That file's holder holds a valid asylum
    attestation, refugee status or a residence card: the record says it may be him, so
    his protection holds the record. The detainee was ENFORCEABLE_MEASURE under the
    namesake's OQTF and the claimant on the rejected list (identity audit of 2026-12-07)."""
    other = "0555555555"
    inbox = Inbox(tmp_path, con).person().others().person(
        NUM_AGDREF=other, DATE_NAISSANCE="14/03/1985").measure(
        DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025",
        SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    if protection == "REFUGIE":
        inbox.telemofpra(date(2020, 9, 11), NUM_OFPRA="OF20190000009", NUM_AGDREF=other,
                         DATE_NAISSANCE="14/03/1985", SENS_DECISION="REFUGIE",
                         DATE_INTRODUCTION="02/01/2019", DATE_DECISION="03/09/2020",
                         DATE_NOTIFICATION="07/09/2020", DATE_DEFINITIVE="")
    else:
        inbox.title(NUM_AGDREF=other, TYPE_TITRE=protection, DATE_DEBUT="01/01/2026",
                    DATE_FIN="31/12/2027", STATUT="VALIDE")
    if worklist == RELEASES:
        inbox.genesis(date(2026, 11, 12), row(
            "genesis", NUM_AGDREF=other, NOM="DIALLO", PRENOMS="MAMADOU",
            DATE_NAISSANCE="14/03/1990", NATIONALITE="GUINEE", LIEU_NAISSANCE="Conakry"))
    else:
        inbox.telemofpra(FINAL_LIST, NUM_AGDREF=other)
    out = inbox.decide()
    record = DETAINEE if worklist == RELEASES else RECORD
    assert link_of(con, record)[:3] == ("LINKED", "PROBABILISTIC", PERSON)
    assert out.listed(worklist) == []
    assert out.excluded(worklist)


def test_a_namesake_is_not_tied_while_another_detainee_gives_the_file_s_number(tmp_path, con):
    """PRI-01 (one person is not held twice) and PRI-08: two detainees held now, D1 DIALLO
    MAMADOU born 14/03/1990 as the file under an OQTF, giving no number; D2 DIALLO MAMADOU
    born 14/03/1985, giving the file's number (not verified: the year differs). One of
    them is someone else: D1, linked by the model alone, goes to an agent
    (ANOTHER_DETAINEE) as when D2's number verifies; he was ENFORCEABLE_MEASURE under the
    file's OQTF (identity audit of 2026-12-07)."""
    inbox = Inbox(tmp_path, con).person().others().measure(
        DATE_DECISION="01/03/2025", DATE_NOTIFICATION="03/03/2025",
        SITUATION_NOTIFICATION="DETENU", DELAI_DEPART_JOURS="")
    held = {"NOM": "DIALLO", "PRENOMS": "MAMADOU", "NATIONALITE": "GUINEE",
            "LIEU_NAISSANCE": "Conakry"}
    inbox.genesis(date(2026, 11, 12),
                  row("genesis", NUM_ECROU="000101", DATE_NAISSANCE="14/03/1990", **held),
                  row("genesis", NUM_ECROU="000202", NUM_AGDREF=PERSON,
                      DATE_NAISSANCE="14/03/1985", **held))
    out = inbox.decide()
    assert link_of(con, DETAINEE)[:2] == ("REVIEW", "ANOTHER_DETAINEE")
    assert link_of(con, "genesis:E01301:000202")[:2] == ("REVIEW", "NUMBER_NOT_VERIFIED")
    assert not [f for f in out.listed(RELEASES) if f["situation"] == "ENFORCEABLE_MEASURE"]
