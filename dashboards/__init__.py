"""The dashboard, built from worklists and marts: one HTML page per department and a
national overview, self-contained (no network)."""
