-- reads: core.persons
-- The keys a person's decisions may have been recorded under: the AGDREF numbers of every
-- file of the person (a file merged since the decision, with a lower number, moves the
-- person's key; the night reads a number as its file's person, transforms/rules/
-- rule_files.sql).
SELECT num_agdref FROM core.persons WHERE person_key = $person ORDER BY num_agdref
