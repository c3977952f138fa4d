"""Agents' decisions: append-only events with who and when (CONTRACTS §2), and the
decisions in force that each night copies into core.agent_decisions (in_force.py, which
the night reads without Django)."""
