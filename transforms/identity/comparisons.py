"""The linkage model's comparisons (surname, given names, birth date, sex, nationality,
department, asylum claim, town of birth, date of entry) and blocking rules, as Splink
settings."""

from __future__ import annotations

import logging
from functools import cache

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

# Having no other given name is a level of its own (other_given_names_comparison), not a
# missing value: Splink's warning that the comparison has no null level is expected.
logging.getLogger("splink.internals.settings").addFilter(
    lambda record: "No null level found for comparison other_given_names"
    not in record.getMessage())


COMPARISON_COLUMNS = {
    "surname": "surname",
    "given_name": "given_name",
    "other_given_names": "other_given_names",
    "birth": "birth_date",
    "sex": "sex",
    "nationality": "nationality",
    "department": "department",
    "asylum_claim": "asylum_claim",
    "birth_place": "birth_town",
    "entry_date": "entry_date",
}
# Share of one person's record and file in the same department (docs/design.md: a list comes
# from the department of domicile or of the prison, a file from its managing prefecture).
# Set by judgment, not estimated: the model is trained on one department, where every
# pair agrees. Lists and files mostly stay in one prefecture, but detainees are often
# held elsewhere, and a second file is mostly opened by another prefecture; 0.85 is under
# the generator's mix (0.95 TélémOfpra, 0.8 GENESIS), which keeps the evidence modest.
SAME_DEPARTMENT = 0.85
# Chance that two strangers share a department, nationally (about a hundred
# departments). Term frequencies replace it on agreement (the department's share of
# tonight's records and files); on disagreement the national figure stays, so among
# fewer departments the penalty for a person who moved is somewhat overstated (0.14 bits
# among a region's ten, 1 bit among two).
STRANGERS_SAME_DEPARTMENT = 0.01


# m of the day-and-month-swapped level (a complete date read in the other order, DD/MM
# against MM/DD: a common slip where lists are keyed from foreign documents). Among
# strangers a swap is as rare as the exact date (its u, estimated, is even lower: only
# days up to 12 can swap), so it tells people apart about as well. How often one person's
# records swap depends on who keys them, not on the generator (which never swaps): m is
# fixed, not estimated, at a value that weighs about 1.2 bits under the exact date
# (12 bits against 13.2) rather than as the frequency of a slip, which a source's habits
# set and no night's data measures.
SWAPPED_DATE_M = 0.1

# Two complete dates of one year and month whose days differ by a keying slip: one of the
# day's two digits (12 and 17, 12 and 22) or one day apart (19 and 20). Among strangers
# born the same year, 2.9 % of the pairs of different dates are such a slip (counted over
# a year's calendar), so the level's u is that share of the next level's, set in the model
# file; its m, like a swap's, is how often a source's keyers slip, which no night measures:
# fixed where the slip weighs 3.5 bits (against 4.7 bits against it as another day, 13.3
# for the same date), so that exact names with a slip stay under the link threshold of a
# weak birth date (core_person_links.sql) and reach an agent: at 5 bits a namesake born
# the same month was linked on the independent test set (benchmarks/README.md).
DAY_SLIP = ('"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_month_r" AND '
            '(abs("birth_day_l" - "birth_day_r") = 1 '
            'OR "birth_day_l" % 10 = "birth_day_r" % 10 '
            'OR "birth_day_l" - "birth_day_l" % 10 = "birth_day_r" - "birth_day_r" % 10)')
DAY_SLIP_M = 0.007


def _same_birth_parts(part: str) -> str:
    return (f'("{part}_l" IS NULL OR "{part}_r" IS NULL OR "{part}_l" = "{part}_r")')


