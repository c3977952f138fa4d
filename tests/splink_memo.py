"""Splink's passes remembered for the rest of a test process, by what they were given.

A rule scenario runs a whole night on a tiny inbox, and most scenarios give Splink the
same few records (the builders' default person and file): two passes in three repeat one
an earlier test made, at about a quarter of a second each, a sixth of the rules' tests.
A pass is a pure function of its tables, its model and its settings (`predict_pairs`),
so a repeated one returns a copy of the pairs the first one found; a pass with anything
different (a row, a term's frequency, a threshold) runs Splink. Splink's own behaviour is
tested where it is called directly (tests/test_record_pairs_memory.py and the others
that import `predict_pairs`), which this does not touch; only the passes that the night's
identity stage makes (record_pairs and duplicates) go through it.
"""

from __future__ import annotations

import hashlib
import json
import math

import polars as pl
import pyarrow as pa

from transforms.identity import duplicates, record_pairs, splink_pass

_REAL = splink_pass.predict_pairs
_PASSES: dict[str, pl.DataFrame] = {}
# What the suite saw, for a test that checks the memory is right (tests/test_splink_memo.py).
COUNTS = {"run": 0, "remembered": 0}


def _table_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def pass_key(tables: dict[str, pa.Table], model: dict, link_type: str, blocking,
             from_weight: float, orient: tuple[str, str, str],
             count_terms_in: pa.Table | None, written_from: float) -> str:
    """Everything a pass reads, digested: each table's schema and rows in order, the
    model, the link type, each blocking rule's SQL and the weights."""
    digest = hashlib.sha256()
    for name in sorted(tables):
        digest.update(name.encode())
        digest.update(_table_bytes(tables[name]))
    digest.update(b"terms" if count_terms_in is None else _table_bytes(count_terms_in))
    digest.update(json.dumps(model, sort_keys=True, default=str).encode())
    digest.update(repr((link_type, [splink_pass.blocking_sql(rule) for rule in blocking],
                        from_weight, orient, written_from)).encode())
    return digest.hexdigest()


def remembering_predict_pairs(con, tables, model, link_type, blocking, from_weight, orient,
                              spark=None, count_terms_in=None, written_from=math.inf):
    """`splink_pass.predict_pairs`, a repeated pass answered from the first one."""
    if spark is not None:
        return _REAL(con, tables, model, link_type, blocking, from_weight, orient, spark,
                     count_terms_in, written_from)
    key = pass_key(tables, model, link_type, blocking, from_weight, orient, count_terms_in,
                   written_from)
    if key in _PASSES:
        COUNTS["remembered"] += 1
    else:
        COUNTS["run"] += 1
        _PASSES[key] = _REAL(con, tables, model, link_type, blocking, from_weight, orient,
                             None, count_terms_in, written_from)
    return _PASSES[key].clone()


def install() -> None:
    """The night's identity stage calls its passes through this process's memory."""
    for module in (record_pairs, duplicates):
        module.predict_pairs = remembering_predict_pairs
