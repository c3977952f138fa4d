"""Synthetic data only: the generator and the small committed sample inbox."""
