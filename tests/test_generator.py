"""The synthetic generator: deterministic, every planted situation present, and each
realism feature present at its declared rate (measured from the files and the truth)."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from anyascii import anyascii

from data.synthetic import situations
from data.synthetic.asylum import SUSPENSION_BASES
from data.synthetic.birth_places import TOWNS
from data.synthetic.generate import generate_dataset
from data.synthetic.realism import REALISM
from data.synthetic.scales import SCALES, read_manifest
from data.synthetic.situations import SITUATIONS
from tests.conftest import SAMPLE_DIR
from transforms.core.birth_places import birth_town
from transforms.ingest.countries import country_code, normalise_country_name
from transforms.ingest.inbox import list_inbox
from transforms.ingest.read import read_source_file


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
    """Variant spellings are real: flagged TélémOfpra names differ from the AGDREF file
    (on at least one of the record's rows: a person with several claims, a re-examination
    for one, is written afresh on each)."""
    tele = sources["telemofpra"].select(
        ("telemofpra:" + pl.col("NUM_OFPRA")).alias("record_key"), "NOM", "PRENOMS")
    agdref = sources["agdref_personnes"].select(
        pl.col("NUM_AGDREF").alias("agdref_numbers"), pl.col("NOM").alias("A_NOM"),
        pl.col("PRENOMS").alias("A_PRENOMS"))
    variants = (truth["records"].filter(pl.col("name_variant") == "1")
                .join(tele, on="record_key").join(truth["persons"], on="person_id")
                .join(agdref, on="agdref_numbers"))
    assert variants["record_key"].n_unique() > 10
    differs = variants.filter(
        (pl.col("NOM") != pl.col("A_NOM"))
        | (pl.col("PRENOMS").str.replace_all(",", "") != pl.col("A_PRENOMS")))
    assert differs["record_key"].n_unique() == variants["record_key"].n_unique()


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


# --- issue 31: the situations planted for the new rules, read from a fresh generation (the
# committed sample is regenerated by `make sample` once the rules and ingest branches merge)

ISSUE_31 = {
    "REEXAM_REGISTERED", "REEXAM_MULTIPLE_REGISTERED", "QUARANTINED_ROW_NAMING_PERSON",
    "CONSULAR_REQUEST_TOO_EARLY", "DUBLIN_HELD_AFTER_ACCEPTANCE", "DETAINEE_REEXAM_REGISTERED",
    "DETAINEE_REMAND_NOT_IN_AGDREF", "DETAINEE_LONG_SENTENCE_NOT_IN_AGDREF",
    "DETAINEE_EU_CITIZEN_ITF", "DETAINEE_RELEASE_IMMINENT", "DETAINEE_RELEASE_IN_8_TO_9_DAYS",
    "DETAINEE_EARLY_END_SUSPENSION_POSSIBLE",
}
DECISION_FIELDS = ("SENS_DECISION", "FONDEMENT", "DATE_DECISION", "MODE_CNDA",
                   "DATE_NOTIFICATION", "DATE_DEFINITIVE")
EU_EEA_CH = {"AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC",
             "HUN", "IRL", "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK",
             "SVN", "ESP", "SWE", "ISL", "LIE", "NOR", "CHE"}


def _day(column: str) -> pl.Expr:
    return pl.col(column).str.to_date("%d/%m/%Y", strict=False)


@dataclass
class Generated:
    folder: Path
    as_of: date
    persons: pl.DataFrame
    records: pl.DataFrame
    defects: pl.DataFrame
    establishments: pl.DataFrame
    sources: dict[str, pl.DataFrame]

    def of(self, situation: str) -> pl.DataFrame:
        return self.persons.filter(pl.col("situation") == situation)

    def rows_of(self, kind: str, situation: str, system: str) -> pl.DataFrame:
        """The source rows of the persons in a situation, with their person_id."""
        keys = self.records.filter(pl.col("system") == system).join(
            self.of(situation).select("person_id"), on="person_id")
        rows = self.sources[kind]
        if system == "telemofpra":
            key = "telemofpra:" + pl.col("NUM_OFPRA")
        else:
            key = "genesis:" + pl.col("CODE_ETABLISSEMENT") + ":" + pl.col("NUM_ECROU")
        return rows.with_columns(key.alias("record_key")).join(
            keys.select("record_key", "person_id"), on="record_key")

    def files_of(self, situation: str, kind: str) -> pl.DataFrame:
        """AGDREF rows (kind agdref_*) of the persons in a situation, with their person_id."""
        numbers = self.of(situation).select(
            "person_id", pl.col("agdref_numbers").str.split("|").alias("NUM_AGDREF")
        ).explode("NUM_AGDREF")
        return self.sources[kind].join(numbers, on="NUM_AGDREF")

    def defective(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Rows a random defect broke (left out of shape checks)."""
        return rows.join(self.defects.select("file_name", pl.col("line_number").cast(pl.Int64)),
                         on=["file_name", "line_number"], how="semi")


