"""CSV exports (docs/contracts.md §3): cells, scoping per department, audit, publication."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from schemas import codes
from schemas import exports as contract
from tests.conftest import SAMPLE_AS_OF
from transforms.publish import export

RUN = date(2026, 11, 16)


def release_rows(**changes) -> pl.DataFrame:
    row = {
        "flag_id": "REL-1", "person_key": "genesis:ABC123:42", "num_agdref": None,
        "department": "13", "markers": [], "rule_ids": ["PRI-01", "PRI-07"],
        "first_seen_date": RUN, "source_rows": ["GENESIS_ABC123_20261116.csv:2"],
        "establishment_code": "ABC123", "release_date": date(2027, 1, 5),
        "window_start_date": date(2026, 10, 5), "situation": "IDENTITY_TO_CONFIRM",
        "measure_ids": [], "release_date_change_days": -12,
        "handling_state": "IN_PROGRESS", "assignee": "agent13",
    }
    row.update(changes)
    return pl.DataFrame([row], schema_overrides={"markers": pl.List(pl.String),
                                                 "measure_ids": pl.List(pl.String),
                                                 "num_agdref": pl.String,
                                                 "release_date_change_days": pl.Int32})


def test_cells_are_french_and_spreadsheet_ready():
    cells = export.export_frame(release_rows(), codes.RELEASES, RUN).row(0, named=True)
    assert list(cells) == contract.headers(codes.RELEASES)
    assert cells["Libération prévisible"] == "05/01/2027"
    assert cells["Nouveau"] == contract.YES
    assert cells["Règles appliquées"] == "PRI-01 | PRI-07"
    # A rule id is a code too (§3): the next column sums each rule up, in the same order.
    assert cells["Règles appliquées (en clair)"] == (
        "La dernière liste de chaque établissement fait foi ; une liste de plus de 16 jours "
        "est en retard | Ne jamais saisir les autorités consulaires au sujet d'un réfugié "
        "ou d'une personne en attente d'une décision de l'OFPRA ou de la CNDA")
    assert cells["Points d'attention"] is None and cells["N° AGDREF"] is None
    # A number stays a number, even negative: only text cells are neutralised.
    assert cells["Décalage de libération (jours)"] == "-12"


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\")", "+33", "-1+1", "@SUM(A1)"])
def test_a_text_cell_never_starts_a_formula(payload):
    frame = release_rows(establishment_code=payload, source_rows=[payload, "f.csv:2"])
    cells = export.export_frame(frame, codes.RELEASES, RUN).row(0, named=True)
    assert cells["Établissement"] == "'" + payload
    assert cells["Lignes sources"] == "'" + payload + " | f.csv:2"


def test_rows_are_in_working_order():
    frame = pl.concat([release_rows(flag_id="REL-2", release_date=date(2027, 2, 1)),
                       release_rows(flag_id="REL-1", release_date=date(2027, 1, 5),
                                    first_seen_date=date(2026, 11, 1))])
    cells = export.export_frame(frame, codes.RELEASES, RUN)
    assert cells["Identifiant signalement"].to_list() == ["REL-1", "REL-2"]
    assert cells["Nouveau"].to_list() == [contract.NO, contract.YES]


def read_export(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), f"{path.name}: no BOM"
    return pl.read_csv(path, separator=";", infer_schema=False, encoding="utf8")


def test_each_department_sees_its_rows_and_no_row_is_lost(sample_warehouse, tmp_path):
    lists = export.load_lists(sample_warehouse)
    departments = export.export_departments(sample_warehouse)
    assert len(departments) >= 2
    records = []
    for department in departments:
        records += export.write_department(lists, department, tmp_path / department,
                                           SAMPLE_AS_OF)
    for worklist in codes.EXPORTED_TABLES:
        key = "alert_id" if worklist == codes.LEGAL_ALERTS else "flag_id"
        exported = []
        for department in departments:
            name = contract.FILE_NAME.format(worklist=worklist, day=SAMPLE_AS_OF)
            frame = read_export(tmp_path / department / name)
            assert frame.columns == contract.headers(worklist)
            assert set(frame["Département"].to_list()) <= {department}
            exported += frame[contract.COLUMNS[worklist][key][0]].to_list()
        assert sorted(exported) == sorted(lists[worklist][key].to_list())
        assert len(exported) > 0
    readme = (tmp_path / departments[0] / "README.txt").read_text(encoding="utf-8-sig")
    for code in [*contract.MARKERS_FR, *contract.REASONS_FR]:
        assert code in readme
    assert {r["file_name"].split("/")[0] for r in records} == set(departments)
    for record in records:
        assert record["sha256"] == export.checksum(tmp_path / record["file_name"])


def test_writer_threads_write_the_same_files_as_one(sample_warehouse, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from flows.pipeline import list_writers

    lists = export.load_lists(sample_warehouse)
    departments = export.export_departments(sample_warehouse)

    folders = export.folder_lists(lists, departments, SAMPLE_AS_OF)

    def write(writers, root) -> list[dict]:
        with writers:
            futures = [writers.submit(export.write_folder, folders[d], d, root / d,
                                      SAMPLE_AS_OF) for d in departments]
            return [record for done in futures for record in done.result()]

    # the same files, byte for byte (each record carries its file's checksum)
    threads = write(list_writers(len(departments)), tmp_path / "threads")
    assert threads == write(ThreadPoolExecutor(max_workers=1), tmp_path / "one")
    # per department: three lists, the legal alerts and the flags resolved tonight, each
    # as CSV and XLSX, the handovers of the last four quarters as CSV, and README.txt
    assert {r["department"] for r in threads} == set(departments)
    assert len(threads) == (2 * 5 + 4 + 1) * len(departments)


def test_the_lists_rendered_once_for_all_departments_are_each_rendered_alone(
        sample_warehouse):
    """The night renders each list once and splits it by department: every department's
    cells (CSV and XLSX), handovers and unattributed executions are those of its rows
    taken alone, in the same order; a department without rows gets the header alone."""
    from polars.testing import assert_frame_equal

    from schemas import handovers

    lists = export.load_lists(sample_warehouse)
    departments = [*export.export_departments(sample_warehouse), "976"]
    assert not any(rows.filter(pl.col("department") == "976").height
                   for rows in lists.values())
    folders = export.folder_lists(lists, departments, SAMPLE_AS_OF)
    for department in departments:
        alone = {name: rows.filter(pl.col("department") == department)
                 for name, rows in lists.items()}
        folder = folders[department]
        assert list(folder.cells) == [*codes.EXPORTED_TABLES, contract.RESOLVED]
        assert list(folder.typed) == [*codes.EXPORTED_TABLES, contract.RESOLVED]
        for name, cells in folder.cells.items():
            assert_frame_equal(cells, export.export_frame(alone[name], name, SAMPLE_AS_OF))
        for name, cells in folder.typed.items():
            assert_frame_equal(cells, export.export_frame(alone[name], name, SAMPLE_AS_OF,
                                                          typed=True))
        assert_frame_equal(folder.handovers, alone[handovers.HANDOVERS])
        assert_frame_equal(folder.unattributed, alone[export.UNATTRIBUTED])
    assert sum(folders[d].cells[codes.MEASURES].height for d in departments) \
        == lists[codes.MEASURES].height > 0
    assert folders["976"].cells[codes.MEASURES].height == 0
    assert folders["976"].cells[codes.MEASURES].columns == folders[departments[0]].cells[
        codes.MEASURES].columns


def test_each_code_is_followed_by_its_french_label():
    frame = release_rows(markers=["STALE_PRISON_LIST", "PRISON_ANSWER_DUE"])
    cells = export.export_frame(frame, codes.RELEASES, RUN).row(0, named=True)
    headers = list(cells)
    for code, label in (("Situation", "Situation (en clair)"),
                        ("Points d'attention", "Points d'attention (en clair)")):
        assert headers.index(label) == headers.index(code) + 1
    assert headers.index("État (en clair)") == headers.index("État") + 1
    assert (cells["État"], cells["État (en clair)"], cells["Attribué à"]) == (
        "IN_PROGRESS", "En cours", "agent13")
    assert cells["Situation"] == "IDENTITY_TO_CONFIRM"
    assert cells["Situation (en clair)"] == "Identité à confirmer avant toute démarche"
    assert cells["Points d'attention (en clair)"] == (
        "La dernière liste de l'établissement est en retard : la date de libération peut "
        "avoir changé (PRI-01) | Libération dans 7 jours au plus et l'établissement attend "
        "toujours la réponse de la préfecture (PRI-05)")


def test_a_prison_is_named_beside_its_code_as_its_latest_list_names_it(sample_warehouse):
    """CONTRACTS §3: every code column is followed by its French label; a prison's is
    its name, as the latest GENESIS list naming it writes it, its code when none does."""
    named = release_rows(establishment_code="E01301",
                         establishment_name="=Centre pénitentiaire de Marseille")
    cells = export.export_frame(named, codes.RELEASES, RUN).row(0, named=True)
    headers = list(cells)
    assert headers.index("Établissement (en clair)") == headers.index("Établissement") + 1
    assert cells["Établissement (en clair)"] == "'=Centre pénitentiaire de Marseille"
    unnamed = export.export_frame(release_rows(establishment_code="E01399"), codes.RELEASES,
                                  RUN).row(0, named=True)
    assert unnamed["Établissement (en clair)"] == "E01399"

    latest = dict(sample_warehouse.sql("""
        SELECT DISTINCT ON (establishment_code) establishment_code, establishment_name
        FROM staging.detainees WHERE establishment_name IS NOT NULL
        ORDER BY establishment_code, extraction_date DESC""").fetchall())
    lists = export.load_lists(sample_warehouse)
    cells = export.export_frame(lists[codes.RELEASES], codes.RELEASES, SAMPLE_AS_OF)
    assert cells.height > 0
    assert cells.select("Établissement", "Établissement (en clair)").rows() == [
        (code, latest.get(code, code)) for code in cells["Établissement"]]
    assert any(code in latest for code in cells["Établissement"])


@pytest.mark.parametrize("worklist", codes.EXPORTED_TABLES)
def test_first_columns_are_what_a_unit_searches_by(worklist):
    due = {codes.REJECTED: "OQTF attendue au plus tard", codes.RELEASES: "Libération prévisible",
           codes.MEASURES: "Exécutoire depuis", codes.LEGAL_ALERTS: "Date de l'événement"}
    assert contract.headers(worklist)[:3] == ["N° AGDREF", "Clé personne", due[worklist]]
    labelled = [name for name in contract.COLUMNS[worklist] if name in contract.LABELS]
    assert labelled, "every list has at least one code column"
    for name in labelled:  # none is left in English only
        assert contract.LABELS[name][0] in contract.headers(worklist)


def test_measure_and_event_codes_read_in_french():
    frame = pl.DataFrame([{
        "flag_id": "MES-1", "person_key": "0123456789", "num_agdref": "0123456789",
        "department": "13", "markers": ["NOT_COERCIBLE"], "rule_ids": ["EX-03"],
        "first_seen_date": RUN, "source_rows": ["AGDREF_MESURES_13_20261116.csv:2"],
        "measure_id": "M1", "measure_type": "TRANSFERT_DUBLIN", "enforceable_from": RUN,
        "days_since_enforceable": 0, "coercible_until": None, "is_coercible": False,
        "last_event_type": "LAISSEZ_PASSER_REFUSE", "last_event_date": RUN,
        "in_detention": False, "handling_state": "TO_DO", "assignee": None}],
        schema_overrides={"coercible_until": pl.Date, "assignee": pl.String})
    cells = export.export_frame(frame, codes.MEASURES, RUN).row(0, named=True)
    assert cells["Type de mesure (en clair)"] == (
        "Transfert vers l'État responsable de la demande d'asile (Dublin)")
    assert cells["Dernier événement (en clair)"] == "Laissez-passer consulaire refusé"


def test_readme_explains_every_label_and_every_rule():
    import re

    readme = export.readme_text("13", RUN, {name: 0 for name in codes.EXPORTED_TABLES})
    for _, vocabulary in contract.LABELS.values():
        for code, text in vocabulary.items():
            assert f"{code} : {text}" in readme
    rules = set(re.findall(r"\b(?:RTR|OQ|PRI|EX|DQ)-\d+\b",
                           (Path(__file__).parents[1] / "docs" / "RULES.md").read_text()))
    assert rules == set(contract.RULES_FR)
    for rule, text in contract.RULES_FR.items():
        assert f"{rule} : {text}" in readme
    for worklist in (*codes.EXPORTED_TABLES, contract.RESOLVED):
        for header in contract.headers(worklist):
            assert f"  {header} : " in readme
    assert "RULES.md" not in readme  # a unit does not have it


def test_the_flags_resolved_tonight_and_why(tmp_path, con):
    from tests.builders import row
    from tests.scenarios import Inbox

    night, next_night = date(2026, 11, 16), date(2026, 11, 17)
    inbox = Inbox(tmp_path / "inbox", con, marts=True).person().telemofpra(date(2026, 10, 9))
    inbox.genesis(date(2026, 11, 15), row("genesis"))  # a detainee to identify
    listed = inbox.decide(night)
    rejected, detainee = listed.only_listed(codes.REJECTED), listed.only_listed(codes.RELEASES)
    # The next night: an OQTF is taken; the establishment's new list no longer holds him.
    inbox.agdref("PERSONNES", next_night)
    inbox.agdref("MESURES", next_night, DATE_DECISION="16/11/2026", DATE_NOTIFICATION="")
    inbox.genesis(next_night, row("genesis", NUM_ECROU="000102", NOM="OUALI"))
    inbox.decide(next_night)
    resolved = export.load_lists(con, next_night)[contract.RESOLVED]
    assert sorted(resolved.select("flag_id", "department", "num_agdref", "resolution").rows()) \
        == sorted([(rejected["flag_id"], "13", "0123456789", "MEASURE_IN_FORCE"),
                   (detainee["flag_id"], "13", None, contract.NO_LONGER_CANDIDATE)])
    assert export.load_lists(con, night)[contract.RESOLVED].height == 0
    export.write_department(export.load_lists(con, next_night), "13", tmp_path / "13",
                            next_night)
    frame = read_export(tmp_path / "13" / "resolus_20261117.csv")
    assert frame.columns == contract.headers(contract.RESOLVED)
    why = dict(zip(frame["Identifiant signalement"], frame["Motif de sortie (en clair)"],
                   strict=True))
    assert why[rejected["flag_id"]].startswith("Déjà sous le coup d'une mesure d'éloignement")
    assert why[detainee["flag_id"]].startswith("Ne figure plus parmi les cas examinés")
    assert set(frame["Liste (en clair)"]) == {contract.TITLES[codes.REJECTED],
                                              contract.TITLES[codes.RELEASES]}


def test_exports_are_published_for_owner_and_group_only(tmp_path):
    import grp
    import os
    import stat

    import duckdb

    from transforms.publish import publication
    from transforms.warehouse.database import WarehouseSettings

    group = grp.getgrgid(os.getgid()).gr_name
    if os.geteuid() == 0:  # root may give the files any group: take one that is not its own
        group = next(g.gr_name for g in grp.getgrall() if g.gr_gid != os.getgid())
    settings = WarehouseSettings(exports_group=group)
    workspace = publication.Workspace(tmp_path / "warehouse.duckdb", tmp_path / "exports")
    old = workspace.exports / "13" / "old.csv"
    old.parent.mkdir(parents=True)
    old.write_text("published before, world-readable")
    old.chmod(0o644)
    night = publication.prepare(workspace, settings)  # the old exports adopted
    duckdb.connect(str(publication.working_warehouse(night))).close()
    built = publication.built_exports(night)
    (built / "13").mkdir(parents=True)
    (built / "13" / "list.csv").write_text("tonight")
    (built / "national.html").write_text("<html></html>")
    publication.commit(workspace, night, settings=settings)
    published = [built, *workspace.exports.rglob("*")]
    assert {p.name for p in published} >= {"13", "list.csv", "national.html"}
    for path in published:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o750 if path.is_dir() else 0o640), (path, oct(mode))
        assert grp.getgrgid(path.stat().st_gid).gr_name == group, path
    with pytest.raises(LookupError, match="no group named"):
        export.restrict_exports(workspace.exports, "no-such-group-35")


def test_handovers_annex_rows_by_nationality_and_state_with_totals():
    from transforms.publish.handovers import annex_rows

    rows = pl.DataFrame({
        "quarter": ["2026-Q3", "2026-Q3", "2026-Q2"], "department": ["13"] * 3,
        "nationality": ["GIN", "AFG", "GIN"], "member_state": ["ITA", "INCONNU", "DEU"],
        "measures": [3, 1, 9], "executed": [1, 1, 9], "not_executed": [2, 0, 0],
        "failed_attempts": [2, 0, 0],
        "failure_reasons": [["refus d'embarquer", "vol annulé"], [], []]})
    table = annex_rows(rows, "2026-Q3")
    assert table.rows() == [
        ("AFG", "AFGHANISTAN", "INCONNU", "État inconnu", 1, 1, 0, 0, []),
        ("GIN", "GUINÉE", "ITA", "ITALIE", 3, 1, 2, 2, ["refus d'embarquer", "vol annulé"]),
        ("TOTAL", "tous pays", "TOTAL", "tous pays", 4, 2, 2, 2,
         ["refus d'embarquer", "vol annulé"]),
    ]
    assert annex_rows(rows, "2026-Q1").rows() == [
        ("TOTAL", "tous pays", "TOTAL", "tous pays", 0, 0, 0, 0, [])]


def test_a_handovers_file_per_quarter_in_each_folder_sums_to_the_mart(sample_warehouse,
                                                                       tmp_path):
    from schemas import handovers

    lists = export.load_lists(sample_warehouse)
    records = [r for d in export.export_departments(sample_warehouse)
               for r in export.write_department(lists, d, tmp_path / d, SAMPLE_AS_OF)
               if r["worklist"] == handovers.HANDOVERS]
    quarters = handovers.quarters(SAMPLE_AS_OF)
    assert len(quarters) == 4 and quarters == sorted(quarters, reverse=True)
    headers = [header for _, header, _ in handovers.COLUMNS]
    shown = 0
    for record in records:
        frame = read_export(tmp_path / record["file_name"])
        assert frame.columns == headers
        # audit.exports counts every line under the header, the totals' too (CONTRACTS
        # §3; it counted one less, audit of 2026-12-07)
        assert frame.height == record["rows"] and frame["Nationalité"][-1] == "TOTAL"
        counts = frame["Décidées"].cast(pl.Int64)
        assert counts[-1] == counts[:-1].sum()
        executed = frame["Exécutées"].cast(pl.Int64) + frame["Non exécutées"].cast(pl.Int64)
        assert (executed == counts).all()
        shown += counts[-1]
    expected = sample_warehouse.execute(
        "SELECT coalesce(sum(measures), 0) FROM marts.handovers_quarterly WHERE quarter IN "
        "(SELECT unnest(?))", [quarters]).fetchall()[0][0]
    assert shown == expected > 0
    readme = (tmp_path / records[0]["file_name"]).parent.joinpath("README.txt").read_text(
        encoding="utf-8-sig")
    assert handovers.file_name(quarters[0], SAMPLE_AS_OF) in readme
    assert all(header in readme for header in headers)


def test_an_execution_event_naming_no_measure_is_named_in_the_readme(tmp_path, con):
    """An executed measure whose execution event lost its ID_MESURE is still listed (no
    datum says which measure it was); README.txt warns the unit, with file and line."""
    from tests.scenarios import Inbox

    inbox = Inbox(tmp_path / "inbox", con, marts=True).person().measure(
        DATE_DECISION="16/06/2025", DATE_NOTIFICATION="19/06/2025")
    inbox.agdref("EVENEMENTS", ID_MESURE="", TYPE_EVENEMENT="DEPART_VOLONTAIRE_CONSTATE",
                 DATE_EVENEMENT="20/07/2025")
    inbox.agdref("EVENEMENTS", ID_MESURE="", TYPE_EVENEMENT="AIDE_RETOUR_PROPOSEE",
                 DATE_EVENEMENT="01/07/2025")
    listed = inbox.decide(RUN, allow_quarantine=True)
    assert listed.only_listed(codes.MEASURES)["measure_id"] == "M01300000001"
    lists = export.load_lists(con, RUN)
    assert lists[export.UNATTRIBUTED].select("department", "source_row", "event_type").rows() \
        == [("13", "AGDREF_EVENEMENTS_13_20261116.csv:2", "DEPART_VOLONTAIRE_CONSTATE")]
    export.write_department(lists, "13", tmp_path / "13", RUN)
    readme = (tmp_path / "13" / contract.README_NAME).read_text(encoding="utf-8-sig")
    assert "ATTENTION : exécutions sans numéro de mesure" in readme
    assert ("AGDREF_EVENEMENTS_13_20261116.csv ligne 2 : départ volontaire constaté "
            "(date indiquée : 20/07/2025)") in readme
    assert "ligne 3" not in readme  # a return-aid offer says nothing of an execution
    export.write_department(lists, "75", tmp_path / "75", RUN)
    assert "ATTENTION" not in (tmp_path / "75" / contract.README_NAME).read_text(
        encoding="utf-8-sig")


def test_every_file_written_into_a_department_folder_is_recorded(sample_warehouse, tmp_path):
    """§3: "Each export is recorded in audit.exports"; README.txt was written unrecorded."""
    lists = export.load_lists(sample_warehouse)
    department = export.export_departments(sample_warehouse)[0]
    records = export.write_department(lists, department, tmp_path / department, SAMPLE_AS_OF)
    written = {f"{department}/{p.name}" for p in (tmp_path / department).iterdir()}
    assert written == {r["file_name"] for r in records}
    assert f"{department}/README.txt" in written


def test_the_guide_counts_lines_in_french():
    """README.txt: "(0 ligne)", "(1 ligne)", "(2 lignes)": the plural from two on."""
    from transforms.publish.export import lines_fr

    assert [lines_fr(n) for n in (0, 1, 2, 15)] == ["0 ligne", "1 ligne", "2 lignes",
                                                     "15 lignes"]


def test_an_execution_without_its_measure_is_no_longer_named_once_the_file_is_corrected(
        con, ingest_into, tmp_path):
    """README.txt names the execution events of the latest EVENEMENTS snapshot whose
    ID_MESURE was quarantined; a correction under the same name (CONTRACTS §1, §2
    SUPERSEDED) that gives the number ends it. The rows and the quarantine of the version
    replaced, read by the file's name alone, kept it named (audit of 2026-12-07)."""
    from tests.builders import row, write_file
    from transforms.warehouse.database import read_sql

    name = "AGDREF_EVENEMENTS_13_20261116.csv"
    executed = {"TYPE_EVENEMENT": "ELOIGNEMENT_EXECUTE"}
    query = read_sql("unattributed_executions.sql")
    write_file(tmp_path, name, "agdref_evenements", [
        row("agdref_evenements"), row("agdref_evenements", ID_MESURE="", **executed)])
    ingest_into(con, tmp_path)
    named = con.sql(query, params={"run_date": date(2026, 11, 16)}).fetchall()
    assert [(r[0], r[1]) for r in named] == [("13", f"{name}:3")]
    write_file(tmp_path, name, "agdref_evenements", [
        row("agdref_evenements"),
        row("agdref_evenements", ID_MESURE="M01300000002", **executed)])
    ingest_into(con, tmp_path)
    assert con.execute("SELECT count(*) FROM audit.files WHERE file_name = ? "
                       "AND status = 'SUPERSEDED'", [name]).fetchall() == [(1,)]
    assert con.sql(query, params={"run_date": date(2026, 11, 17)}).fetchall() == []
    # corrected again, the number lost anew: named again, once
    write_file(tmp_path, name, "agdref_evenements", [
        row("agdref_evenements"), row("agdref_evenements", ID_MESURE="?", **executed)])
    ingest_into(con, tmp_path)
    named = con.sql(query, params={"run_date": date(2026, 11, 18)}).fetchall()
    assert [(r[0], r[1]) for r in named] == [("13", f"{name}:3")]


