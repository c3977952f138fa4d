-- reads: audit.link_decisions, core.detentions, core.identity_candidates, core.persons,
--         identity_scores, source_identities, staging.asylum_decisions, staging.detainees
-- builds: confirmed_as_shown, core.person_links, duplicate_edges, duplicate_files,
--         link_decisions, numbers_given
-- core.person_links (docs/contracts.md §2): one outcome per source record, from, in order:
--   an agent's decision (audit.link_decisions): CONFIRMED links (to a file no longer in
--     AGDREF's snapshot: REVIEW, CONFIRMED_FILE_GONE, never another file instead),
--     REJECTED forbids the file's person (every file merged with it; and to a detainee of
--     the very same complete identity, moved under a new committal number), and a record
--     confirmed to a person an agent rejected for it (through another of its files)
--     goes to review, AGENT_DECISIONS_DISAGREE; a record confirmed to a person while its
--     number verifies another person tonight (a later list gave that number, and the
--     identity agrees), or while it now shows a sex, nationality or birth year that
--     differs from the file's and that it did not show when confirmed (a later list
--     corrected it), goes to review, AGENT_CONFIRMED_CONTRADICTED: the contradiction
--     a confirmation is refused for when recorded (transforms/identity/review.py), found
--     by the night when it arises after, unless the agent confirmed over a contradiction
--     on an explicit override, recorded (identity audit of 2026-12-07: a detainee the
--     prison named as another file's holder was planned for removal under the
--     confirmed namesake's OQTF);
--   the AGDREF number the record gave, when the identity agrees (core_identity_candidates.sql); a
--     number pointing to someone else is not used, the record goes on to matching;
--   Splink's match probability (temp table identity_scores, transforms/linkage.py): the
--     best candidate is LINKED at or above link_threshold when no other person scores
--     within candidate_margin bits of match weight (however low its probability; one
--     that can never be linked, by a conflict, counts only when it scores higher) and
--     no known sex, nationality or birth year differs; when the complete birth dates do
--     not agree (a year, a month or a 01/01 placeholder: namesakes born the same year
--     are common; day and month swapped agree) the stricter weak_birth_link_threshold
--     applies; when a detail weighs against the best candidate and nothing that could
--     tell a namesake apart weighs for it, it goes to REVIEW as DETAILS_DIFFER: the
--     first given name against, without the asylum attestation of this claim (a twin
--     of another first name is born the same day, in the same town, and enters France
--     with his brother); the other given names against, without the town of birth or
--     the attestation; the town of birth against, without the other given names, the
--     attestation or the date of entry; with a birth date short of one complete date on
--     both sides (weak_birth_date: partial, missing, or two dates that differ), the
--     other given names or the town against, whatever
--     weighs for but the attestation (for or against: one bit or more, so that a
--     level the night weighs near nothing, transforms/identity/absence.py, does not
--     decide). A namesake born the same day is then as likely as the person:
--     Splink counts those details as independent of the names and date, namesakes are
--     not; benchmarks/README.md measures it on both test sets. A best candidate
--     scoring on a compound surname read across the surname and the given names
--     (BEN / SALAH MOHAMED for BEN SALAH / MOHAMED) goes to REVIEW as SURNAME_SPLIT (a
--     namesake's file of that compound name is as likely as the person's); a best candidate
--     between the review and link thresholds, two close candidates, a conflicting one
--     or one agreeing only on a partial birth date go to REVIEW (never acted on).
--   Nothing of the above: a record whose number names a file of the snapshot goes to
--     REVIEW as NUMBER_NOT_VERIFIED (the pair is in core.link_review for an agent: the
--     right number with a slip too many, or someone else's); one whose number names no
--     file is UNLINKED as NUMBER_UNKNOWN, one without any number as NO_NUMBER.
--   One person is not held twice (PRI-01): a detainee on the latest list of an
--     establishment (core.detentions) linked by the model alone (PROBABILISTIC) to a
--     person another such detainee is tied to (by the model, a number or an agent, or
--     names by a number that did not verify), on
--     another establishment's list or the same one, goes to REVIEW as ANOTHER_DETAINEE:
--     at least one of the two is someone else (a namesake), and a detainee tied to
--     another's file is planned for removal under that person's measure. An agent
--     confirms the right one (`reconcile link`). Two tied by a number or an agent go to
--     REVIEW alike, but for the one an agent confirmed, if it is the only one.
-- AGDREF files of one person (Splink at or above duplicate_threshold, no conflict, the
-- same complete birth date and the same known date of entry into France: namesakes born
-- the same day exist, and a merge attributes one file's measures to the other; the
-- threshold is reached without the date of entry's weight) share
-- one person_key, the lowest of their numbers; files an agent rejected as one person are
-- never merged, not even through a third file. Files not merged are still screened for
-- each other's protections (core.identity_candidates).

-- identity_conflict (a known sex, nationality or birth year that differs) is defined in
-- identity_agreement.sql: a probability may outweigh it, an action must not.

-- The latest decision of an agent on each pair recorded on or before the run date (also
-- read by core_link_review.sql): a night run --as-of a past date sees what was decided
-- by then, as it sees only what was delivered by then. Two decisions on one pair at the
-- same instant: the rejection, which acts on no one (principle 1).
CREATE OR REPLACE TEMP TABLE link_decisions AS
SELECT record_key, num_agdref, decision, overridden_pair, decided_at FROM audit.link_decisions
WHERE CAST(decided_at AS DATE) <= getvariable('run_date')
QUALIFY row_number() OVER (PARTITION BY record_key, num_agdref
                           ORDER BY decided_at DESC, decision DESC) = 1;

-- Pairs of AGDREF files of one person (also read by core_link_review.sql): at or above
-- the duplicate threshold with the guards above, or CONFIRMED by an agent; never a pair
-- an agent REJECTED. File pairs are decided as `agdref:<lower number>` and the other.
CREATE OR REPLACE TEMP TABLE duplicate_edges AS
SELECT a.num_agdref AS a, b.num_agdref AS b, sc.match_probability,
       coalesce(d.decision = 'CONFIRMED', false) AS confirmed
FROM identity_scores sc
JOIN core.persons a ON 'agdref:' || a.num_agdref = sc.record_key
JOIN core.persons b ON b.num_agdref = sc.num_agdref
LEFT JOIN link_decisions d ON d.record_key = sc.record_key AND d.num_agdref = sc.num_agdref
WHERE d.decision IS DISTINCT FROM 'REJECTED'
  AND (d.decision = 'CONFIRMED'
       OR (sc.match_probability >= getvariable('duplicate_threshold')
           -- the names and birth date must carry the pair without the date of entry,
           -- which the next line asks to be the same: counted in the score as well,
           -- strangers born the same day and entered the same day (or within days,
           -- when that was allowed) were merged (benchmarks/README.md, issue 33 item 3)
           AND sc.match_weight - coalesce(sc.weight_entry_date, 0)
               >= log2(getvariable('duplicate_threshold')
                       / (1 - getvariable('duplicate_threshold')))
           AND NOT identity_conflict(a, b)
           AND a.entry_date = b.entry_date
           -- the same complete birth date: a year, a month or a 01/01 placeholder is
           -- shared by strangers of one name by the dozen nationally
           AND a.birth_date = b.birth_date
           AND NOT a.birth_date_is_placeholder AND NOT b.birth_date_is_placeholder))
UNION ALL  -- confirmed pairs Splink did not keep
SELECT a.num_agdref, b.num_agdref, NULL, true
FROM link_decisions d
JOIN core.persons a ON 'agdref:' || a.num_agdref = d.record_key
JOIN core.persons b ON b.num_agdref = d.num_agdref
ANTI JOIN identity_scores sc ON sc.record_key = d.record_key AND sc.num_agdref = d.num_agdref
WHERE d.decision = 'CONFIRMED';

-- Duplicate AGDREF files: connected pairs, at most 3 files a person (a longer chain of
-- pairs is more likely namesakes than one person holding 4 files: not merged).
CREATE OR REPLACE TEMP TABLE duplicate_files AS
WITH RECURSIVE edges AS (
    SELECT * FROM duplicate_edges
), both_ways AS (
    SELECT a, b FROM edges UNION SELECT b, a FROM edges
), reach(num_agdref, member) AS (
    SELECT a, a FROM both_ways
    UNION
    SELECT r.num_agdref, w.b FROM reach r JOIN both_ways w ON w.a = r.member
), components AS (
    SELECT num_agdref, min(member) AS person_key, count(*) AS files
    FROM reach GROUP BY num_agdref
), confirmed AS (  -- a person whose every pair of files an agent confirmed
    SELECT c.person_key, bool_and(e.confirmed) AS confirmed
    FROM edges e JOIN components c ON c.num_agdref = e.a
    GROUP BY c.person_key
), kept_apart AS (
    -- files an agent REJECTED as one person, joined through a third: the pairs do not
    -- hold together, so none of them is merged (each still screened for the others'
    -- protections, core.identity_candidates; the pairs stay in core.link_review)
    SELECT DISTINCT a.person_key
    FROM link_decisions d
    JOIN components a ON 'agdref:' || a.num_agdref = d.record_key
    JOIN components b ON b.num_agdref = d.num_agdref AND b.person_key = a.person_key
    WHERE d.decision = 'REJECTED'
)
SELECT c.num_agdref, c.person_key,
       (SELECT max(e.match_probability) FROM edges e
        WHERE c.num_agdref IN (e.a, e.b)) AS match_probability,
       cf.confirmed
FROM components c JOIN confirmed cf USING (person_key)
ANTI JOIN kept_apart USING (person_key)
WHERE c.files <= 3;

-- What each record an agent confirmed showed of its sex, nationality and birth year when
-- confirmed: its latest row in the lists extracted before the day of the confirmation
-- (those the agent could see; a list of that very day may have been read after). None
-- when no such list is kept: the confirmation is then not compared.
CREATE OR REPLACE TEMP TABLE confirmed_as_shown AS
WITH confirmations AS (
    SELECT record_key, num_agdref, CAST(decided_at AS DATE) AS decided_on
    FROM link_decisions
    WHERE decision = 'CONFIRMED' AND NOT starts_with(record_key, 'agdref:')
), shown AS (
    SELECT 'telemofpra:' || num_ofpra AS record_key, extraction_date, file_name,
           line_number, sex, nationality, birth_year
    FROM staging.asylum_decisions
    WHERE 'telemofpra:' || num_ofpra IN (SELECT record_key FROM confirmations)
    UNION ALL
    SELECT 'genesis:' || establishment_code || ':' || committal_number, extraction_date,
           file_name, line_number, sex, nationality, birth_year
    FROM staging.detainees
    WHERE 'genesis:' || establishment_code || ':' || committal_number
          IN (SELECT record_key FROM confirmations)
)
SELECT c.record_key, c.num_agdref,
       -- the latest row, as source_identities orders them (one row, whatever the ties)
       arg_max({'sex': s.sex, 'nationality': s.nationality, 'birth_year': s.birth_year},
               {'day': s.extraction_date, 'file': s.file_name, 'line': s.line_number})
           AS shown
FROM confirmations c JOIN shown s ON s.record_key = c.record_key
                                 AND s.extraction_date < c.decided_on
GROUP BY c.record_key, c.num_agdref;

UPDATE core.persons SET person_key = num_agdref;
UPDATE core.removal_measures SET person_key = num_agdref;
UPDATE core.persons p SET person_key = d.person_key
FROM duplicate_files d WHERE p.num_agdref = d.num_agdref;
UPDATE core.removal_measures m SET person_key = d.person_key
FROM duplicate_files d WHERE m.num_agdref = d.num_agdref;

-- The files of the snapshot each record's numbers name, verified or not (also read by
-- core_link_review.sql: a number that does not verify is a pair for an agent, and the
-- record is in REVIEW as NUMBER_NOT_VERIFIED, below).
CREATE OR REPLACE TEMP TABLE numbers_given AS
SELECT g.record_key, g.num_agdref
FROM (SELECT record_key, unnest(numbers) AS num_agdref FROM source_identities) g
SEMI JOIN core.persons p USING (num_agdref);

DELETE FROM core.person_links;
INSERT INTO core.person_links BY NAME
WITH rejected_pairs AS (
    SELECT record_key, num_agdref FROM link_decisions WHERE decision = 'REJECTED'
), rejected_persons AS (
    -- an agent rejected the person of that file: none of its files (a duplicate merged
    -- with it) links the record
    SELECT r.record_key, p.person_key FROM rejected_pairs r JOIN core.persons p USING (num_agdref)
), refused AS (
    -- those, and the same person for a record of the very same identity (names, birth
    -- date, sex, nationality): a detainee moved to another establishment, under a new
    -- committal number, is the man the agent judged not to be that person; a number or
    -- the model does not tie him to them again (identity audit of 2026-12-07: he was
    -- planned for removal under the rejected file's OQTF); an agent may still confirm
    SELECT record_key, person_key FROM rejected_persons
    UNION
    -- (detainees only, each with a complete identity: an asylum record of the same
    -- names and date may be the file's own holder, whose claims the rejection of a
    -- namesake detainee must not cut from them; review of 2026-12-07)
    SELECT o.record_key, r.person_key
    FROM rejected_persons r
    JOIN source_identities s ON s.record_key = r.record_key
    JOIN source_identities o ON o.record_key <> s.record_key
     AND o.system = 'genesis' AND s.system = 'genesis'
     AND o.last_name_ascii = s.last_name_ascii
     AND o.first_names_ascii = s.first_names_ascii
     AND o.birth_date = s.birth_date AND NOT s.birth_date_is_placeholder
     AND o.sex IS NOT DISTINCT FROM s.sex
     AND o.nationality IS NOT DISTINCT FROM s.nationality
), confirmed AS (
    -- `rejected`: an agent rejected the confirmed person for the record too (another
    -- file of that person): the agents disagree, nobody acts (principle 1)
    SELECT d.record_key, list(DISTINCT p.person_key) AS persons,
           bool_or(r.record_key IS NOT NULL) AS rejected,
           -- recorded over a contradiction on the agent's explicit override
           bool_or(coalesce(d.overridden_pair, '') <> '') AS overridden
    FROM link_decisions d JOIN core.persons p USING (num_agdref)
    LEFT JOIN rejected_persons r ON r.record_key = d.record_key AND r.person_key = p.person_key
    WHERE d.decision = 'CONFIRMED'
    GROUP BY d.record_key
), corrected_since AS (
    -- a confirmed record that now shows a sex, nationality or birth year differing from
    -- its file's, which it did not show when the agent confirmed it
    SELECT DISTINCT c.record_key FROM confirmed_as_shown c
    JOIN source_identities s USING (record_key)
    JOIN core.persons p USING (num_agdref)
    WHERE identity_conflict(s, p)
      AND {'sex': s.sex, 'nationality': s.nationality, 'birth_year': s.birth_year}
          IS DISTINCT FROM c.shown
), confirmed_gone AS (
    -- confirmed to a file no longer in AGDREF's snapshot (deleted, renumbered, merged):
    -- the agent said whose the record is; no number nor model decides instead
    SELECT DISTINCT d.record_key FROM link_decisions d
    ANTI JOIN core.persons p USING (num_agdref)
    WHERE d.decision = 'CONFIRMED'
), verified AS (
    SELECT c.record_key, list(DISTINCT p.person_key) AS persons,
           max(sc.match_probability) AS match_probability
    FROM core.identity_candidates c
    JOIN core.persons p USING (num_agdref)
    LEFT JOIN identity_scores sc USING (record_key, num_agdref)
    ANTI JOIN refused r ON r.record_key = c.record_key AND r.person_key = p.person_key
    WHERE c.evidence = 'NUMBER' AND c.system <> 'agdref'
    GROUP BY c.record_key
), contradicted AS (
    -- a confirmation the record contradicts since (its number verifies another person
    -- tonight, or a later list corrected it against the file), unless recorded on an
    -- explicit override
    SELECT cf.record_key FROM confirmed cf
    LEFT JOIN verified v USING (record_key)
    LEFT JOIN corrected_since cs USING (record_key)
    WHERE NOT cf.overridden
      AND ((v.persons IS NOT NULL AND NOT list_has_all(cf.persons, v.persons))
           OR cs.record_key IS NOT NULL)
), candidates AS (
    -- a person's duplicate files count once
    SELECT sc.record_key, p.person_key, max(sc.match_probability) AS match_probability,
           max(sc.match_weight) AS match_weight, bool_or(identity_conflict(s, p)) AS conflict,
           bool_and(weak_birth_date(s, p)) AS weak_birth,
           bool_and(coalesce(sc.weight_asylum_claim, 0) < 1
                    AND (coalesce(sc.weight_given_name, 0) <= -1
                         OR (coalesce(sc.weight_other_given_names, 0) <= -1
                             AND coalesce(sc.weight_birth_place, 0) < 1)
                         OR (coalesce(sc.weight_birth_place, 0) <= -1
                             AND coalesce(sc.weight_other_given_names, 0) < 1
                             AND coalesce(sc.weight_entry_date, 0) < 1)
                         OR (weak_birth_date(s, p)
                             AND (coalesce(sc.weight_other_given_names, 0) <= -1
                                  OR coalesce(sc.weight_birth_place, 0) <= -1))))
               AS details_differ,
           -- the pair's best spelling reads a compound surname across the surname and
           -- the given names (linkage_records.sql): the names as written do not reach
           -- the link threshold (splink_pass._best_spelling)
           arg_max(coalesce(sc.unsplit_weight < sc.match_weight, true), sc.match_weight)
               AS surname_split
    FROM identity_scores sc
    JOIN source_identities s USING (record_key)
    JOIN core.persons p USING (num_agdref)
    ANTI JOIN refused r ON r.record_key = sc.record_key AND r.person_key = p.person_key
    GROUP BY sc.record_key, p.person_key
), close AS (
    -- candidates within candidate_margin bits of the best: too close to choose. A
    -- candidate that can never be linked (a conflict) is no competitor of a better
    -- linkable one; scoring as high or higher, it still stops the link (the conflict may
    -- be a slip of the true file's).
    SELECT * EXCLUDE (best_linkable) FROM (
        SELECT *, max(CASE WHEN NOT conflict THEN match_weight END)
                      OVER (PARTITION BY record_key) AS best_linkable
        FROM candidates)
    QUALIFY match_weight >= max(match_weight) OVER (PARTITION BY record_key)
                            - getvariable('candidate_margin')
        AND (NOT conflict OR best_linkable IS NULL OR match_weight >= best_linkable)
), best AS (
    SELECT record_key, count(*) AS persons, max(match_probability) AS match_probability,
           arg_max(person_key, match_weight) AS person_key,
           arg_max(conflict, match_weight) AS conflict,
           arg_max(weak_birth, match_weight) AS weak_birth,
           arg_max(details_differ, match_weight) AS details_differ,
           arg_max(surname_split, match_weight) AS surname_split
    FROM close GROUP BY record_key
    -- a best candidate under the review threshold is no candidate
    HAVING max(match_probability) >= getvariable('review_threshold')
), decided AS (
    SELECT s.record_key, s.system,
        CASE WHEN cf.rejected THEN 'AGENT_DECISIONS_DISAGREE'
             WHEN ct.record_key IS NOT NULL THEN 'AGENT_CONFIRMED_CONTRADICTED'
             WHEN len(cf.persons) = 1 THEN 'AGENT_CONFIRMED'
             WHEN len(cf.persons) > 1 THEN 'AGENT_CONFIRMED_SEVERAL'
             WHEN g.record_key IS NOT NULL THEN 'CONFIRMED_FILE_GONE'
             WHEN len(v.persons) = 1 THEN 'NUMBER_VERIFIED'
             WHEN len(v.persons) > 1 THEN 'SEVERAL_NUMBERS_VERIFIED'
             WHEN b.persons > 1 THEN 'SEVERAL_CANDIDATES'
             WHEN b.conflict THEN 'CANDIDATE_CONFLICTS'
             WHEN b.weak_birth
                  AND b.match_probability < getvariable('weak_birth_link_threshold')
                 THEN 'WEAK_BIRTH_DATE'
             WHEN b.match_probability >= getvariable('link_threshold') AND b.details_differ
                 THEN 'DETAILS_DIFFER'
             WHEN b.match_probability >= getvariable('link_threshold') AND b.surname_split
                 THEN 'SURNAME_SPLIT'
             WHEN b.match_probability >= getvariable('link_threshold') THEN 'PROBABILISTIC'
             WHEN b.persons = 1 THEN 'GREY_BAND'
             WHEN s.record_key IN (SELECT record_key FROM rejected_pairs) THEN 'AGENT_REJECTED'
             WHEN s.record_key IN (SELECT record_key FROM numbers_given)
                 THEN 'NUMBER_NOT_VERIFIED'
             WHEN len(s.numbers) > 0 THEN 'NUMBER_UNKNOWN'
             ELSE 'NO_NUMBER' END AS link_rule,
        CASE WHEN len(cf.persons) = 1 AND NOT cf.rejected AND ct.record_key IS NULL
                 THEN cf.persons[1]
             WHEN g.record_key IS NOT NULL THEN NULL
             WHEN cf.persons IS NULL AND len(v.persons) = 1 THEN v.persons[1]
             WHEN cf.persons IS NULL AND v.persons IS NULL THEN b.person_key END AS person_key,
        CASE WHEN cf.persons IS NOT NULL THEN NULL
             WHEN v.persons IS NOT NULL THEN v.match_probability
             ELSE b.match_probability END AS match_probability
    FROM source_identities s
    LEFT JOIN confirmed cf USING (record_key)
    LEFT JOIN contradicted ct USING (record_key)
    LEFT JOIN confirmed_gone g USING (record_key)
    LEFT JOIN verified v USING (record_key)
    LEFT JOIN best b USING (record_key)
), held AS (  -- detainees tied to a person, on the latest list of an establishment:
    -- by an agent, a number or the model (over the link threshold, though the details
    -- or a split surname sent the pair to an agent: the other detainee is no surer)
    SELECT d.record_key, d.person_key, d.link_rule FROM decided d
    SEMI JOIN core.detentions h USING (record_key)
    WHERE d.link_rule IN ('AGENT_CONFIRMED', 'NUMBER_VERIFIED', 'PROBABILISTIC',
                          'DETAILS_DIFFER', 'SURNAME_SPLIT')
    UNION ALL
    -- or by the number he gave, though it did not verify: he says he is that file's
    -- holder, so a namesake the model alone links to it is no surer (identity audit of
    -- 2026-12-07: the namesake was planned for removal under the file's OQTF)
    SELECT d.record_key, p.person_key, d.link_rule FROM decided d
    JOIN numbers_given n USING (record_key) JOIN core.persons p USING (num_agdref)
    SEMI JOIN core.detentions h ON h.record_key = d.record_key
    WHERE d.link_rule = 'NUMBER_NOT_VERIFIED'
), held_twice AS (  -- PRI-01: one person is not held in two places at once
    -- a detainee linked by the model alone, when another is tied to the person
    SELECT h.record_key FROM held h
    WHERE h.link_rule = 'PROBABILISTIC'
      AND EXISTS (SELECT 1 FROM held o
                  WHERE o.person_key = h.person_key AND o.record_key <> h.record_key)
    UNION
    -- two tied by a number or an agent: all but the one an agent confirmed, if alone
    -- (a detainee giving the number arrived after the confirmation; two agents' or two
    -- numbers' ties cannot both be right)
    SELECT h.record_key FROM held h
    WHERE h.link_rule IN ('AGENT_CONFIRMED', 'NUMBER_VERIFIED')
      AND EXISTS (SELECT 1 FROM held o
                  WHERE o.person_key = h.person_key AND o.record_key <> h.record_key
                    AND o.link_rule IN ('AGENT_CONFIRMED', 'NUMBER_VERIFIED')
                    AND (h.link_rule <> 'AGENT_CONFIRMED'
                         OR o.link_rule = 'AGENT_CONFIRMED'))
), checked AS (
    SELECT d.* REPLACE (CASE WHEN t.record_key IS NOT NULL THEN 'ANOTHER_DETAINEE'
                             ELSE d.link_rule END AS link_rule)
    FROM decided d LEFT JOIN held_twice t USING (record_key)
)
SELECT record_key, system,
       CASE WHEN link_rule IN ('AGENT_CONFIRMED', 'NUMBER_VERIFIED', 'PROBABILISTIC')
            THEN person_key ELSE record_key END AS person_key,
       match_probability,
       CASE WHEN link_rule IN ('AGENT_CONFIRMED', 'NUMBER_VERIFIED', 'PROBABILISTIC')
                THEN 'LINKED'
            WHEN link_rule IN ('AGENT_CONFIRMED_SEVERAL', 'AGENT_DECISIONS_DISAGREE',
                               'AGENT_CONFIRMED_CONTRADICTED',
                               'SEVERAL_NUMBERS_VERIFIED',
                               'SEVERAL_CANDIDATES', 'CANDIDATE_CONFLICTS', 'WEAK_BIRTH_DATE',
                               'DETAILS_DIFFER', 'SURNAME_SPLIT', 'GREY_BAND',
                               'ANOTHER_DETAINEE',
                               'CONFIRMED_FILE_GONE', 'NUMBER_NOT_VERIFIED')
                THEN 'REVIEW'
            ELSE 'UNLINKED' END AS link_status,
       link_rule
FROM checked
UNION ALL
-- A merge made by the model alone (AGDREF_DUPLICATE) is not enough to act on one file's
-- measure for the other file's holder (Facts.firmly_tied, rules/facts.py); an agent's
-- confirmation is (AGDREF_DUPLICATE_CONFIRMED).
SELECT 'agdref:' || p.num_agdref, 'agdref', p.person_key, d.match_probability, 'LINKED',
       CASE WHEN d.num_agdref IS NULL THEN 'AGDREF_FILE'
            WHEN d.confirmed THEN 'AGDREF_DUPLICATE_CONFIRMED'
            ELSE 'AGDREF_DUPLICATE' END
FROM core.persons p LEFT JOIN duplicate_files d USING (num_agdref);
