"""Stage 1 of the night, ingest: list and plan the inbox (inbox), read each file with its
contract (read) and keep every row in `raw`, valid rows typed in `staging`, the others in
`audit.quarantine` (validate, load, standardise, countries), and each source's freshness
(freshness). Reads the inbox and `audit.files`; writes `raw`, `staging` and `audit`."""