def test_a_department_whose_last_flag_moved_away_keeps_its_folder_and_sees_it_leave(
        tmp_path, con):
    """CONTRACTS §3: "`<exports>/<DEPT>/<worklist>_<YYYYMMDD>.csv` for each department
    and worklist (and `legal_alerts`)" and "A department's folder holds that department's
    rows"; §2: flag_id stable "so a unit sees what is new since the previous night"
    (export.export_departments: "Every department with data in the warehouse gets a
    folder, even with empty lists: an empty list tonight is news too").

    Night 1: a final rejection on the TélémOfpra list of department 84 (domicile 84) is
    listed in 84's folder. Night 2: 13's list gives the same decision with domicile 13
    (RULES Boundaries: the latest list decides), so the flag moves to 13, and load_lists
    gives 84's resolus row for it (MOVED_TO_ANOTHER_DEPARTMENT, department 84), but
    export_departments reads only core tables, where 84 no longer appears: 84 gets no
    folder at all on night 2 (the published exports are replaced as a whole, so its
    folder of night 1 disappears) and the row saying why its flag left is written
    nowhere (before: audit of 2026-12-07)."""
    from tests.scenarios import Inbox

    inbox = Inbox(tmp_path / "inbox", con, marts=True).person()
    inbox.telemofpra_in("84", date(2026, 10, 9), DEPT_DOMICILIATION="84")
    flag = inbox.decide(date(2026, 11, 16)).only_listed(codes.REJECTED)
    assert flag["department"] == "84"
    assert "84" in export.export_departments(con)
    inbox.agdref("PERSONNES", date(2026, 11, 17))
    inbox.telemofpra(date(2026, 11, 17), DEPT_DOMICILIATION="13")
    moved = inbox.decide(date(2026, 11, 17)).only_listed(codes.REJECTED)
    assert (moved["department"], moved["flag_id"]) == ("13", flag["flag_id"])
    lists = export.load_lists(con, date(2026, 11, 17))
    resolved = lists[contract.RESOLVED].filter(pl.col("flag_id") == flag["flag_id"])
    assert resolved.select("department", "resolution").rows() == [("84", contract.MOVED)]

    departments = export.export_departments(con, lists)
    # every row of the night's exported tables lands in a department folder
    for name in (*codes.EXPORTED_TABLES, contract.RESOLVED):
        unexported = set(lists[name]["department"].to_list()) - set(departments)
        assert not unexported, (name, unexported, departments)


