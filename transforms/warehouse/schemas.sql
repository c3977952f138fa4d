-- reads: nothing
-- builds: audit.layers
-- Warehouse layers (docs/contracts.md §2). Tables are created from the Pandera contracts.
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS worklists;
CREATE SCHEMA IF NOT EXISTS marts;
CREATE SCHEMA IF NOT EXISTS audit;
-- DuckDB cannot comment a schema: the layers are described in audit.layers instead.
CREATE TABLE IF NOT EXISTS audit.layers (layer VARCHAR PRIMARY KEY, description VARCHAR);
COMMENT ON TABLE audit.layers IS 'What each schema (layer) of the warehouse holds.';
INSERT OR REPLACE INTO audit.layers VALUES
  ('raw', 'Rows exactly as delivered, all text, with file name and line number. Personal data: restricted.'),
  ('staging', 'Typed, validated, standardised rows (house column names), one table per source file type.'),
  ('core', 'Linked persons, asylum cases, measures and detentions.'),
  ('worklists', 'The three worklists, their exclusions and the flag history, as of the run date.'),
  ('marts', 'Aggregate indicators for analysts and managers.'),
  ('audit', 'Runs, files, quarantined rows and exports: the accounting of every input row.');
COMMENT ON COLUMN audit.layers.layer IS 'schema of the warehouse';
COMMENT ON COLUMN audit.layers.description IS 'what the schema holds (DuckDB cannot comment a schema itself)';
