"""The computation: pure functions over frames and SQL over the warehouse. Never imports
Prefect, never reads the environment, never calls the clock: the run date is a parameter."""
