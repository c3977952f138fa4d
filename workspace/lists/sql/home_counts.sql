-- reads: core.link_review
-- builds: nothing
-- What the home page counts in the account's departments beside the lists
-- (queries.home_counts counts their rows): the identity pairs to decide, undecided last
-- night and not decided in the workspace since ($decided: record|file).
SELECT 'identities' AS worklist,
       count(*) FILTER (WHERE decision IS NULL
                          AND NOT list_contains($decided, record_key || '|' || num_agdref))
           AS rows,
       NULL AS new, NULL AS overdue
FROM core.link_review WHERE list_contains($departments, department)
