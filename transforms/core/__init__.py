"""Stage 2 of the night, core: the `core` tables rebuilt from `staging` as of the run date,
one SQL file each (build runs them), and the towns of birth kept from one night to the
next (town_names)."""
