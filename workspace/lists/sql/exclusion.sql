-- reads: worklists.exclusions
-- builds: nothing
-- A candidate the night did not list (why someone is not on a list), in the account's
-- departments only.
SELECT worklist, candidate_id, person_key, num_agdref, department, measure_id, reason_code,
       other_reasons, rule_ids, source_rows
FROM worklists.exclusions
WHERE worklist = $worklist AND candidate_id = $key AND list_contains($departments, department)
