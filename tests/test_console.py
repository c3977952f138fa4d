"""The console of `reconcile run` (issue 35, items 1 and 8): what a night received, from
audit.files (new files are the files loaded; corrections, duplicates and rejected files
apart), and a plain line per stage."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

from flows import console
from flows.stages import StageClock
from tests.conftest import SAMPLE_DIR
from transforms.ingest.inbox import plan_inbox
from transforms.ingest.load import ingest_inbox
from transforms.ingest.received import ReceivedFiles, received_files


def test_a_night_with_a_correction_a_resent_file_and_a_rejected_one(con, tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_DIR / "inbox", inbox)
    ingest_inbox(con, plan_inbox(con, inbox), run_id="night-1")
    assert received_files(con, "night-1") == ReceivedFiles(135, 0, 0, 0, 0)
    # night 2: the sample's next night (TELEMOFPRA_13_20261113.csv corrected under its
    # own name; TELEMOFPRA_13_20261117.csv the bytes of the list it corrects, loaded
    # again since their file is superseded; an AGDREF table the same bytes on time), a
    # list delivered late under an earlier date with a later list's bytes (that date's
    # delivery: unchanged), a file no contract names
    shutil.copytree(SAMPLE_DIR / "next_night", inbox, dirs_exist_ok=True)
    latest = max((inbox / "genesis").glob("GENESIS_E02A02_*"), key=lambda p: p.stem)
    day_before = datetime.strptime(latest.stem[-8:], "%Y%m%d") - timedelta(days=1)
    shutil.copy(latest, latest.with_name(f"GENESIS_E02A02_{day_before:%Y%m%d}{latest.suffix}"))
    (inbox / "telemofpra" / "liste novembre.csv").write_text("x;y\n", encoding="utf-8")
    outcomes = ingest_inbox(con, plan_inbox(con, inbox), run_id="night-2")
    received = received_files(con, "night-2")
    assert received == ReceivedFiles(loaded=10, corrections=1, unchanged=2, duplicates=0,
                                     rejected=1)
    assert len(outcomes) == 10 + 2 + 1
    assert received.describe() == ("10 new files loaded (1 correction), 0 duplicates "
                                   "skipped, 2 unchanged deliveries, 1 file rejected")
    # a rerun of the night receives nothing
    ingest_inbox(con, plan_inbox(con, inbox), run_id="night-2-again")
    assert received_files(con, "night-2-again").describe() == (
        "0 new files loaded (0 corrections), 0 duplicates skipped, "
        "0 unchanged deliveries, 0 files rejected")


def test_each_stage_prints_one_plain_line_as_it_ends(capsys):
    clock = StageClock(on_end=console.stage_done)
    with clock("ingest") as stage:
        stage["rows"] = 12345
        assert capsys.readouterr().out == ""
    with clock("marts"):
        pass
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "\x1b" not in "".join(lines)
    assert lines[0].startswith("  ingest ") and lines[0].endswith(" s  12 345 rows")
    assert lines[1].split() == ["marts", "0.0", "s"]
