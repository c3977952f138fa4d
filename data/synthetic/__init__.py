"""Synthetic inbox generator (`reconcile generate`). Never real personal data: names are
random combinations of common name parts, dates and numbers are drawn at random."""
