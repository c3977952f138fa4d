"""The department dashboard of the workspace: what the units did, week by week."""
