"""The computation: pure functions over frames and SQL over the warehouse. Never imports
Prefect, never reads the environment, never calls the clock: the run date is a parameter.
One package per stage of the night (ingest, core, identity, rules, publish) over the
warehouse package, each with its SQL, and night, which runs the rebuild's steps in order:
docs/architecture.md."""