def test_resolus_gives_the_identity_doubt_when_the_claimant_is_no_longer_tied_to_the_file(
        tmp_path, con):
    """README, `resolus_<date>.csv`: the flags that left a list tonight and why, the
    exclusion that now keeps the case off, or NO_LONGER_CANDIDATE when the case is no
    longer in the files. Night 1: DIALLO's final rejection is listed (number verified).
    Night 2: AGDREF gives the file another birth date and given name; the claim's number
    no longer verifies and the claim is excluded IDENTITY_CONFLICT under the claim's
    record key. Before (audit of 2026-12-07), `resolus` said NO_LONGER_CANDIDATE: the unit
    read that the case had left the files when it waits on an identity doubt. Now the
    claim keeps the flag's id, which a file it names was listed with."""
    from tests.scenarios import Inbox
    from transforms.warehouse.database import read_sql

    inbox = Inbox(tmp_path / "inbox", con).person().others()
    inbox.telemofpra(date(2026, 10, 9))
    flag = inbox.decide(RUN).only_listed(codes.REJECTED)
    night = date(2026, 11, 17)
    inbox.agdref("PERSONNES", night, DATE_NAISSANCE="20/07/1975", PRENOMS="OUSMANE")
    for identity in inbox.other_files:
        inbox.agdref("PERSONNES", night, **identity)
    excluded = inbox.decide(night).only_excluded(codes.REJECTED)
    assert excluded["reason_code"] == "IDENTITY_CONFLICT"
    assert excluded["candidate_id"] == flag["flag_id"]
    [left] = [r for r in con.sql(read_sql("resolved_flags.sql"), params={
        "run_date": night}).pl().to_dicts() if r["flag_id"] == flag["flag_id"]]
    assert left["resolution"] == "IDENTITY_CONFLICT"
    assert left["source_rows"] == excluded["source_rows"]
