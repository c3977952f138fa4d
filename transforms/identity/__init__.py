"""Stage 3 of the night, identity: who is who across the three systems. Identity
candidates (SQL over `core` and `staging`, run by build), Splink's scores with the versioned
model in models/ (comparisons, model_file, splink_pass, linkage; the pairs of two AGDREF
files in duplicates; thresholds), `core.person_links` and `core.link_review`, and the
agents' identity decisions (review)."""
