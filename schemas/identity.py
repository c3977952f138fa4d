"""Contracts of the identity tables (docs/contracts.md §2): the links, the pairs for an
agent to review, agents' decisions on them and the weights each night used."""

from __future__ import annotations

from datetime import date, datetime

import pandera.polars as pa
import polars as pl

from schemas import codes
from schemas.base import PublishedModel


class PersonLink(PublishedModel):
    """core.person_links. Grain: one source person record."""

    record_key: str = pa.Field(unique=True, description=(
        "telemofpra:<NUM_OFPRA>, genesis:<CODE_ETABLISSEMENT>:<NUM_ECROU> or agdref:<NUM_AGDREF>"))
    system: str = pa.Field(isin=list(codes.SYSTEMS), description="source system")
    person_key: str = pa.Field(description=(
        "AGDREF number of the person when linked with confidence, else the record key"))
    match_probability: float = pa.Field(nullable=True, ge=0, le=1, description=(
        "Splink's probability for the linked (or best) candidate; null when an agent "
        "decided or no candidate was scored"))
    link_status: str = pa.Field(isin=list(codes.LINK_STATUSES), description=(
        "LINKED (acted on), REVIEW (ambiguous, never acted on) or UNLINKED"))
    link_rule: str = pa.Field(description=(
        "why: NUMBER_VERIFIED (number given, names agree, birth date the same or one slip: "
        "the year one off, another day of the month, none on the list), "
        "SEVERAL_NUMBERS_VERIFIED, "
        "PROBABILISTIC (Splink at or above the link threshold, no close rival), "
        "DETAILS_DIFFER (at or above the link threshold, but the first given name weighs "
        "against and the claim's asylum attestation does not weigh for, or the other "
        "given names weigh against and neither the town of birth nor the attestation "
        "weighs for, or the town of birth weighs against and neither the other given "
        "names, the attestation nor the date of entry weighs for, or with a birth date "
        "short of one complete date on both sides (partial, missing, or two dates that "
        "differ) the other given names or the town "
        "weigh against and the attestation does not weigh for: a namesake, a brother "
        "born the same day or year, is as likely), "
        "SURNAME_SPLIT (at or above the link threshold only when a compound surname is "
        "read across the surname and the given names, BEN / SALAH MOHAMED for BEN SALAH / "
        "MOHAMED: a namesake's file of that compound name is as likely), "
        "SEVERAL_CANDIDATES, CANDIDATE_CONFLICTS (a known sex, nationality or birth year "
        "differs), WEAK_BIRTH_DATE (only a partial birth date agrees), GREY_BAND (between "
        "the review and link thresholds), ANOTHER_DETAINEE (a detainee on an "
        "establishment's latest list linked by the model alone to a person another such "
        "detainee is tied to, or two tied by a number or an agent but for a sole agent's "
        "confirmation: one person is not held twice, PRI-01), NUMBER_NOT_VERIFIED "
        "(the number names a file whose identity does not agree enough, no candidate: "
        "in review), NUMBER_UNKNOWN (the number names no file of the snapshot, no "
        "candidate), NO_NUMBER, AGENT_CONFIRMED, "
        "AGENT_CONFIRMED_SEVERAL, AGENT_DECISIONS_DISAGREE (confirmed to a person an agent "
        "rejected for the record through another of its files: in review), "
        "AGENT_CONFIRMED_CONTRADICTED (confirmed to a person while the number the record "
        "gives verifies another person tonight, or a later list corrected its sex, "
        "nationality or birth year against the file's: in review until an agent decides "
        "again), "
        "CONFIRMED_FILE_GONE (confirmed to a file no longer in "
        "AGDREF's snapshot: in review, no other file instead), AGENT_REJECTED "
        "(audit.link_decisions; a rejection forbids every file of the person), AGDREF_FILE, "
        "AGDREF_DUPLICATE (a file merged by the model with another file of the same "
        "person), AGDREF_DUPLICATE_CONFIRMED (every merge of the person's files confirmed "
        "by an agent)"))


