"""Indicators (marts), each checked on a tiny inbox whose answer is known by hand."""

from __future__ import annotations

from datetime import date

import duckdb

from tests.builders import row, write_file
from tests.conftest import ingest
from tests.scenarios import RUN, Inbox
from transforms.night import rebuild_night

FINAL_LIST = date(2026, 10, 9)  # knowledge date of the builders' rejection
SECOND = {"NUM_AGDREF": "0987654321", "NOM": "KEITA", "PRENOMS": "SEKOU",
          "DATE_NAISSANCE": "02/02/1985"}
THIRD = {"NUM_AGDREF": "0555555555", "NOM": "CAMARA", "PRENOMS": "ALPHA",
         "DATE_NAISSANCE": "05/05/1980"}
FOURTH = {"NUM_AGDREF": "0666666666", "NOM": "SYLLA", "PRENOMS": "MARIAMA",
          "DATE_NAISSANCE": "07/07/1982"}


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def mart(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    return con.sql(f"SELECT * FROM marts.{table} ORDER BY ALL").pl().to_dicts()  # noqa: S608


def test_rejections_and_the_oqtf_that_followed(tmp_path, con):
    inbox = Inbox(tmp_path, con, marts=True).person().person(**SECOND).person(**THIRD)
    for n, person in enumerate(({}, SECOND, THIRD), start=1):
        inbox.telemofpra(FINAL_LIST, NUM_OFPRA=f"OF2025000000{n}", **person)
    inbox.measure()  # L611-1-4 decided 20/10: 11 days after the knowledge date, in time
    inbox.measure(ID_MESURE="M01300000002", NUM_AGDREF=SECOND["NUM_AGDREF"],
                  DATE_DECISION="02/11/2026", DATE_NOTIFICATION="03/11/2026")  # 24 days
    inbox.measure(ID_MESURE="M01300000003", NUM_AGDREF=THIRD["NUM_AGDREF"],
                  FONDEMENT="L611-1-2")  # another basis: not an OQTF after a rejection
    inbox.decide()
    assert mart(con, "rejections_oqtf") == [{
        "department": "13", "iso_week": iso_week(FINAL_LIST), "nationality": "GIN",
        "final_rejections": 3, "oqtf_issued": 2, "oqtf_within_deadline": 1,
        "share_issued": 0.6667, "share_within_deadline": 0.3333, "median_delay_days": 17.5,
    }]


def test_overdue_backlog_by_band(tmp_path, con):
    inbox = Inbox(tmp_path, con, marts=True).person().person(**SECOND)
    inbox.telemofpra(FINAL_LIST)  # due 24/10: 23 days overdue on RUN
    inbox.telemofpra(date(2026, 11, 13), NUM_OFPRA="OF20250000002", **SECOND)  # not yet due
    inbox.decide()
    assert mart(con, "overdue_backlog") == [
        {"department": "13", "nationality": "GIN", "days_overdue_band": "0", "persons": 1,
         "to_assess_first": 0},
        {"department": "13", "nationality": "GIN", "days_overdue_band": "1-30", "persons": 1,
         "to_assess_first": 0},
    ]


OLD_OQTF = {"DATE_DECISION": "01/03/2026", "DATE_NOTIFICATION": "03/03/2026"}


def test_unexecuted_measures_by_age_and_coercibility(tmp_path, con):
    inbox = Inbox(tmp_path, con, marts=True).person().person(**SECOND)
    inbox.measure(**OLD_OQTF)
    inbox.measure(ID_MESURE="M01300000002", NUM_AGDREF=SECOND["NUM_AGDREF"],
                  DATE_DECISION="01/03/2023", DATE_NOTIFICATION="03/03/2023")  # 3 years on
    inbox.decide()
    assert mart(con, "unexecuted_measures") == [
        {"department": "13", "measure_type": "OQTF", "age_band": "1096+",
         "is_coercible": False, "in_detention": False, "measures": 1},
        {"department": "13", "measure_type": "OQTF", "age_band": "91-365",
         "is_coercible": True, "in_detention": False, "measures": 1},
    ]


def test_execution_events_outcomes_passes_and_return_aid(tmp_path, con):
    inbox = Inbox(tmp_path, con, marts=True).person().measure(**OLD_OQTF)
    events = [("AIDE_RETOUR_PROPOSEE", "02/04/2026", ""),
              ("DEMANDE_LAISSEZ_PASSER", "10/04/2026", ""),
              ("LAISSEZ_PASSER_REFUSE", "20/04/2026", ""),
              ("DEMANDE_LAISSEZ_PASSER", "04/05/2026", ""),
              ("LAISSEZ_PASSER_OBTENU", "06/05/2026", ""),
              ("ECHEC_ELOIGNEMENT", "07/05/2026", "Passager M. X absent"),  # rare text
              *[("ECHEC_ELOIGNEMENT", f"{d:02d}/06/2026", "refus d'embarquer")
                for d in (1, 2, 3, 4, 5)]]
    for kind, day, reason in events:
        inbox.event(TYPE_EVENEMENT=kind, DATE_EVENEMENT=day, MOTIF=reason)
    inbox.decide()
    week = iso_week
    assert mart(con, "consular_passes") == [
        {"department": "13", "iso_week": week(date(2026, 4, 10)), "nationality": "GIN",
         "requested": 1, "granted": 0, "refused": 0},
        {"department": "13", "iso_week": week(date(2026, 4, 20)), "nationality": "GIN",
         "requested": 0, "granted": 0, "refused": 1},
        {"department": "13", "iso_week": week(date(2026, 5, 4)), "nationality": "GIN",
         "requested": 1, "granted": 1, "refused": 0},
    ]
    assert mart(con, "return_aid") == [
        {"department": "13", "iso_week": week(date(2026, 4, 2)), "nationality": "GIN",
         "measure_type": "OQTF", "proposed": 1}]
    failures = {(r["failure_reason"], r["events"]) for r in mart(con, "execution_outcomes")}
    # Free text shared by fewer than 5 events never reaches a mart.
    assert failures == {("autre", 1), ("refus d'embarquer", 5)}
    assert {r["outcome"] for r in mart(con, "execution_outcomes")} == {"FAILURE"}


def test_upcoming_releases_by_week_with_date_changes(tmp_path, con):
    inbox = Inbox(tmp_path, con, marts=True)
    inbox.genesis(date(2026, 11, 1), row("genesis", DATE_LIBERATION_PREVISIBLE="20/01/2027"))
    inbox.genesis(date(2026, 11, 15), row("genesis"))  # 15/01/2027: five days earlier
    inbox.decide()
    assert mart(con, "upcoming_releases") == [
        {"department": "13", "release_week": iso_week(date(2027, 1, 15)),
         "situation": "IDENTITY_TO_CONFIRM", "detainees": 1, "release_brought_forward": 1,
         "release_postponed": 0}]


def test_handovers_by_quarter_and_state_executed_or_not(tmp_path, con):
    """By destination State (ETAT_MEMBRE; INCONNU when AGDREF does not give it)."""
    inbox = Inbox(tmp_path, con, marts=True).person()
    inbox.measure(TYPE_MESURE="TRANSFERT_DUBLIN", FONDEMENT="L572-1", DELAI_DEPART_JOURS="",
                  DATE_DECISION="10/07/2026", DATE_NOTIFICATION="12/07/2026",
                  DATE_ACCORD_ETAT_MEMBRE="01/07/2026", STATUT="EXECUTEE", ETAT_MEMBRE="ITA")
    inbox.measure(ID_MESURE="M01300000003", TYPE_MESURE="TRANSFERT_DUBLIN",
                  FONDEMENT="L572-1", DELAI_DEPART_JOURS="", DATE_DECISION="10/09/2026",
                  DATE_NOTIFICATION="12/09/2026", DATE_ACCORD_ETAT_MEMBRE="01/09/2026",
                  ETAT_MEMBRE="ITA")
    inbox.measure(ID_MESURE="M01300000004", TYPE_MESURE="TRANSFERT_DUBLIN",
                  FONDEMENT="L572-1", DELAI_DEPART_JOURS="", DATE_DECISION="11/09/2026",
                  DATE_NOTIFICATION="12/09/2026", DATE_ACCORD_ETAT_MEMBRE="01/09/2026",
                  ETAT_MEMBRE="DEU")
    inbox.measure(ID_MESURE="M01300000002", TYPE_MESURE="REMISE", FONDEMENT="L621-2",
                  DELAI_DEPART_JOURS="", DATE_DECISION="20/08/2026",
                  DATE_NOTIFICATION="21/08/2026", DATE_ACCORD_ETAT_MEMBRE="15/08/2026")
    inbox.event(ID_MESURE="M01300000002", TYPE_EVENEMENT="ECHEC_ELOIGNEMENT",
                DATE_EVENEMENT="01/10/2026", MOTIF="vol annulé")
    inbox.decide()
    assert mart(con, "handovers_quarterly") == [
        {"quarter": "2026-Q3", "department": "13", "nationality": "GIN",
         "member_state": "DEU", "measure_type": "TRANSFERT_DUBLIN", "measures": 1,
         "executed": 0, "not_executed": 1, "failed_attempts": 0, "failure_reasons": []},
        {"quarter": "2026-Q3", "department": "13", "nationality": "GIN",
         "member_state": "INCONNU", "measure_type": "REMISE", "measures": 1, "executed": 0,
         "not_executed": 1, "failed_attempts": 1, "failure_reasons": ["autre"]},
        {"quarter": "2026-Q3", "department": "13", "nationality": "GIN",
         "member_state": "ITA", "measure_type": "TRANSFERT_DUBLIN", "measures": 2,
         "executed": 1, "not_executed": 1, "failed_attempts": 0, "failure_reasons": []},
    ]


def test_data_quality_counts_files_rows_and_quarantine(tmp_path, con):
    write_file(tmp_path, "TELEMOFPRA_13_20261113.csv", "telemofpra",
               [row("telemofpra"), row("telemofpra", NUM_OFPRA="OF20250000002",
                                       DATE_DECISION="31/02/2026")])
    write_file(tmp_path, "GENESIS_E01301_20261115.csv", "genesis", [row("genesis")])
    (tmp_path / "telemofpra" / "notes.txt").write_text("not a list")
    ingest(con, tmp_path)
    run_ids = {r[0] for r in con.sql("SELECT DISTINCT run_id FROM audit.files").fetchall()}
    rebuild_night(con, RUN, horizon_days=120)
    quality = {(r["system"], r["department"], r["status"]): (r["files"], r["rows_read"],
               r["rows_staged"], r["rows_quarantined"]) for r in mart(con, "data_quality")}
    assert quality == {("telemofpra", "13", "LOADED"): (1, 2, 1, 1),
                       ("genesis", "13", "LOADED"): (1, 1, 1, 0),
                       ("telemofpra", None, "REJECTED"): (1, 0, 0, 0)}
    reasons = mart(con, "quarantine_reasons")
    assert [(r["system"], r["department"], r["column_name"], r["check_name"],
             r["rows_quarantined"]) for r in reasons] == [
        ("telemofpra", "13", "DATE_DECISION", "calendar_date", 1)]
    assert {r["run_id"] for r in reasons} <= run_ids



def test_a_corrected_and_a_re_sent_file_are_each_counted_once(tmp_path, con):
    """Files are counted from audit.files, one per name and checksum: a correction under
    the same name as the file it replaces was counted twice (12 files shown for 11)."""
    import shutil

    write_file(tmp_path, "TELEMOFPRA_13_20261113.csv", "telemofpra", [row("telemofpra")])
    genesis = write_file(tmp_path, "GENESIS_E01301_20261115.csv", "genesis", [row("genesis")])
    ingest(con, tmp_path)  # night 1: two files loaded
    # Night 2: the TélémOfpra list corrected under its name, the GENESIS list's bytes
    # delivered late under an earlier date (that date's delivery: UNCHANGED), a new
    # AGDREF snapshot.
    write_file(tmp_path, "TELEMOFPRA_13_20261113.csv", "telemofpra",
               [row("telemofpra"), row("telemofpra", NUM_OFPRA="OF20250000002")])
    shutil.copy(genesis, genesis.with_name("GENESIS_E01301_20261114.csv"))
    write_file(tmp_path, "AGDREF_PERSONNES_13_20261116.csv", "agdref_personnes",
               [row("agdref_personnes")])
    ingest(con, tmp_path)
    rebuild_night(con, RUN, horizon_days=120)
    files = con.sql("SELECT run_id, status, count(DISTINCT (file_name, sha256)) AS n "
                    "FROM audit.files GROUP BY ALL").fetchall()
    totals = {}
    for _, status, n in files:
        totals[status] = totals.get(status, 0) + n
    assert totals == {"LOADED": 3, "SUPERSEDED": 1, "UNCHANGED": 1}
    counted = con.sql("SELECT run_id, status, sum(files)::INT FROM marts.data_quality "
                      "GROUP BY ALL").fetchall()
    assert sorted(counted) == sorted(files)
    # Night 2's correction is said as one, where the night's page showed it as a file
    # loaded and no file replaced (the replaced file's row is night 1's)
    [(night_2,)] = con.execute("SELECT DISTINCT run_id FROM audit.files "
                               "WHERE starts_with(file_name, 'AGDREF')").fetchall()
    assert con.execute("SELECT system, status, files, corrections FROM marts.data_quality "
                       "WHERE run_id = ? ORDER BY ALL", [night_2]).fetchall() == [
        ("agdref", "LOADED", 1, 0), ("genesis", "UNCHANGED", 1, 0),
        ("telemofpra", "LOADED", 1, 1)]
    con.execute("INSERT INTO audit.runs BY NAME SELECT ? AS run_id, ? AS as_of_date, "
                "now() AS started_at, now() AS finished_at, 'SUCCEEDED' AS status",
                [night_2, RUN])
    from dashboards.charts import files_tonight
    from dashboards.scope import Scope

    chart = files_tonight(con, Scope(None, RUN, night_2))
    bars = {t["name"]: dict(zip(t["x"], t["y"], strict=True)) for t in chart["data"]}
    assert bars["corrections d'un fichier déjà reçu (chargées)"] == {
        "AGDREF": 0, "GENESIS": 0, "TélémOfpra": 1}
    assert bars["chargés"] == {"AGDREF": 1, "GENESIS": 0, "TélémOfpra": 0}
    # Night 3 corrects the list once more: the list of night 1 is no correction of night
    # 2's, which also names it (both replaced under the same name)
    [(night_1,)] = con.execute("SELECT DISTINCT run_id FROM audit.files WHERE run_id <> ?",
                               [night_2]).fetchall()
    con.execute("INSERT INTO audit.runs BY NAME SELECT ? AS run_id, ? AS as_of_date, "
                "now() - INTERVAL 1 DAY AS started_at, now() AS finished_at, "
                "'SUCCEEDED' AS status", [night_1, RUN])
    write_file(tmp_path, "TELEMOFPRA_13_20261113.csv", "telemofpra",
               [row("telemofpra"), row("telemofpra", NUM_OFPRA="OF20250000003")])
    ingest(con, tmp_path)
    [(night_3,)] = con.execute("SELECT DISTINCT run_id FROM audit.files "
                               "WHERE run_id NOT IN (?, ?)", [night_1, night_2]).fetchall()
    con.execute("INSERT INTO audit.runs BY NAME SELECT ? AS run_id, ? AS as_of_date, "
                "now() + INTERVAL 1 DAY AS started_at, now() AS finished_at, "
                "'SUCCEEDED' AS status", [night_3, RUN])
    rebuild_night(con, RUN, horizon_days=120)
    corrections = dict(con.execute(
        "SELECT run_id, sum(corrections)::INT FROM marts.data_quality "
        "WHERE system = 'telemofpra' GROUP BY ALL").fetchall())
    assert corrections == {night_1: 0, night_2: 1, night_3: 1}


def test_consular_passes_pending_with_their_age(tmp_path, con):
    """A request answered (granted or refused) is no longer pending; the latest request
    of a measure with no answer on or after it waits, counted in days to the run date."""
    inbox = Inbox(tmp_path, con, marts=True).person().person(**SECOND)
    inbox.measure(**OLD_OQTF)
    inbox.measure(ID_MESURE="M01300000002", NUM_AGDREF=SECOND["NUM_AGDREF"], **OLD_OQTF)
    for kind, day in (("DEMANDE_LAISSEZ_PASSER", "10/04/2026"),
                      ("LAISSEZ_PASSER_REFUSE", "20/04/2026"),
                      ("DEMANDE_LAISSEZ_PASSER", "01/10/2026")):
        inbox.event(TYPE_EVENEMENT=kind, DATE_EVENEMENT=day)
    for kind, day in (("DEMANDE_LAISSEZ_PASSER", "04/05/2026"),
                      ("LAISSEZ_PASSER_OBTENU", "06/05/2026")):
        inbox.event(ID_MESURE="M01300000002", TYPE_EVENEMENT=kind, DATE_EVENEMENT=day)
    inbox.decide()
    assert mart(con, "consular_passes_pending") == [
        {"department": "13", "nationality": "GIN", "waiting_band": "31-90", "pending": 1,
         "oldest_days": (RUN - date(2026, 10, 1)).days}]


def test_objectives_indicators_by_month(tmp_path, con):
    """Rejections count in the month of their knowledge date once their 15 days are over
    (from the day after the due date: on it the unit can still act, days_overdue 0);
    removals and consular passes obtained in the month of the event."""
    inbox = Inbox(tmp_path, con, marts=True).person().person(**SECOND).person(**THIRD)
    inbox.person(**FOURTH)
    inbox.telemofpra(FINAL_LIST, NUM_OFPRA="OF20250000001")
    inbox.telemofpra(FINAL_LIST, NUM_OFPRA="OF20250000002", **SECOND)
    inbox.telemofpra(RUN, NUM_OFPRA="OF20250000003", **THIRD)  # 15 days not over: not yet
    # known 01/11, due 16/11, the run date: not yet late, not yet counted
    inbox.telemofpra(date(2026, 11, 1), NUM_OFPRA="OF20250000004", **FOURTH)
    inbox.measure()  # decided 20/10: 11 days after the knowledge date, in time
    for kind, day in (("LAISSEZ_PASSER_OBTENU", "06/05/2026"),
                      ("ELOIGNEMENT_EXECUTE", "20/05/2026"),
                      ("ELOIGNEMENT_EXECUTE", "02/06/2026")):
        inbox.event(TYPE_EVENEMENT=kind, DATE_EVENEMENT=day, MOTIF="")
    inbox.decide()
    assert mart(con, "objectives_monthly") == [
        {"department": "13", "month": "2026-05", "indicator": "CONSULAR_PASSES_OBTAINED",
         "achieved": 1, "base": None},
        {"department": "13", "month": "2026-05", "indicator": "REMOVALS_EXECUTED",
         "achieved": 1, "base": None},
        {"department": "13", "month": "2026-06", "indicator": "REMOVALS_EXECUTED",
         "achieved": 1, "base": None},
        {"department": "13", "month": "2026-10", "indicator": "OQTF_WITHIN_15_DAYS",
         "achieved": 1, "base": 2},
    ]


def test_an_event_counts_for_its_measure_s_managing_department(tmp_path, con):
    """CONTRACTS §2: a measure's department is its file's managing department; its
    events are counted there too (a file of the 13 snapshot managed by 75)."""
    inbox = Inbox(tmp_path, con, marts=True).person(DEPT_GESTION="75").measure(**OLD_OQTF)
    inbox.event(TYPE_EVENEMENT="DEMANDE_LAISSEZ_PASSER", DATE_EVENEMENT="10/04/2026",
                MOTIF="")
    inbox.decide()
    assert [r["department"] for r in mart(con, "consular_passes")] == ["75"]


def test_a_measure_in_two_departments_snapshots_has_its_events_counted_once(tmp_path, con):
    """CONTRACTS §2 (one removal measure, its execution events summarised) and
    docs/analysts.md (a free-text reason shared by fewer than 5 events is `autre`): the
    file and its OQTF are in the latest snapshots of 13 and 75 of one date, each with the
    same events. The measure is one, and so is each event: one removal, one pass
    request, three failed attempts whose rare text (a name) stays `autre`."""
    inbox = Inbox(tmp_path, con, marts=True).person(DEPT_GESTION="75").measure(**OLD_OQTF)
    inbox.add(f"AGDREF_PERSONNES_75_{RUN:%Y%m%d}.csv", "agdref_personnes",
              row("agdref_personnes", DEPT_GESTION="75"))
    inbox.add(f"AGDREF_MESURES_75_{RUN:%Y%m%d}.csv", "agdref_mesures",
              row("agdref_mesures", **OLD_OQTF))
    events = [{"TYPE_EVENEMENT": "DEMANDE_LAISSEZ_PASSER", "DATE_EVENEMENT": "10/04/2026",
               "MOTIF": ""},
              *({"TYPE_EVENEMENT": "ECHEC_ELOIGNEMENT", "DATE_EVENEMENT": day,
                 "MOTIF": "Passager M. DIALLO absent"}
                for day in ("01/05/2026", "02/05/2026", "03/05/2026")),
              {"TYPE_EVENEMENT": "ELOIGNEMENT_EXECUTE", "DATE_EVENEMENT": "20/05/2026",
               "MOTIF": ""}]
    for event in events:
        inbox.event(**event)
        inbox.add(f"AGDREF_EVENEMENTS_75_{RUN:%Y%m%d}.csv", "agdref_evenements",
                  row("agdref_evenements", **event))
    inbox.decide()
    assert con.execute("SELECT count(*) FROM core.removal_measures").fetchall() == [(1,)]
    assert con.execute("SELECT count(*) FROM core.measure_events").fetchall() == [(10,)]
    assert sum(r["requested"] for r in mart(con, "consular_passes")) == 1
    assert [(r["indicator"], r["achieved"]) for r in mart(con, "objectives_monthly")] == [
        ("REMOVALS_EXECUTED", 1)]
    outcomes = mart(con, "execution_outcomes")
    assert {r["failure_reason"] for r in outcomes} <= {"autre", None}, outcomes
    assert sum(r["events"] for r in outcomes) == 4, outcomes


def test_a_release_date_already_past_is_not_a_week_to_come(tmp_path, con):
    """PRI-09: a detainee to identify is listed whatever the release date, a past one
    included (10/11 on 16/11). The mart puts them under 'date passée', not in a past
    week, and the headline's "dans les 8 semaines" counts releases to come only."""
    from dashboards import build as dashboard

    inbox = Inbox(tmp_path, con, marts=True)
    inbox.genesis(date(2026, 11, 15), row("genesis", DATE_LIBERATION_PREVISIBLE="10/11/2026"))
    inbox.decide()
    assert [(r["release_week"], r["situation"]) for r in mart(con, "upcoming_releases")] \
        == [("date passée", "IDENTITY_TO_CONFIRM")]
    cards = {card.label: card.detail for card in
             dashboard.headline(con, dashboard.Scope("13", RUN, "r"))}
    assert "dont 0 dans les 8 semaines" in cards["Libérations à venir"], cards
