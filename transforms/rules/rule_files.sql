-- reads: audit.link_decisions, core.agent_decision_anchors, core.agent_decisions,
--        core.identity_candidates, core.link_review, core.person_links, core.persons,
--        core.quarantined_references, core.record_identities, core.removal_measures
-- builds: rule_agent_decisions, rule_candidates, rule_files, rule_seeds
-- What a worklist rule can reach (transforms/worklists.load_facts), so that only that is
-- read into Python: nationally most AGDREF files, and most identity candidates, concern
-- no list.
-- rule_seeds: the AGDREF files whose own identity candidates a rule reads: a file under
-- a measure, every file of a person a TélémOfpra or GENESIS record is linked to, and
-- every file such a record is in identity review against (its protections hold the
-- record's person, who may be that file's: verdicts.review_protections, PRI-07), every
-- file whose number such a record gave, verified or not (verdicts.candidate_files), and the
-- file a quarantined row of a latest MESURES extract names (its measure is held back:
-- facts.quarantined_measures).
CREATE OR REPLACE TEMP TABLE rule_seeds AS
SELECT num_agdref FROM core.removal_measures
UNION
SELECT substr(reference, length('agdref:') + 1) FROM core.quarantined_references
WHERE reference LIKE 'agdref:%' AND file_kind = 'agdref_mesures' AND is_latest
UNION
SELECT p.num_agdref FROM core.persons p
JOIN core.person_links l ON l.person_key = p.person_key AND l.system <> 'agdref'
UNION
SELECT num_agdref FROM core.link_review
WHERE link_status = 'REVIEW' AND system <> 'agdref'
UNION
SELECT unnest(numbers) FROM core.record_identities;

-- rule_candidates: the identity candidates a rule reads (worklists.candidate_files):
-- those of the records and of the seeds (weak ones exist for GENESIS records only).
CREATE OR REPLACE TEMP TABLE rule_candidates AS
SELECT * FROM core.identity_candidates
WHERE system <> 'agdref' OR record_key IN (SELECT 'agdref:' || num_agdref FROM rule_seeds);

-- rule_files: the seeds, the candidates, and every other file of the same person (merged
-- duplicates).
CREATE OR REPLACE TEMP TABLE rule_files AS
WITH reached AS (
    SELECT num_agdref FROM rule_seeds
    UNION SELECT num_agdref FROM rule_candidates
)
SELECT num_agdref FROM core.persons
WHERE person_key IN (SELECT p.person_key FROM core.persons p JOIN reached USING (num_agdref));

-- rule_agent_decisions: the units' decisions in force under tonight's key of their person.
-- A decision names the person by the key their flag had (the lowest AGDREF number of
-- their files, or a record's key while unlinked), and is anchored to the files and
-- records that person held when the night first read it (core.agent_decision_anchors).
-- A file merged since (a duplicate with a lower number), a record linked since, files
-- split apart by an agent or a file gone from AGDREF's extract move that key, and the
-- decision (an examination on another ground, OQ-02; an answer to a prison, PRI-05) must
-- still be found: each anchor is read as tonight's person of its file (a number) or of
-- its record (a record's key). Anchors reaching several persons tonight (files split
-- apart) give the decision to each: which of them it was about is uncertain (principle 1).
-- But a record an agent has since said is not the person of the decision's files (a
-- REJECTED pair, the latest on it) is someone else: it no longer carries the decision,
-- unless it is of the kind the decision's flag is about (the detainee of a releases
-- flag, the claimant of a rejected flag), whom the unit decided for; and so is a record
-- the night ties to a person none of the decision's files belongs to.
CREATE OR REPLACE TEMP TABLE rule_agent_decisions AS
WITH latest_pairs AS (
    SELECT record_key, num_agdref, decision FROM audit.link_decisions
    WHERE CAST(decided_at AS DATE) <= getvariable('run_date')
    QUALIFY row_number() OVER (PARTITION BY record_key, num_agdref
                               ORDER BY decided_at DESC, decision DESC) = 1
), file_persons AS (
    -- tonight's persons of the files each decision is anchored to
    SELECT n.decision_id, p.person_key FROM core.agent_decision_anchors n
    JOIN core.persons p ON p.num_agdref = n.anchor_key
), anchors AS (
    SELECT decision_id, person_key AS anchor_key FROM core.agent_decisions
    UNION
    SELECT n.decision_id, n.anchor_key FROM core.agent_decision_anchors n
    JOIN core.agent_decisions a USING (decision_id)
    LEFT JOIN core.person_links l ON l.record_key = n.anchor_key AND l.link_status = 'LINKED'
    WHERE starts_with(n.anchor_key, CASE a.worklist WHEN 'upcoming_releases' THEN 'genesis:'
                                     WHEN 'rejected_without_oqtf' THEN 'telemofpra:' END)
       OR (NOT EXISTS (
               SELECT 1 FROM latest_pairs r JOIN core.agent_decision_anchors f
               ON f.decision_id = n.decision_id AND f.anchor_key = r.num_agdref
               WHERE r.record_key = n.anchor_key AND r.decision = 'REJECTED')
           -- a record tied tonight to a person none of the decision's files is (a list
           -- corrected the committal: another man's) is someone else too; unless no file
           -- of the decision is left to tell (unlinked then, or its files gone)
           AND (n.anchor_key = l.person_key OR l.person_key IS NULL
                OR l.person_key IN (SELECT person_key FROM file_persons f
                                    WHERE f.decision_id = n.decision_id)
                OR NOT EXISTS (SELECT 1 FROM file_persons f
                               WHERE f.decision_id = n.decision_id)))
), reached AS (
    SELECT n.decision_id, coalesce(
               (SELECT p.person_key FROM core.persons p WHERE p.num_agdref = n.anchor_key),
               (SELECT l.person_key FROM core.person_links l WHERE l.record_key = n.anchor_key),
               n.anchor_key) AS person_key
    FROM anchors n
)
SELECT DISTINCT a.* REPLACE (r.person_key AS person_key)
FROM core.agent_decisions a JOIN reached r USING (decision_id);