class LinkReview(PublishedModel):
    """core.link_review. Grain: one candidate pair (source record, AGDREF file) for an
    agent to decide: records in REVIEW, and records whose number did not verify or that
    agree with a file without a number. Never acted on until decided. Also every pair of
    AGDREF files merged as one person (acted on: an agent may reject the merge)."""

    record_key: str = pa.Field(description="source person record")
    system: str = pa.Field(isin=list(codes.SYSTEMS), description="source system")
    department: str = pa.Field(nullable=True, description="department of the record")
    num_agdref: str = pa.Field(description="candidate AGDREF file")
    evidence: str = pa.Field(description=(
        "NUMBER (given and identity agrees), NUMBER_NOT_VERIFIED (given, identity "
        "disagrees), IDENTITY (identity agrees on a complete birth date, no number), "
        "PROBABILISTIC (Splink candidate at or above the review threshold), "
        "AGENT_CONFIRMED (the file an agent confirmed the record to, the confirmation "
        "contradicted since: AGENT_CONFIRMED_CONTRADICTED), DUPLICATE "
        "(two AGDREF files merged as one person, or decided by an agent; the record is "
        "agdref:<the lower number>)"))
    link_status: str = pa.Field(isin=list(codes.LINK_STATUSES),
                                description="the record's status in core.person_links")
    link_rule: str = pa.Field(nullable=True, description=(
        "why the record has that status: its link_rule in core.person_links (a REVIEW's "
        "reason: SEVERAL_CANDIDATES, DETAILS_DIFFER…), which the review queue shows"))
    surname_similarity: float = pa.Field(nullable=True, description=(
        "Jaro-Winkler similarity of the ASCII surnames (best of surname and usual name)"))
    given_names_similarity: float = pa.Field(nullable=True, description=(
        "Jaro-Winkler similarity of the ASCII given names"))
    same_skeleton: bool = pa.Field(description="surname and first given name skeletons agree")
    match_probability: float = pa.Field(nullable=True, ge=0, le=1, description=(
        "Splink's probability that the record and the file are one person (null: the pair "
        "was not among the blocked pairs)"))
    match_weight: float = pa.Field(nullable=True, description=(
        "Splink's match weight in bits: the prior (lower the more AGDREF files there "
        "are) plus the weight of each comparison"))
    weight_surname: float = pa.Field(nullable=True, description=(
        "bits of evidence from the surname (term frequency included): positive for, "
        "negative against"))
    weight_given_name: float = pa.Field(nullable=True, description=(
        "bits of evidence from the first given name (term frequency included)"))
    weight_other_given_names: float = pa.Field(nullable=True, description=(
        "bits of evidence from the given names after the first: positive when they agree, "
        "somewhat negative when only one side has any, strongly negative when they differ"))
    weight_birth: float = pa.Field(nullable=True, description=(
        "bits of evidence from the birth date (a 01/01 placeholder counts as its year)"))
    weight_sex: float = pa.Field(nullable=True, description="bits of evidence from the sex")
    weight_nationality: float = pa.Field(nullable=True, description=(
        "bits of evidence from the nationality"))
    weight_department: float = pa.Field(nullable=True, description=(
        "bits of evidence from the department (the list's against the file's managing "
        "department): about nothing when one department runs alone, positive the rarer "
        "the shared department among tonight's, negative when they differ"))
    weight_asylum_claim: float = pa.Field(nullable=True, description=(
        "bits of evidence from the file's asylum attestations (ADA) against the date the "
        "TélémOfpra claim was introduced at OFPRA: positive for an ADA issued for this "
        "claim, negative for a file without one; nothing for a GENESIS record or two files"))
    weight_birth_place: float = pa.Field(nullable=True, description=(
        "bits of evidence from the town of birth (term frequency included: a capital "
        "weighs less than a small town): positive for the same town or a close spelling, "
        "negative for another town; nothing when a side has no town (or the country only)"))
    weight_entry_date: float = pa.Field(nullable=True, description=(
        "bits of evidence from the declared date of entry into France: only two AGDREF "
        "files both have one (duplicates); nothing for a TélémOfpra or GENESIS record"))
    birth_agreement: str = pa.Field(description=(
        "EXACT (complete dates equal), COMPATIBLE (known parts agree), DIFFERENT"))
    sex_agreement: str = pa.Field(description="SAME, DIFFERENT or UNKNOWN")
    nationality_agreement: str = pa.Field(description="SAME, DIFFERENT or UNKNOWN")
    decision: str = pa.Field(nullable=True, isin=list(codes.LINK_DECISIONS),
                             description="latest agent decision on the pair, if any")


class LinkDecision(PublishedModel):
    """audit.link_decisions. Grain: one decision of an agent on a pair (the latest per
    pair counts). Honoured by every later run: CONFIRMED links the record to the file,
    REJECTED forbids that link; on two AGDREF files, CONFIRMED merges them and REJECTED
    keeps them apart."""

    record_key: str = pa.Field(description=(
        "source person record, or agdref:<the lower number> for a pair of AGDREF files"))
    num_agdref: str = pa.Field(description="AGDREF file")
    decision: str = pa.Field(isin=list(codes.LINK_DECISIONS), description="CONFIRMED or REJECTED")
    decided_by: str = pa.Field(description=(
        "agent who decided (login, not a name), in the workspace or with reconcile link"))
    decided_at: datetime = pa.Field(description=(
        "when the decision was recorded (UTC; reconcile link's before the workspace: the "
        "machine's local time)"))
    overridden_pair: str = pa.Field(nullable=True, description=(
        "a confirmation that contradicts an earlier one, recorded on the agent's explicit "
        "override: the confirmed pair it contradicts (record key and AGDREF number); "
        "empty otherwise"))


class IdentityWeight(PublishedModel):
    """audit.identity_weights. Grain: one comparison level weighed on a night's data and
    run date (transforms/identity/absence.py): a level that reads missing data as
    evidence against, its m estimated from the night's pairs verified by number."""

    run_date: date = pa.Field(description="the night's run date (as of)")
    comparison: str = pa.Field(description="comparison of the linkage model")
    level: str = pa.Field(description="its level, as the model file names it")
    verified_pairs: pl.Int64 = pa.Field(ge=0, description=(
        "pairs of a record and the file whose number it gave, identity agreeing, that the "
        "level concerns"))
    pairs_at_level: pl.Int64 = pa.Field(ge=0, description="of those, the pairs in the level")
    m_probability: float = pa.Field(gt=0, le=1, description=(
        "m used tonight: the share of verified pairs in the level (smoothed), or u when "
        "too few pairs (the level then weighs 0)"))
    u_probability: float = pa.Field(gt=0, le=1, description="u of the model file")
    match_weight: float = pa.Field(description="log2(m / u): bits for (+) or against (-)")
    estimated: bool = pa.Field(description="enough verified pairs to estimate m")
