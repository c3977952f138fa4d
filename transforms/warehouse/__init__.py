"""Below every stage: the DuckDB warehouse (database: connections opened with their
settings, transactions, each stage's SQL read by name; tables: tables from the Pandera
contracts, frames through Arrow) and the purge of old source rows (purge)."""
