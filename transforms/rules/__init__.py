"""Stage 4 of the night, rules: RULES.md as functions over the facts read from `core`
(rights, measures, dates, verdicts, one module per list, alerts) and the markers'
first-seen dates (flags); decide runs them per department. Decides every candidate onto
a list or into the exclusions; writes nothing itself."""
