"""Agents' decisions: append-only events with who and when (docs/contracts.md §2), and the
decisions in force that each night copies into core.agent_decisions (in_force.py, which
the night reads without Django)."""
