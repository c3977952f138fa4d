"""Accounts, roles and the departments an account may see (need to know)."""