@pytest.fixture(scope="module")
def generated(regenerated) -> Generated:
    manifest = read_manifest(regenerated)
    frames: dict[str, list[pl.DataFrame]] = {}
    for f in list_inbox(regenerated / "inbox"):
        frames.setdefault(f.kind, []).append(read_source_file(f).rows)
    truth = {name: pl.read_csv(regenerated / "truth" / f"{name}.csv", infer_schema=False)
             for name in ("persons", "records", "defects", "establishments")}
    return Generated(regenerated, date.fromisoformat(manifest["as_of"]), truth["persons"],
                     truth["records"], truth["defects"], truth["establishments"],
                     {kind: pl.concat(parts) for kind, parts in frames.items()})


def test_generation_is_deterministic(regenerated, tmp_path):
    manifest = read_manifest(regenerated)
    generate_dataset(tmp_path, SCALES["sample"], seed=manifest["seed"],
                     as_of=date.fromisoformat(manifest["as_of"]))
    assert _digests(tmp_path) == _digests(regenerated)


def test_every_situation_of_issue_31_is_planted_in_the_sample(generated):
    assert ISSUE_31 <= {s.code for s in SITUATIONS}
    present = set(generated.persons["situation"])
    assert {s.code for s in SITUATIONS} <= present
    assert {"markers", "legal_alert"} <= set(generated.persons.columns)
    expected = {s.code: (s.protected, s.flaggable_on) for s in SITUATIONS}
    for code in ISSUE_31:
        rows = generated.of(code)
        assert rows.height >= 1, code
        protected, flaggable_on = expected[code]
        assert set(rows["protected"]) == {str(int(protected))}, code
        assert set(rows["flaggable_on"].fill_null("")) == {flaggable_on}, code


@pytest.mark.parametrize(("situation", "registered_type"), [
    ("REEXAM_REGISTERED", "REEXAMEN"), ("DETAINEE_REEXAM_REGISTERED", "REEXAMEN"),
    ("REEXAM_MULTIPLE_REGISTERED", "REEXAMEN_MULTIPLE")])
