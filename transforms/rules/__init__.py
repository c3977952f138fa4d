"""Stage 4 of the night, rules: RULES.md as functions over the facts read from `core`
(rights, measures, dates, worklists) and the markers' first-seen dates (flags). Decides
every candidate onto a list or into the exclusions; writes nothing itself."""
