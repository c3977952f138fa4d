"""The dashboard, built from worklists and marts (not yet implemented)."""
