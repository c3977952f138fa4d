"""The synthetic generator: deterministic, every planted situation present, and each
realism feature present at its declared rate (measured from the files and the truth)."""

from __future__ import annotations

import hashlib
import math
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from data.synthetic.generate import REALISM, SCALES, generate_dataset, read_manifest
from data.synthetic.population import SITUATIONS
from tests.conftest import SAMPLE_DIR
from transforms.ingest.inbox import list_inbox
from transforms.ingest.load import read_source_file


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    manifest = read_manifest(SAMPLE_DIR)
    out = tmp_path_factory.mktemp("sample")
    generate_dataset(out, SCALES["sample"], seed=manifest["seed"],
                     as_of=date.fromisoformat(manifest["as_of"]))
    return out


def test_same_seed_and_date_give_the_committed_bytes(regenerated):
    assert _digests(regenerated) == _digests(SAMPLE_DIR)


def test_another_seed_gives_other_data(tmp_path):
    generate_dataset(tmp_path, SCALES["sample"], seed=8, as_of=date(2026, 11, 16))
    assert _digests(tmp_path) != _digests(SAMPLE_DIR)


@pytest.fixture(scope="module")
def truth() -> dict[str, pl.DataFrame]:
    folder = SAMPLE_DIR / "truth"
    return {name: pl.read_csv(folder / f"{name}.csv", infer_schema=False)
            for name in ("persons", "records")}


@pytest.fixture(scope="module")
def sources() -> dict[str, pl.DataFrame]:
    frames: dict[str, list[pl.DataFrame]] = {}
    for f in list_inbox(SAMPLE_DIR / "inbox"):
        frames.setdefault(f.kind, []).append(read_source_file(f).rows)
    return {kind: pl.concat(parts) for kind, parts in frames.items()}


def test_every_planted_situation_is_present(truth):
    present = set(truth["persons"]["situation"])
    assert {s.code for s in SITUATIONS} <= present
    assert {"BACKGROUND", "NAMESAKE"} <= present


def _assert_rate(observed: int, trials: int, rate: float, label: str) -> None:
    """Within 4 standard deviations of the declared rate (a binomial draw)."""
    assert trials > 0, label
    tolerance = 4 * math.sqrt(rate * (1 - rate) / trials) + 0.5 / trials
    assert abs(observed / trials - rate) <= tolerance, (label, observed, trials, rate)


@pytest.mark.parametrize("system", ["telemofpra", "genesis"])
def test_identity_noise_rates(truth, system):
    records = truth["records"].filter(pl.col("system") == system)
    for flag, rate in (("name_variant", f"{system}_name_variant"),
                       ("name_swapped", f"{system}_name_swap"),
                       ("birth_partial_on_row", f"{system}_birth_partial_on_row")):
        eligible = records
        if flag == "birth_partial_on_row":
            # Only a fully known birth date can be rendered partial on one row.
            eligible = records.join(truth["persons"], on="person_id").filter(
                pl.col("birth_precision") == "day")
        _assert_rate(int((eligible[flag] == "1").sum()), eligible.height, REALISM[rate], flag)
    # only a person with several given names can lose all but the first (empty otherwise)
    several = records.filter(pl.col("given_names_dropped").is_not_null())
    _assert_rate(int((several["given_names_dropped"] == "1").sum()), several.height,
                 REALISM[f"{system}_first_given_name_only"], "first given name only")
    with_file = records.filter(pl.col("agdref_number_state") != "none_exists")
    states = with_file["agdref_number_state"]
    _assert_rate(int((states == "missing").sum()), with_file.height,
                 REALISM[f"{system}_agdref_missing"], "missing number")
    _assert_rate(int(states.str.starts_with("wrong").sum()), with_file.height,
                 REALISM[f"{system}_agdref_wrong"], "wrong number")


