-- reads: core.detentions, screened_identities, screened_keys
-- builds: core.claim_candidates
-- core.claim_candidates: the TélémOfpra records whose identity agrees with a detainee's
-- (a committal on an establishment's latest list), found as core_identity_candidates.sql
-- finds AGDREF files, on the same keys and by the same test (identities_agree). A
-- claimant's AGDREF file may be in another department or not yet made: the claim then
-- reaches no file, and a detainee who may be that claimant would be identified, perhaps
-- through the consulate, without anyone seeing it. The rules read these claims as they
-- read a file's found by identity (PRI-07, §5): never to act, only to protect.
CREATE OR REPLACE TABLE core.claim_candidates AS
WITH detainees AS (
    SELECT * FROM screened_keys
    WHERE system = 'genesis' AND record_key IN (SELECT record_key FROM core.detentions)
), claims AS (
    SELECT * FROM screened_keys WHERE system = 'telemofpra'
), detainee_names AS (
    SELECT record_key, nationality_key, birth_year, weak_birth,
           unnest(['surname', 'given']) AS part,
           unnest([last_name_skeleton, first_name_skeleton]) AS skeleton
    FROM detainees
), claim_names AS (
    -- a claim's given name against the detainee's surname: the two swapped
    SELECT record_key, nationality_key, birth_year, weak_birth,
           unnest(['surname', 'surname', 'given']) AS part,
           unnest([last_name_skeleton, first_name_skeleton, first_name_skeleton]) AS skeleton
    FROM claims
), pairs AS (
    SELECT d.record_key, c.record_key AS claim_key
    FROM detainees d JOIN claims c
      ON c.birth_date = d.birth_date AND c.nationality_key = d.nationality_key
     AND NOT d.birth_date_is_placeholder AND NOT c.birth_date_is_placeholder
    UNION
    SELECT d.record_key, c.record_key
    FROM detainees d JOIN claims c
      ON c.birth_date = d.birth_date_swapped AND c.nationality_key = d.nationality_key
     AND NOT c.birth_date_is_placeholder
    UNION
    SELECT d.record_key, c.record_key
    FROM detainee_names d JOIN claim_names c
      USING (part, skeleton, birth_year, nationality_key)
    WHERE d.weak_birth OR c.weak_birth
), identities AS (
    -- a TélémOfpra record has no usual name
    SELECT *, NULL::VARCHAR AS usual_name_skeleton FROM screened_identities
)
SELECT p.record_key, p.claim_key,
       CASE WHEN d.birth_date IS NOT NULL AND c.birth_date IS NOT NULL
                 AND NOT d.birth_date_is_placeholder AND NOT c.birth_date_is_placeholder
            THEN 'IDENTITY' ELSE 'IDENTITY_WEAK' END AS evidence
FROM pairs p
JOIN identities d ON d.record_key = p.record_key
JOIN identities c ON c.record_key = p.claim_key
WHERE identities_agree(d, c, d.name_forms, c.name_forms)
ORDER BY p.record_key, p.claim_key;
COMMENT ON TABLE core.claim_candidates IS 'TélémOfpra records whose identity agrees with a detainee''s (GENESIS record on an establishment''s latest list): IDENTITY (complete birth dates) or IDENTITY_WEAK. Used to find a claim that may protect the detainee, never to act.';