def test_a_registered_request_has_no_decision_and_follows_a_final_rejection(
        generated, situation, registered_type):
    rows = generated.rows_of("telemofpra", situation, "telemofpra")
    rows = rows.join(generated.defective(rows), on=["file_name", "line_number"], how="anti")
    registered = rows.filter(pl.col("SENS_DECISION").is_null())
    assert registered.height >= 1
    assert set(registered["TYPE_DEMANDE"]) == {registered_type}
    assert registered.select(pl.all_horizontal(pl.col(c).is_null() for c in DECISION_FIELDS)
                             ).to_series().all()
    assert registered["DATE_INTRODUCTION"].is_not_null().all()
    assert registered["ORGANE"].to_list() == ["OFPRA"] * registered.height
    # every person's registered request comes after a rejection OFPRA reports final
    finals = rows.filter((pl.col("SENS_DECISION") == "REJET")
                         & pl.col("DATE_DEFINITIVE").is_not_null())
    pairs = registered.select("person_id", _day("DATE_INTRODUCTION").alias("registered"),
                              pl.col("file_name").alias("registered_list")).join(
        finals.select("person_id", _day("DATE_DEFINITIVE").alias("final"),
                      pl.col("file_name").alias("final_list"), "TYPE_DEMANDE"),
        on="person_id")
    assert pairs.filter(pl.col("final") < pl.col("registered"))["person_id"].n_unique() == (
        registered["person_id"].n_unique())
    if registered_type == "REEXAMEN_MULTIPLE":
        assert {"PREMIERE", "REEXAMEN"} <= set(pairs["TYPE_DEMANDE"])
    # no valid ADA in AGDREF: only TélémOfpra shows the registered request
    ada = generated.files_of(situation, "agdref_titres").filter(pl.col("TYPE_TITRE") == "ADA")
    assert ada.height >= 1
    assert ada.filter((pl.col("STATUT") == "VALIDE")
                      | (_day("DATE_FIN") >= generated.as_of)).height == 0


def test_a_quarantined_row_names_its_person_with_a_well_formed_number(generated):
    persons = generated.of("QUARANTINED_ROW_NAMING_PERSON")
    planted = generated.defects.filter(pl.col("planted_for").is_in(persons["person_id"]))
    assert set(planted["planted_for"]) == set(persons["person_id"])
    numbers = dict(zip(persons["person_id"], persons["agdref_numbers"], strict=True))
    for file_name, line, column, person_id in planted.select(
            "file_name", "line_number", "column_name", "planted_for").iter_rows():
        kind = "agdref_titres" if "_TITRES_" in file_name else "agdref_personnes"
        row = generated.sources[kind].filter((pl.col("file_name") == file_name)
                                             & (pl.col("line_number") == int(line)))
        assert row.height == 1
        number = row["NUM_AGDREF"][0]
        assert re.fullmatch(r"\d{10}", number) and number in numbers[person_id].split("|")
        value = row[column][0]
        assert (column, value[:6]) in (("SEXE", "X"), ("DATE_FIN", "31/02/"))
        # still defective in the next night's snapshot: never corrected in this data
        later = next((generated.folder / "next_night" / "agdref").glob(
            file_name.rsplit("_", 1)[0] + "_*.csv"))
        later_rows = pl.read_csv(later, separator=";", infer_schema=False)
        assert later_rows.filter(pl.col("NUM_AGDREF") == number)[column].to_list()[0] == value
    # otherwise flaggable: a final OFPRA rejection and no measure
    rows = generated.rows_of("telemofpra", "QUARANTINED_ROW_NAMING_PERSON", "telemofpra")
    assert rows.filter(pl.col("DATE_DEFINITIVE").is_not_null())["person_id"].n_unique() >= (
        persons.height - generated.defective(rows).height)
    assert generated.files_of("QUARANTINED_ROW_NAMING_PERSON", "agdref_mesures").height == 0


def test_a_consular_request_made_while_the_claim_awaited_a_decision(generated):
    situation = "CONSULAR_REQUEST_TOO_EARLY"
    persons = generated.of(situation)
    assert set(persons["legal_alert"]) == {"CONSULAR_CONTACT_FORBIDDEN"}
    others = generated.persons.filter(pl.col("situation") != situation)
    assert others["legal_alert"].is_null().all()
    measures = generated.files_of(situation, "agdref_mesures")
    assert set(measures["TYPE_MESURE"]) == {"OQTF"} and set(measures["STATUT"]) == {"EN_VIGUEUR"}
    requests = generated.sources["agdref_evenements"].filter(
        pl.col("TYPE_EVENEMENT") == "DEMANDE_LAISSEZ_PASSER").join(
        measures.select("ID_MESURE", "person_id"), on="ID_MESURE")
    claims = generated.rows_of("telemofpra", situation, "telemofpra").filter(
        pl.col("ORGANE") == "CNDA")
    pending = requests.join(claims, on="person_id").filter(
        (_day("DATE_EVENEMENT") > _day("DATE_INTRODUCTION"))
        & (_day("DATE_EVENEMENT") < _day("DATE_DECISION")))
    assert pending["person_id"].n_unique() >= persons.height - generated.defective(
        claims).height