def test_truth_flags_match_the_files(truth, sources):
    """A record flagged as missing its AGDREF number really has an empty one in the file;
    a wrong number is never the person's own."""
    tele = sources["telemofpra"].select(
        ("telemofpra:" + pl.col("NUM_OFPRA")).alias("record_key"), "NUM_AGDREF").unique(
        "record_key", keep="first")
    joined = truth["records"].join(tele, on="record_key").join(
        truth["persons"], on="person_id")
    missing = joined.filter(pl.col("agdref_number_state") == "missing")
    assert missing.height > 0 and missing["NUM_AGDREF"].is_null().all()
    wrong = joined.filter(pl.col("agdref_number_state").str.starts_with("wrong"))
    assert wrong.height > 0
    for number, own in zip(wrong["NUM_AGDREF"], wrong["agdref_numbers"], strict=True):
        assert number not in own.split("|")
    correct = joined.filter(pl.col("agdref_number_state") == "correct")
    for number, own in zip(correct["NUM_AGDREF"], correct["agdref_numbers"], strict=True):
        assert number in own.split("|")


def test_person_level_features(truth, sources):
    persons = truth["persons"]
    cases = persons.filter(~pl.col("situation").is_in(["BACKGROUND", "NAMESAKE"]))
    in_agdref = cases.filter(pl.col("agdref_numbers") != "")
    two_files = in_agdref.filter(pl.col("agdref_numbers").str.contains(r"\|"))
    _assert_rate(two_files.height, in_agdref.height, REALISM["second_agdref_file"], "2 files")
    _assert_rate(int((persons["situation"] == "NAMESAKE").sum()), cases.height,
                 REALISM["namesake"], "namesakes")
    births = sources["agdref_personnes"]["DATE_NAISSANCE"]
    _assert_rate(int(births.str.starts_with("00/00/").sum()), births.len(),
                 REALISM["birth_date_unknown_0000"], "00/00 births")
    _assert_rate(int(births.str.starts_with("01/01/").sum()), births.len(),
                 REALISM["birth_date_placeholder_0101"] + 1 / 365, "01/01 births")
    aliases = sources["genesis"].unique(["CODE_ETABLISSEMENT", "NUM_ECROU"])["ALIAS"]
    _assert_rate(int(aliases.is_not_null().sum()), aliases.len(), REALISM["genesis_alias"],
                 "aliases")
    given = sources["telemofpra"]["PRENOMS"].drop_nulls()
    several = given.filter(given.str.contains(r"[ ,]"))
    assert several.len() > 0.2 * given.len(), "several given names are common"
    assert several.str.contains(",").sum() > 0, "some are comma-separated"


def test_people_who_moved_between_departments(truth, sources):
    """Lists come from where a person lives or is held, files from their managing
    prefecture: at the declared rates they differ (the sample has two departments)."""
    records = truth["records"].join(truth["persons"].select("person_id", "department"),
                                    on="person_id")
    tele = sources["telemofpra"].select(
        ("telemofpra:" + pl.col("NUM_OFPRA")).alias("record_key"),
        pl.col("DEPT_DOMICILIATION").alias("list_department"))
    genesis = sources["genesis"].select(
        ("genesis:" + pl.col("CODE_ETABLISSEMENT") + ":" + pl.col("NUM_ECROU"))
        .alias("record_key"), pl.col("DEPT_ETABLISSEMENT").alias("list_department"))
    for rows, rate in ((tele, "telemofpra_domicile_elsewhere"),
                       (genesis, "genesis_held_elsewhere")):
        joined = records.join(rows.unique(), on="record_key")
        assert joined.height == records.join(rows.unique("record_key"), on="record_key").height
        moved = int((joined["list_department"] != joined["department"]).sum())
        _assert_rate(moved, joined.height, REALISM[rate], rate)
    managed = dict(zip(*sources["agdref_personnes"].select("NUM_AGDREF", "DEPT_GESTION"),
                       strict=True))
    two_files = truth["persons"].filter(pl.col("agdref_numbers").str.contains(r"\|"))
    first, second = (two_files["agdref_numbers"].str.split("|").list.get(i) for i in (0, 1))
    assert all(managed[n] == d for n, d in zip(first, two_files["department"], strict=True))
    elsewhere = sum(managed[n] != d for n, d in zip(second, two_files["department"],
                                                      strict=True))
    _assert_rate(elsewhere, two_files.height, REALISM["second_agdref_file_elsewhere"],
                 "second file elsewhere")


