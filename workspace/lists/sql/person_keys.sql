-- reads: core.persons, core.person_links, core.agent_decision_anchors, core.agent_decisions
-- The keys a person's decisions may have been recorded under: the AGDREF numbers of every
-- file of the person (a file merged since the decision, with a lower number, moves the
-- person's key), and the key of every decision anchored to one of their files or records
-- (files split apart by an agent, a duplicate gone from AGDREF's extract): the night
-- honours those decisions for this person too (transforms/rules/rule_files.sql).
WITH files AS (
    SELECT num_agdref FROM core.persons WHERE person_key = $person
), reached AS (
    SELECT num_agdref AS anchor_key FROM files
    UNION SELECT record_key FROM core.person_links WHERE person_key = $person
    UNION SELECT $person
)
SELECT num_agdref FROM files
UNION
SELECT d.person_key FROM core.agent_decisions d
JOIN core.agent_decision_anchors a USING (decision_id)
WHERE a.anchor_key IN (SELECT anchor_key FROM reached)
ORDER BY 1