def _latest_lists(generated: Generated) -> dict[str, date]:
    latest: dict[str, date] = {}
    for path in list((generated.folder / "inbox" / "genesis").iterdir()) + list(
            (generated.folder / "next_night" / "genesis").iterdir()):
        code, day = path.stem.split("_")[1:]
        day = date(int(day[:4]), int(day[4:6]), int(day[6:]))
        latest[code] = max(latest.get(code, day), day)
    return latest


def test_a_late_establishment_and_its_stale_marker(generated):
    latest = _latest_lists(generated)
    table = generated.establishments
    assert set(table["establishment_code"]) == set(latest)
    late = set(table.filter(pl.col("late") == "1")["establishment_code"])
    assert late, "at least one late establishment at every scale"
    for code, day in latest.items():
        assert ((generated.as_of - day).days > 16) == (code in late), code
    on_latest = generated.sources["genesis"].with_columns(
        pl.col("file_name").str.extract(r"GENESIS_(\w{6})_(\d{8})", 2).str.to_date("%Y%m%d")
        .alias("list_date")).filter(
        pl.struct("CODE_ETABLISSEMENT", "list_date").map_elements(
            lambda r: latest[r["CODE_ETABLISSEMENT"]] == r["list_date"], return_dtype=pl.Boolean))
    keys = on_latest.select(("genesis:" + pl.col("CODE_ETABLISSEMENT") + ":" + pl.col(
        "NUM_ECROU")).alias("record_key"), "CODE_ETABLISSEMENT")
    listed = generated.records.join(keys, on="record_key").join(
        generated.persons.filter(pl.col("flaggable_on") == "upcoming_releases"), on="person_id")
    stale = listed.with_columns(
        marked=pl.col("markers").fill_null("").str.contains("STALE_PRISON_LIST"),
        late=pl.col("CODE_ETABLISSEMENT").is_in(sorted(late)))
    assert stale.filter(pl.col("late")).height >= 1
    assert (stale["marked"] == stale["late"]).all()


def _latest_rows(generated: Generated, situation: str) -> pl.DataFrame:
    latest = _latest_lists(generated)
    rows = generated.rows_of("genesis", situation, "genesis")
    return rows.filter(pl.struct("CODE_ETABLISSEMENT", "file_name").map_elements(
        lambda r: latest[r["CODE_ETABLISSEMENT"]].strftime("%Y%m%d") in r["file_name"],
        return_dtype=pl.Boolean))


def test_detainees_without_an_agdref_file(generated):
    for situation in ("DETAINEE_REMAND_NOT_IN_AGDREF", "DETAINEE_LONG_SENTENCE_NOT_IN_AGDREF"):
        assert generated.of(situation)["agdref_numbers"].is_null().all()
    remand = _latest_rows(generated, "DETAINEE_REMAND_NOT_IN_AGDREF")
    assert remand.height >= 1 and set(remand["CATEGORIE_PENALE"]) == {"PREVENU"}
    assert remand["DATE_LIBERATION_PREVISIBLE"].is_null().all()
    long = _latest_rows(generated, "DETAINEE_LONG_SENTENCE_NOT_IN_AGDREF")
    assert long.height >= 1
    assert long.select((_day("DATE_LIBERATION_PREVISIBLE") - generated.as_of)
                       .dt.total_days().min()).item() > 120