def test_file_features():
    inbox = list(list_inbox(SAMPLE_DIR / "inbox"))
    genesis = [f for f in inbox if f.kind == "genesis"]
    _assert_rate(sum(f.file_name.endswith(".xlsx") for f in genesis), len(genesis),
                 REALISM["genesis_xlsx"], "xlsx lists")
    tele = next(f for f in inbox if f.kind == "telemofpra" and f.has_data_rows)
    raw = tele.path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("cp1252")
    assert any(b >= 0x80 for f in inbox if f.kind == "telemofpra"
               for b in f.path.read_bytes()), "accents are present, in Windows-1252"
    later = {p.name for p in (SAMPLE_DIR / "next_night").rglob("*") if p.is_file()}
    inbox_names = {f.file_name for f in inbox}
    assert later & inbox_names, "a corrected file keeps the name of the earlier one"
    assert any(n.startswith("GENESIS") and n not in inbox_names for n in later), "a late list"
    copies = {}
    for p in (SAMPLE_DIR / "next_night").rglob("TELEMOFPRA_*"):
        copies[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
    inbox_digests = {hashlib.sha256(f.path.read_bytes()).hexdigest() for f in inbox}
    assert any(d in inbox_digests for d in copies.values()), "a list delivered twice"


def test_release_dates_move_between_lists(sources):
    genesis = sources["genesis"].filter(pl.col("DATE_LIBERATION_PREVISIBLE").is_not_null())
    per_detainee = genesis.group_by("CODE_ETABLISSEMENT", "NUM_ECROU").agg(
        pl.col("DATE_LIBERATION_PREVISIBLE").n_unique().alias("dates"), pl.len().alias("lists"))
    several_lists = per_detainee.filter(pl.col("lists") > 1)
    moved = int((several_lists["dates"] > 1).sum())
    _assert_rate(moved, several_lists.height, REALISM["genesis_release_date_moves"], "moves")


def test_transliteration_variants_between_systems(truth, sources):
    """Variant spellings are real: flagged TélémOfpra names differ from the AGDREF file."""
    tele = sources["telemofpra"].unique("NUM_OFPRA", keep="first").select(
        ("telemofpra:" + pl.col("NUM_OFPRA")).alias("record_key"), "NOM", "PRENOMS")
    agdref = sources["agdref_personnes"].select(
        pl.col("NUM_AGDREF").alias("agdref_numbers"), pl.col("NOM").alias("A_NOM"),
        pl.col("PRENOMS").alias("A_PRENOMS"))
    variants = (truth["records"].filter(pl.col("name_variant") == "1")
                .join(tele, on="record_key").join(truth["persons"], on="person_id")
                .join(agdref, on="agdref_numbers"))
    assert variants.height > 10
    differs = variants.filter(
        (pl.col("NOM") != pl.col("A_NOM"))
        | (pl.col("PRENOMS").str.replace_all(",", "") != pl.col("A_PRENOMS")))
    assert differs.height == variants.height


def test_an_asylum_attestation_starts_before_the_claim_reaches_ofpra(truth, sources):
    """The prefecture registers a claim and issues its ADA, then the claimant sends it to
    OFPRA within 21 days: each TélémOfpra claim's person holds an ADA starting within the
    declared number of days before the date of introduction."""
    low = REALISM["asylum_registered_min_days_before_claim"]
    high = REALISM["asylum_registered_max_days_before_claim"]
    # strict=False: the planted defective rows read as null
    claims = sources["telemofpra"].select(
        ("telemofpra:" + pl.col("NUM_OFPRA")).alias("record_key"),
        pl.col("DATE_INTRODUCTION").str.to_date("%d/%m/%Y", strict=False).alias("claim")).unique()
    owners = truth["persons"].select(
        "person_id", pl.col("agdref_numbers").str.split("|").alias("NUM_AGDREF")
    ).explode("NUM_AGDREF")
    attestations = sources["agdref_titres"].filter(pl.col("TYPE_TITRE") == "ADA").select(
        "NUM_AGDREF", pl.col("DATE_DEBUT").str.to_date("%d/%m/%Y", strict=False).alias("start"))
    gaps = (truth["records"].join(claims, on="record_key").join(owners, on="person_id")
            .join(attestations, on="NUM_AGDREF")
            .with_columns(days=(pl.col("claim") - pl.col("start")).dt.total_days())
            .filter(pl.col("days").is_between(0, 60))
            .group_by("record_key").agg(pl.col("days").min()))
    assert gaps.height > 0.8 * claims.height
    assert gaps["days"].min() == low and gaps["days"].max() == high
