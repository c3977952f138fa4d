"""Pandera contracts: one model per source file type (as delivered), per staged table and
per published table. The bottom layer: imports nothing from the project."""
