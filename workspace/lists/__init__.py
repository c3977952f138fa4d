"""The units' lists and flag pages, read from the published warehouse."""
