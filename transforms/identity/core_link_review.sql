-- reads: core.identity_candidates, core.person_links, core.persons, duplicate_edges,
--         identity_scores, link_decisions, numbers_given, source_identities
-- builds: core.link_review
-- core.link_review: the pairs an agent should decide, with how each part of the identity
-- compares and Splink's match weight for each: records not LINKED, with every file they
-- gave the number of (verified or not), every file whose identity agrees on a complete
-- birth date and every Splink candidate at or above the review threshold (or close to
-- one that is); and every pair of AGDREF files merged as one person (DUPLICATE), so
-- that a merge can be checked and undone like a link. Weak deterministic agreements
-- (partial birth dates) are left out unless Splink scores them: at department scale
-- they match strangers by the hundred. Decisions go to audit.link_decisions
-- (`reconcile link`).
DELETE FROM core.link_review;
INSERT INTO core.link_review BY NAME
WITH found AS (
    SELECT record_key, num_agdref, evidence FROM core.identity_candidates
    WHERE system <> 'agdref' AND evidence IN ('NUMBER', 'IDENTITY')
    UNION ALL
    -- the files the records' numbers name (core_person_links.sql), unverified
    SELECT g.record_key, g.num_agdref, 'NUMBER_NOT_VERIFIED'
    FROM numbers_given g
    ANTI JOIN core.identity_candidates c USING (record_key, num_agdref)
), pairs AS (
    SELECT * FROM found
    UNION ALL
    -- the file an agent confirmed a record to, the confirmation contradicted since
    -- (core_person_links.sql, AGENT_CONFIRMED_CONTRADICTED): for an agent to decide again,
    -- and meanwhile the record's protections hold that file's person (its claims, a
    -- grant: verdicts.review_protections), as they did while it was confirmed
    SELECT d.record_key, d.num_agdref, 'AGENT_CONFIRMED'
    FROM link_decisions d JOIN core.person_links l USING (record_key)
    ANTI JOIN found f USING (record_key, num_agdref)
    WHERE d.decision = 'CONFIRMED' AND l.link_rule = 'AGENT_CONFIRMED_CONTRADICTED'
      AND d.num_agdref IN (SELECT num_agdref FROM core.persons)
), file_pairs AS (  -- files merged (core_person_links.sql), and file pairs decided
    SELECT 'agdref:' || e.a AS record_key, e.b AS num_agdref, 'DUPLICATE' AS evidence
    FROM duplicate_edges e
    JOIN core.persons a ON a.num_agdref = e.a
    JOIN core.persons b ON b.num_agdref = e.b AND b.person_key = a.person_key
    UNION
    SELECT record_key, num_agdref, 'DUPLICATE' FROM link_decisions
    WHERE record_key LIKE 'agdref:%'
), scored AS (
    -- Splink candidates at or above the review threshold, and those within the margin
    -- of such a one (core_person_links.sql weighs them against it)
    SELECT record_key, num_agdref FROM (
        SELECT sc.record_key, sc.num_agdref, sc.match_probability, sc.match_weight,
               max(sc.match_probability) OVER per_record AS best_probability,
               max(sc.match_weight) OVER per_record AS best_weight
        FROM identity_scores sc SEMI JOIN source_identities USING (record_key)
        WINDOW per_record AS (PARTITION BY sc.record_key))
    WHERE match_probability >= getvariable('review_threshold')
       OR (best_probability >= getvariable('review_threshold')
           AND match_weight >= best_weight - getvariable('candidate_margin'))
), all_pairs AS (
    SELECT * FROM pairs
    UNION ALL
    SELECT s.record_key, s.num_agdref, 'PROBABILISTIC'
    FROM scored s ANTI JOIN pairs USING (record_key, num_agdref)
    UNION ALL
    SELECT * FROM file_pairs
), sides AS (  -- the first of a pair: a source record or an AGDREF file
    SELECT record_key, system, department, last_name_ascii, first_names_ascii,
           last_name_skeleton, first_name_skeleton, sex, birth_year, birth_month, birth_day,
           birth_date, birth_date_is_placeholder, nationality
    FROM source_identities
    UNION ALL
    SELECT 'agdref:' || num_agdref, 'agdref', department, last_name_ascii,
           first_names_ascii, last_name_skeleton, first_name_skeleton, sex, birth_year,
           birth_month, birth_day, birth_date, birth_date_is_placeholder, nationality
    FROM core.persons
    WHERE 'agdref:' || num_agdref IN (SELECT record_key FROM file_pairs)
)
SELECT s.record_key, s.system, s.department, p.num_agdref, pr.evidence, l.link_status,
       l.link_rule,
       greatest(jaro_winkler_similarity(compact_name(s.last_name_ascii),
                                        compact_name(p.last_name_ascii)),
                CASE WHEN compact_name(p.usual_name_ascii) <> ''
                     THEN jaro_winkler_similarity(compact_name(s.last_name_ascii),
                                                  compact_name(p.usual_name_ascii)) END)
           AS surname_similarity,
       jaro_winkler_similarity(compact_name(s.first_names_ascii),
                               compact_name(p.first_names_ascii)) AS given_names_similarity,
       coalesce(skeletons_agree(s, p), false) AS same_skeleton,
       CASE WHEN s.birth_date IS NOT NULL AND s.birth_date = p.birth_date THEN 'EXACT'
            WHEN s.birth_year = p.birth_year
                 AND part_agrees(s.birth_month, p.birth_month, s.birth_date_is_placeholder,
                                 p.birth_date_is_placeholder)
                 AND part_agrees(s.birth_day, p.birth_day, s.birth_date_is_placeholder,
                                 p.birth_date_is_placeholder) THEN 'COMPATIBLE'
            ELSE 'DIFFERENT' END AS birth_agreement,
       CASE WHEN s.sex IS NULL OR p.sex IS NULL THEN 'UNKNOWN'
            WHEN s.sex = p.sex THEN 'SAME' ELSE 'DIFFERENT' END AS sex_agreement,
       CASE WHEN s.nationality IS NULL OR p.nationality IS NULL THEN 'UNKNOWN'
            WHEN s.nationality = p.nationality THEN 'SAME' ELSE 'DIFFERENT' END
           AS nationality_agreement,
       sc.match_probability, sc.match_weight, sc.weight_surname, sc.weight_given_name,
       sc.weight_other_given_names, sc.weight_birth, sc.weight_sex, sc.weight_nationality,
       sc.weight_department, sc.weight_asylum_claim, sc.weight_birth_place,
       sc.weight_entry_date,
       d.decision
FROM all_pairs pr
JOIN sides s USING (record_key)
JOIN core.persons p USING (num_agdref)
JOIN core.person_links l USING (record_key)
LEFT JOIN identity_scores sc USING (record_key, num_agdref)
LEFT JOIN link_decisions d USING (record_key, num_agdref)
WHERE l.link_status <> 'LINKED' OR d.decision IS NOT NULL OR pr.evidence = 'DUPLICATE'
ORDER BY s.record_key, p.num_agdref;