def test_eu_citizens_with_and_without_a_judicial_ban(generated):
    with_itf = _latest_rows(generated, "DETAINEE_EU_CITIZEN_ITF")
    assert with_itf.height >= 1
    assert set(with_itf["ITF"]) <= {"TEMPORAIRE", "DEFINITIVE"}
    days_left = with_itf.select((_day("DATE_LIBERATION_PREVISIBLE") - generated.as_of)
                                .dt.total_days()).to_series()
    assert days_left.min() >= 0 and days_left.max() <= 120
    persons = generated.of("DETAINEE_EU_CITIZEN_ITF")
    assert set(persons["nationality"]) <= EU_EEA_CH
    assert persons["markers"].str.contains("EU_CITIZEN").all()
    without = _latest_rows(generated, "DETAINEE_EU_CITIZEN")
    assert set(without["ITF"]) == {"NON"}
    assert generated.of("DETAINEE_EU_CITIZEN")["markers"].is_null().all()


@pytest.mark.parametrize(("situation", "low", "high", "answer_due"), [
    ("DETAINEE_RELEASE_IMMINENT", 0, 7, True), ("DETAINEE_RELEASE_IN_8_TO_9_DAYS", 8, 9, False)])
def test_imminent_releases_on_both_sides_of_seven_days(generated, situation, low, high,
                                                       answer_due):
    rows = _latest_rows(generated, situation)
    assert rows.height >= 1
    left = rows.select((_day("DATE_LIBERATION_PREVISIBLE") - generated.as_of)
                       .dt.total_days()).to_series()
    assert left.min() >= low and left.max() <= high
    assert set(rows["CATEGORIE_PENALE"]) <= {"CONDAMNE", "MIXTE"}
    measures = generated.files_of(situation, "agdref_mesures")
    with_measure = set(rows.filter(pl.col("ITF") != "NON")["person_id"]) | set(
        measures["person_id"])
    assert set(rows["person_id"]) <= with_measure
    markers = generated.of(situation)["markers"].fill_null("")
    assert (markers.str.contains("PRISON_ANSWER_DUE") == answer_due).all()


def test_dublin_transfer_held_after_acceptance_then_released(generated):
    situation = "DUBLIN_HELD_AFTER_ACCEPTANCE"
    measures = generated.files_of(situation, "agdref_mesures")
    assert set(measures["TYPE_MESURE"]) == {"TRANSFERT_DUBLIN"}
    age = measures.select("person_id", (generated.as_of - _day("DATE_ACCORD_ETAT_MEMBRE"))
                          .dt.total_days().alias("age"))
    assert age["age"].min() >= 213 and age["age"].max() <= 335  # 7 to 11 months
    rows = generated.rows_of("genesis", situation, "genesis").with_columns(
        pl.col("file_name").str.extract(r"_(\d{8})\.", 1).str.to_date("%Y%m%d").alias("day"))
    held = rows.join(age, on="person_id").join(
        measures.select("person_id", _day("DATE_ACCORD_ETAT_MEMBRE").alias("accepted")),
        on="person_id").filter(pl.col("day") > pl.col("accepted"))
    assert held["person_id"].n_unique() >= 1
    latest = _latest_lists(generated)
    for code, day in rows.select("CODE_ETABLISSEMENT", "day").iter_rows():
        assert day < latest[code], "no longer on the establishment's latest list"


