-- reads: core.agent_decisions, core.persons, core.person_links
-- builds: core.agent_decision_anchors
-- core.persons and core.person_links are the night before's: tonight's are not built yet.
-- A decision names its person by the key their flag had. The first night it is read,
-- it is anchored to what that person held then, as the agent saw it: the key itself,
-- the AGDREF numbers of the files under that key and the records linked to it. Tonight's
-- rules find the person again through any of them (rule_files.sql), after a merge, a
-- split or a file gone from AGDREF's extract. Anchors of decisions no longer in force go.
DELETE FROM core.agent_decision_anchors
WHERE decision_id NOT IN (SELECT decision_id FROM core.agent_decisions);

INSERT INTO core.agent_decision_anchors
WITH fresh AS (
    SELECT decision_id, person_key FROM core.agent_decisions
    WHERE decision_id NOT IN (SELECT decision_id FROM core.agent_decision_anchors)
)
SELECT DISTINCT decision_id, anchor_key FROM (
    SELECT decision_id, person_key AS anchor_key FROM fresh
    UNION ALL
    SELECT f.decision_id, p.num_agdref FROM fresh f
    JOIN core.persons p ON p.person_key = f.person_key
    UNION ALL
    SELECT f.decision_id, l.record_key FROM fresh f
    JOIN core.person_links l ON l.person_key = f.person_key AND l.system <> 'agdref'
)
ORDER BY decision_id, anchor_key;
