"""Below every stage: the DuckDB warehouse (database: tables from the Pandera contracts,
frames through Arrow, transactions, each stage's SQL read by name) and the purge of old
source rows (purge)."""
