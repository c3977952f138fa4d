"""Name skeletons for matching transliterated names (transforms/identity/core_name_keys.sql),
and what they change: a record given an AGDREF number is linked although its names are
spelled otherwise, never a namesake of another nationality or birth year."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from schemas.codes import REJECTED
from tests.scenarios import PERSON, Inbox
from transforms.warehouse.database import read_sql


@pytest.fixture(scope="module")
def keys():
    con = duckdb.connect()
    con.execute(read_sql("core_name_keys.sql"))
    yield lambda name: con.execute("SELECT name_skeleton(?)", [name]).fetchone()[0]
    con.close()


@pytest.mark.parametrize("spellings", [
    ("MOHAMED", "MOHAMMED", "MUHAMMAD", "MOHAMMAD"),
    ("ABDELKADER", "ABD EL KADER", "ABDULKADIR", "ABDELQADER"),
    ("BEN ALI", "BENALI"),
    ("OUEDRAOGO", "WEDRAOGO"),
    ("YOUSSEF", "YUSUF"),
    ("KHALED", "KHALID"),
    ("N'DIAYE", "NDIAYE", "N DIAYE"),
])
def test_spellings_of_one_name_share_a_skeleton(keys, spellings):
    assert len({keys(s) for s in spellings}) == 1


@pytest.mark.parametrize(("one", "other"), [
    ("MOHAMED", "MAHAMAT"), ("DIALLO", "DIARRA"), ("AMADOU", "AHMED"), ("ALI", "ELIE"),
])
def test_different_names_keep_different_skeletons(keys, one, other):
    assert keys(one) != keys(other)


FINAL_LIST = date(2026, 10, 9)


def test_a_number_with_names_spelled_otherwise_is_linked(tmp_path, con):
    inbox = Inbox(tmp_path, con).person(NOM="OUEDRAOGO", PRENOMS="MOHAMED")
    flag = inbox.telemofpra(FINAL_LIST, NOM="WEDRAOGO", PRENOMS="MUHAMMAD").decide(
    ).only_listed(REJECTED)
    assert flag["num_agdref"] == PERSON


@pytest.mark.parametrize("difference", [{"NATIONALITE": "MLI"},
                                        # two years off: more than the one slip a
                                        # number given carries (test_linkage.py)
                                        {"DATE_NAISSANCE": "14/03/1992"}])
def test_a_namesake_of_another_nationality_or_birth_year_is_never_linked(tmp_path, con,
                                                                         difference):
    inbox = Inbox(tmp_path, con).person(NOM="OUEDRAOGO", PRENOMS="MOHAMED")
    out = inbox.telemofpra(FINAL_LIST, NOM="WEDRAOGO", PRENOMS="MUHAMMAD",
                           **difference).decide()
    assert out.listed(REJECTED) == []
    assert out.reason(REJECTED) == "IDENTITY_CONFLICT"