def name_comparison(column: str, skeleton: str, description: str,
                    jaro_winkler: tuple[float, ...], above_skeleton: tuple[float, ...] = ()
                    ) -> cl.CustomComparison:
    """Exact (term-frequency adjusted), Jaro-Winkler at `above_skeleton` thresholds, same
    skeleton (core_name_keys.sql), then Jaro-Winkler at `jaro_winkler` thresholds."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_description=description,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column, term_frequency_adjustments=True),
            *(cll.JaroWinklerLevel(column, t) for t in above_skeleton),
            cll.CustomLevel(f'"{skeleton}_l" = "{skeleton}_r"', "same skeleton"),
            *(cll.JaroWinklerLevel(column, t) for t in jaro_winkler),
            cll.ElseLevel(),
        ],
    )


def comparisons() -> list:
    surname = name_comparison("surname", "surname_skeleton", "surname (ASCII, letters only)",
                              (0.92, 0.8))
    given_name = name_comparison("given_name", "given_skeleton",
                                 "first given name (ASCII, letters only)", (0.88,))
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="birth date: a 01/01 placeholder counts as its year only",
        comparison_levels=[
            cll.CustomLevel('"birth_year_l" IS NULL OR "birth_year_r" IS NULL', "unknown")
            .configure(is_null_level=True),
            cll.CustomLevel('"birth_date_l" = "birth_date_r"', "same date")
            .configure(m_probability=0.85),
            cll.CustomLevel('"birth_year_l" = "birth_year_r" AND "birth_day_l" = "birth_month_r"'
                            ' AND "birth_month_l" = "birth_day_r"', "day and month swapped")
            .configure(m_probability=SWAPPED_DATE_M, fix_m_probability=True),
            cll.CustomLevel('"birth_year_l" = "birth_year_r" AND '
                            f'{_same_birth_parts("birth_month")} AND '
                            f'{_same_birth_parts("birth_day")}',
                            "same year, the known parts agree").configure(m_probability=0.1),
            cll.CustomLevel(DAY_SLIP, "same month, a slip of the day")
            .configure(m_probability=DAY_SLIP_M, fix_m_probability=True),
            cll.CustomLevel('"birth_year_l" = "birth_year_r"', "same year, another day")
            .configure(m_probability=0.02),
            cll.CustomLevel('abs("birth_year_l" - "birth_year_r") = 1', "one year apart")
            .configure(m_probability=0.01),
            cll.ElseLevel().configure(m_probability=0.01),
        ],
    )
    sex = cl.ExactMatch("sex")
    return [surname, given_name, other_given_names_comparison(), birth, sex,
            nationality_comparison(), department_comparison(), asylum_claim_comparison(),
            birth_town_comparison(), entry_date_comparison()]


# Two towns of birth read as one: the same skeleton (core_name_keys.sql: TBILISSI and
# TBILISI, CONAKRY and KONAKRI), or close by Jaro-Winkler (ALGER and ALGIERS).
_SAME_OR_CLOSE_TOWN = ('("birth_town_l" = "birth_town_r" '
                       'OR "birth_town_skeleton_l" = "birth_town_skeleton_r" '
                       'OR jaro_winkler_similarity("birth_town_l", "birth_town_r") >= 0.88)')


def birth_town_comparison() -> cl.CustomComparison:
    """The town of birth (GENESIS and AGDREF write "town, country"; TélémOfpra has none):
    the same town, term-frequency adjusted (a capital is shared by many strangers, so
    agreeing on it weighs less than on a small town), a close spelling, another town.
    Missing, or the country only, on either side is no evidence (the null level)."""
    return cl.CustomComparison(
        output_column_name="birth_town",
        comparison_description="town of birth (ASCII capitals, before the country)",
        comparison_levels=[
            cll.NullLevel("birth_town"),
            cll.ExactMatchLevel("birth_town", term_frequency_adjustments=True),
            cll.CustomLevel(_SAME_OR_CLOSE_TOWN, "close spelling of one town"),
            cll.ElseLevel(),
        ],
    )


# The weight of the nationality level whose evidence the town of birth carries: m = u,
# nothing (these two values are not the level's frequencies, only their ratio counts).
_COUNTED_WITH_THE_TOWN = 0.5


def nationality_comparison() -> cl.CustomComparison:
    """Same nationality, term-frequency adjusted, or not. Strangers born in one town are
    nearly always of one nationality, and the town's weight is measured against all
    strangers (its share of everyone): where the towns agree, the nationality's weight
    would count the same evidence twice (about 5 bits). So a pair agreeing on both
    weighs the nationality at nothing, the town carrying the evidence of the two."""
    fixed = {"m_probability": _COUNTED_WITH_THE_TOWN, "u_probability": _COUNTED_WITH_THE_TOWN,
             "fix_m_probability": True, "fix_u_probability": True}
    return cl.CustomComparison(
        output_column_name="nationality",
        comparison_description="nationality (ISO 3166-1 alpha-3)",
        comparison_levels=[
            cll.NullLevel("nationality"),
            cll.CustomLevel(f'"nationality_l" = "nationality_r" AND {_SAME_OR_CLOSE_TOWN}',
                            "same nationality, weighed with the town of birth")
            .configure(**fixed),
            cll.ExactMatchLevel("nationality", term_frequency_adjustments=True),
            cll.ElseLevel(),
        ],
    )


# m of the date-of-entry levels, set by judgment: only pairs of two AGDREF files both
# carry a date of entry, and no number labels such a pair, so m cannot be estimated the
# way the other comparisons' is (model_file.train_model estimates u on pairs of files).
# One person's second file mostly repeats the declared date; a date keyed again from
# another document may move by days; a few declare another entry.
ENTRY_DATE_M = {"same date of entry": 0.8, "within 10 days": 0.1, "other date": 0.1}


def entry_date_comparison() -> cl.CustomComparison:
    """The declared date of entry into France: the same, within 10 days, or another; only
    AGDREF has it, so it weighs on pairs of two files (duplicates) and is unknown (the
    null level) for a TélémOfpra or GENESIS record."""
    levels = [
        cll.CustomLevel('"entry_date_l" = "entry_date_r"', "same date of entry"),
        cll.CustomLevel('abs(date_diff(\'day\', "entry_date_l", "entry_date_r")) <= 10',
                        "within 10 days"),
        cll.ElseLevel(),
    ]
    labels = list(ENTRY_DATE_M)
    return cl.CustomComparison(
        output_column_name="entry_date",
        comparison_description="declared date of entry into France (AGDREF)",
        comparison_levels=[
            cll.NullLevel("entry_date"),
            *(level.configure(m_probability=ENTRY_DATE_M[label], fix_m_probability=True)
              for level, label in zip(levels, labels, strict=True)),
        ],
    )


# Days from an AGDREF file's asylum attestation (ADA) to the date a TélémOfpra claim was
# introduced at OFPRA, on whichever side of the pair each is (the other side's is null).
_REGISTERED_DAYS_BEFORE_CLAIM = (
    "date_diff('day', coalesce(\"attestation_start_l\", \"attestation_start_r\"), "
    "coalesce(\"claim_introduced_l\", \"claim_introduced_r\"))")


def asylum_claim_comparison() -> cl.CustomComparison:
    """For a TélémOfpra record: does the AGDREF file hold the asylum attestation of this
    claim? The prefecture registers a claim and issues its ADA first, then the claimant
    has 21 days to send it to OFPRA, whose date of introduction the list shows: an ADA
    starting up to 45 days before it (a few days after, for a slip) is the claim's. A file
    without any ADA, or with the ADAs of other claims only, is evidence against (whoever
    claimed asylum holds one), weighed by the model's m like the rest. GENESIS records
    and pairs of files: unknown."""
    days = _REGISTERED_DAYS_BEFORE_CLAIM
    return cl.CustomComparison(
        output_column_name="asylum_claim",
        comparison_description="the file's asylum attestation against the claim's date",
        comparison_levels=[
            cll.CustomLevel('"claim_introduced_l" IS NULL AND "claim_introduced_r" IS NULL',
                            "no claim date on the record").configure(is_null_level=True),
            cll.CustomLevel(f"{days} BETWEEN -7 AND 45", "an ADA issued for this claim"),
            cll.CustomLevel('"attestation_start_l" IS NULL AND "attestation_start_r" IS NULL',
                            "the file holds no ADA"),
            cll.ElseLevel(),  # ADAs of other claims only
        ],
    )


def other_given_names_comparison() -> cl.CustomComparison:
    """The given names after the first (linkage_records.sql), which tell apart namesakes
    who share surname and first given name. Having none is itself a level, not unknown:
    a row keeping only the first given name where the file has several is a common slip
    (a register with one field), weighed by the model's m like any other disagreement,
    while two different second given names are strong evidence against."""
    both, one = ('"other_given_names_l" IS NULL AND "other_given_names_r" IS NULL',
                 '"other_given_names_l" IS NULL OR "other_given_names_r" IS NULL')
    return cl.CustomComparison(
        output_column_name="other_given_names",
        comparison_description="given names after the first (ASCII, letters only)",
        comparison_levels=[
            cll.CustomLevel(both, "neither has another given name"),
            cll.CustomLevel(one, "only one has other given names"),
            cll.ExactMatchLevel("other_given_names", term_frequency_adjustments=True),
            cll.CustomLevel('"other_given_skeleton_l" = "other_given_skeleton_r"',
                            "same skeleton"),
            cll.JaroWinklerLevel("other_given_names", 0.88),
            cll.ElseLevel(),
        ],
    )


def department_comparison() -> cl.CustomComparison:
    """Same department or not, with fixed m and u (SAME_DEPARTMENT says why). Agreeing
    weighs log2(m / share of the department tonight): nothing on a one-department night,
    about 6 bits among a hundred departments, which is what tells namesakes born the same
    day apart nationally; disagreeing costs about 2.7 bits."""
    fixed = {"fix_m_probability": True, "fix_u_probability": True}
    return cl.CustomComparison(
        output_column_name="department",
        comparison_description="department of the list, or managing the file",
        comparison_levels=[
            cll.NullLevel("department"),
            cll.ExactMatchLevel("department", term_frequency_adjustments=True).configure(
                m_probability=SAME_DEPARTMENT, u_probability=STRANGERS_SAME_DEPARTMENT,
                **fixed),
            cll.ElseLevel().configure(m_probability=1 - SAME_DEPARTMENT,
                                      u_probability=1 - STRANGERS_SAME_DEPARTMENT, **fixed),
        ],
    )


# Columns a pair must share to be scored (record_blocking says why).
BLOCKING_KEYS = (
    ("birth_year", "surname_skeleton", "given_skeleton"),
    ("birth_date", "nationality"),
    ("birth_date", "surname_skeleton"),
    ("birth_date", "given_skeleton"),
)


# The birth day and month with both name skeletons, whatever the year: a list's year one
# off (a keying slip) otherwise leaves the pair unscored when the record gives no number.
YEAR_SLIP_KEYS = ("birth_month", "birth_day", "surname_skeleton", "given_skeleton")


# The birth year and the nationality with one name's skeleton and the other's initial
# (record_blocking says why).
ONE_SKELETON_KEYS = (
    ("birth_year", "nationality", "surname_skeleton", "substr(given_skeleton, 1, 1)"),
    ("birth_year", "nationality", "given_skeleton", "substr(surname_skeleton, 1, 1)"),
)


# A record without any birth date, with both name skeletons and the nationality
# (linkage_records.sql writes the key on such records and on every file): each rule
# above needs a year, so such a record without a number was never scored, whatever its
# names. Scored, it agrees on no date: the link rules read it as a weak birth date
# (core_person_links.sql) and an agent decides.
UNDATED_KEYS = ("undated_key",)


# A complete birth date with day and month swapped (linkage_records.sql) against the
# other side's date, with the same nationality: symmetric (a swapped date's swap is the
# date), so one rule holds whichever side Splink puts on the left.
SWAPPED_DATE_RULE = ('l."birth_date_swapped" = r."birth_date" '
                     'AND l."nationality" = r."nationality"')


@cache
def record_blocking() -> tuple:
    """Pairs of a record and an AGDREF file worth scoring at national volume (millions of
    files, names drawn from a few hundred): the birth year with both name skeletons, or
    the complete birth date with the nationality or either skeleton. On the generator's
    region set they keep 99.7 % of the true pairs of spellings, and cost one linked record
    of 15,934 against the looser (birth year, surname skeleton) (benchmarks/README.md).
    And the date with day and month swapped, with the nationality: a swap and a typo in a
    name (which moves its skeleton) otherwise leave the pair unscored. And the birth
    year with the nationality, one name's skeleton and the other's initial: a typo moving
    one skeleton with a slip of the day or a date given as its year only otherwise left
    the pair unscored, the record unlinked without an agent seeing it (issue 33); without
    the initial, these two rules nearly doubled the national scoring's time
    (benchmarks/README.md). And, for a record without any birth date, both skeletons
    and the nationality (UNDATED_KEYS)."""
    return (*file_blocking(), CustomRule(SWAPPED_DATE_RULE, sql_dialect="duckdb"),
            block_on(*YEAR_SLIP_KEYS), *(block_on(*keys) for keys in ONE_SKELETON_KEYS),
            block_on(*UNDATED_KEYS))


@cache
def file_blocking() -> tuple:
    """Pairs of two AGDREF files worth scoring: the same rules as for a record but the
    swapped date (two files are merged only on the same complete date,
    core_person_links.sql). Pairs of files grow with the square of their number, so no
    looser rule fits nationally."""
    return tuple(block_on(*keys) for keys in BLOCKING_KEYS)


def settings(link_type: str = "link_only") -> SettingsCreator:
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=list(record_blocking()),
        additional_columns_to_retain=["record_key"],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=False,
    )