def test_member_state_is_the_last_column_of_measures(generated):
    files = sorted((generated.folder / "inbox" / "agdref").glob("AGDREF_MESURES_*")) + sorted(
        (generated.folder / "next_night" / "agdref").glob("AGDREF_MESURES_*"))
    assert files
    for path in files:
        header = path.read_text(encoding="utf-8").splitlines()[0].split(";")
        assert header[-1] == "ETAT_MEMBRE", path.name
    measures = pl.concat(pl.read_csv(path, separator=";", infer_schema=False)
                         for path in files[:len(files) // 2])
    handover = measures.filter(pl.col("TYPE_MESURE").is_in(["TRANSFERT_DUBLIN", "REMISE"]))
    others = measures.filter(~pl.col("TYPE_MESURE").is_in(["TRANSFERT_DUBLIN", "REMISE"]))
    assert others["ETAT_MEMBRE"].is_null().all()
    states = handover["ETAT_MEMBRE"].drop_nulls()
    assert states.len() > 0 and set(states) <= EU_EEA_CH - {"FRA"}
    _assert_rate(handover["ETAT_MEMBRE"].null_count(), handover.height,
                 REALISM["mesures_member_state_unknown"], "handover State unknown")


def test_early_end_while_detained_lets_the_person_ask_for_a_suspension(generated):
    situation = "DETAINEE_EARLY_END_SUSPENSION_POSSIBLE"
    rows = generated.rows_of("telemofpra", situation, "telemofpra")
    assert rows.height >= 1
    assert set(rows["FONDEMENT"].drop_nulls()) <= set(SUSPENSION_BASES)
    assert rows["DATE_NOTIFICATION"].is_not_null().all()
    assert rows["DATE_DEFINITIVE"].is_null().all()
    assert generated.of(situation)["markers"].str.contains("SUSPENSION_REQUEST_POSSIBLE").all()
    assert _latest_rows(generated, situation).height >= 1


def test_a_detainee_with_a_registered_request_is_held_under_a_measure(generated):
    situation = "DETAINEE_REEXAM_REGISTERED"
    rows = _latest_rows(generated, situation)
    assert set(rows["person_id"]) == set(generated.of(situation)["person_id"])
    oqtf = generated.files_of(situation, "agdref_mesures").filter(
        (pl.col("TYPE_MESURE") == "OQTF") & (pl.col("STATUT") == "EN_VIGUEUR"))
    under_measure = set(rows.filter(pl.col("ITF") != "NON")["person_id"]) | set(
        oqtf["person_id"])
    assert set(rows["person_id"]) <= under_measure


HANDED_OVER = {"DUBLIN_TRANSFERRED": "TRANSFERT_DUBLIN", "REMISE_EXECUTED": "REMISE"}
HANDOVERS = {*HANDED_OVER, "HANDOVER_NOT_YET_ENFORCEABLE"}


def test_handovers_are_carried_out_in_time_and_some_attempts_fail(generated):
    """The managers' handovers by quarter have handovers carried out (EX-02: the measure
    EXECUTEE, its ELOIGNEMENT_EXECUTE after the decision and before the run date; a
    Dublin transfer within the 6 months of EX-04), handovers decided in the last days
    and not yet enforceable, and failed attempts with a reason."""
    events = generated.sources["agdref_evenements"]
    lines = ["file_name", "line_number"]  # the rows a random defect broke left out
    events = events.join(generated.defective(events), on=lines, how="anti")
    for situation, kind in HANDED_OVER.items():
        measures = generated.files_of(situation, "agdref_mesures")
        measures = measures.join(generated.defective(measures), on=lines, how="anti")
        assert measures.height >= 1 and set(measures["TYPE_MESURE"]) == {kind}
        assert set(measures["STATUT"]) == {"EXECUTEE"}
        done = measures.join(events.filter(pl.col("TYPE_EVENEMENT") == "ELOIGNEMENT_EXECUTE"),
                             on="ID_MESURE")
        assert sorted(done["ID_MESURE"]) == sorted(measures["ID_MESURE"])
        day = _day("DATE_EVENEMENT")
        assert done.filter((day <= _day("DATE_DECISION")) | (day >= generated.as_of)).is_empty()
        if kind == "TRANSFERT_DUBLIN":
            assert done.filter(day > _day("DATE_ACCORD_ETAT_MEMBRE").dt.offset_by("6mo")
                               ).is_empty()
        assert set(generated.of(situation)["protected"]) == {"1"}  # in the truth
    recent = generated.files_of("HANDOVER_NOT_YET_ENFORCEABLE", "agdref_mesures")
    recent = recent.join(generated.defective(recent), on=lines, how="anti")
    assert recent.height >= 1 and set(recent["TYPE_MESURE"]) <= set(HANDED_OVER.values())
    assert set(recent["STATUT"]) == {"EN_VIGUEUR"}
    assert recent["DATE_NOTIFICATION"].is_not_null().all()
    age = (generated.as_of - recent.select(_day("DATE_DECISION")).to_series()).dt.total_days()
    assert age.min() >= 3 and age.max() <= 20  # OQ-06's month from notification runs
    handovers = generated.sources["agdref_mesures"].filter(
        pl.col("TYPE_MESURE").is_in(list(HANDED_OVER.values())))
    failed = events.join(handovers, on="ID_MESURE").filter(
        pl.col("TYPE_EVENEMENT") == "ECHEC_ELOIGNEMENT")
    assert failed.height >= 1 and failed["MOTIF"].is_not_null().all()


def test_the_rate_table_of_the_population_module_gives_the_weights():
    """situations.py documents the weight and rate in its family of each issue-31
    situation and of each handover planted for the managers' pages."""
    table = {}
    for line in situations.__doc__.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 6 and cells[2].replace(".", "").isdigit():
            table[cells[0].split(" ")[0]] = (cells[1], float(cells[2]), cells[3])
    assert set(table) == ISSUE_31 | HANDOVERS
    totals = {family: sum(s.weight for s in members)
              for family, members in situations.SITUATIONS_BY_FAMILY.items()}
    for s in SITUATIONS:
        if s.code in table:
            family, weight, rate = table[s.code]
            assert (family, weight) == (s.family, s.weight), s.code
            assert rate == f"{100 * s.weight / totals[s.family]:.1f} %", s.code
            assert f"{s.family} {totals[s.family]:g}" in " ".join(situations.__doc__.split())


def _spelt(place: str) -> str:
    """The town as written (ASCII capitals), not the name the linkage compares (one name
    for all of a town's, transforms/core/birth_places.py)."""
    return normalise_country_name(place.rpartition(",")[0])


def _town_of(text: str, nationality: str) -> str | None:
    """Which town of birth_places.TOWNS a written LIEU_NAISSANCE names (its first
    spelling), whatever the spelling, accents or case; None: no town written."""
    town = birth_town(text)
    country = text.rpartition(",")[2] if "," in text else ""  # its names in that country
    for spellings, _ in TOWNS.get(nationality, ()):
        if town in {birth_town(f"{s},{country}") for s in spellings.split("|")}:
            return spellings
    assert town is None, (text, nationality)  # a town always comes from the pool
    return None


def test_places_of_birth_are_town_and_country_with_each_source_s_noise(sources):
    agdref = sources["agdref_personnes"]
    places = agdref["LIEU_NAISSANCE"]
    _assert_rate(int(places.is_null().sum()), places.len(),
                 REALISM["agdref_birth_place_missing"], "no place of birth")
    written = agdref.filter(pl.col("LIEU_NAISSANCE").is_not_null())
    country_only = written.filter(~pl.col("LIEU_NAISSANCE").str.contains(","))
    _assert_rate(country_only.height, places.len(),
                 REALISM["agdref_birth_place_country_only"], "country only")
    for place, nationality in country_only.select("LIEU_NAISSANCE", "NATIONALITE").iter_rows():
        assert country_code(place) == nationality
    # "town, country": the country of the nationality, the town from its pool, in
    # several spellings, capitals or not, accents or not ("Oran, Algérie", "ALGER, ALGERIE")
    towns = written.filter(pl.col("LIEU_NAISSANCE").str.contains(","))
    for place, nationality in towns.select("LIEU_NAISSANCE", "NATIONALITE").iter_rows():
        assert country_code(place.rsplit(", ", 1)[1]) == nationality, place
        assert _town_of(place, nationality) is not None, place
    texts = set(towns["LIEU_NAISSANCE"])
    assert any(t.isupper() for t in texts) and any(not t.isupper() for t in texts)
    assert {"TBILISSI", "TBILISI"} <= {_spelt(t) for t in texts} or {
        "CONAKRY", "KONAKRI"} <= {_spelt(t) for t in texts}
    assert any(t != anyascii(t) for t in texts) and any(
        t == anyascii(t) and not t.isupper() for t in texts)


def test_one_person_s_sources_mostly_agree_on_the_town_as_each_spells_it(truth, sources):
    """GENESIS and AGDREF name one town for one person, each in its own spelling; now
    and then they disagree (another town of the country), and namesakes are born where
    each was."""
    genesis = sources["genesis"].select(
        record_key=pl.format("genesis:{}:{}", "CODE_ETABLISSEMENT", "NUM_ECROU"),
        genesis_place="LIEU_NAISSANCE").unique("record_key")
    files = sources["agdref_personnes"].select(
        "NUM_AGDREF", "LIEU_NAISSANCE", "NATIONALITE")
    persons = truth["persons"].select(
        "person_id", NUM_AGDREF=pl.col("agdref_numbers").str.split("|").list.first())
    pairs = (truth["records"].join(genesis, on="record_key").join(persons, on="person_id")
             .join(files, on="NUM_AGDREF").drop_nulls(["genesis_place", "LIEU_NAISSANCE"]))
    same = other = respelled = 0
    for g, a, nationality in pairs.select("genesis_place", "LIEU_NAISSANCE",
                                          "NATIONALITE").iter_rows():
        town_g, town_a = _town_of(g, nationality), _town_of(a, nationality)
        if town_g is None or town_a is None:
            continue
        same += town_g == town_a
        other += town_g != town_a
        respelled += town_g == town_a and _spelt(g) != _spelt(a)
    assert same > 10 * other and respelled > 0, (same, other, respelled)
    # the same file repeats its place and date of entry the next night
    later = pl.concat([read_source_file(f).rows for f in list_inbox(SAMPLE_DIR / "next_night")
                       if f.kind == "agdref_personnes"])
    both = sources["agdref_personnes"].join(later, on="NUM_AGDREF", suffix="_later")
    assert both.height > 0
    assert both.filter(pl.col("LIEU_NAISSANCE").ne_missing(pl.col("LIEU_NAISSANCE_later"))
                       | pl.col("DATE_ENTREE_FRANCE").ne_missing(
                           pl.col("DATE_ENTREE_FRANCE_later"))).height == 0
    namesakes = truth["persons"].filter(pl.col("situation") == "NAMESAKE")
    assert namesakes.height > 0


def test_a_second_file_mostly_repeats_the_date_of_entry(truth, sources):
    files = sources["agdref_personnes"].select(
        "NUM_AGDREF", entry=pl.col("DATE_ENTREE_FRANCE").str.to_date("%d/%m/%Y"))
    numbers = truth["persons"].filter(pl.col("agdref_numbers").str.contains(r"\|")).select(
        first=pl.col("agdref_numbers").str.split("|").list.get(0),
        second=pl.col("agdref_numbers").str.split("|").list.get(1))
    pairs = (numbers.join(files.rename({"NUM_AGDREF": "first", "entry": "entry_first"}),
                          on="first")
             .join(files.rename({"NUM_AGDREF": "second", "entry": "entry_second"}), on="second")
             .filter(pl.col("entry_first").is_not_null()))
    days = (pairs["entry_second"] - pairs["entry_first"]).dt.total_days()
    assert (days.drop_nulls().abs() <= 10).all()
    repeated, moved, empty = int((days == 0).sum()), int((days != 0).sum()), days.null_count()
    assert repeated > moved + empty and moved > 0 and empty > 0, (repeated, moved, empty)
