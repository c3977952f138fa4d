"""Two library calls remembered for the rest of a test process, by what they were given:
Splink's passes and Pandera's validations.

A rule scenario runs a whole night on a tiny inbox, and most scenarios give the night
the same few rows (the builders' default person, file and measure): two Splink passes in
three repeat one an earlier test made (about a quarter of a second each), and three
Pandera validations in four validate a frame an earlier test validated (an empty list, the
default AGDREF file; about 15 ms each, a check a column). Both calls are pure functions of
what they are given, so a repeated call returns a copy of what the first one returned;
a call with anything different (a row, a column's type, a term's frequency, a threshold,
another model) runs the library. A validation that fails is never remembered: it fails
again each time.

Splink's own behaviour is tested where it is called directly (tests/test_record_pairs_memory.py
and the others that import `predict_pairs`), which this does not touch; only the passes
that the night's identity stage makes (record_pairs and duplicates) go through it.
"""

from __future__ import annotations

import hashlib
import json
import math

import polars as pl
import pyarrow as pa
from pandera.api.polars.model import DataFrameModel

from transforms.identity import duplicates, record_pairs, splink_pass

_PREDICT_PAIRS = splink_pass.predict_pairs
_VALIDATE = DataFrameModel.validate.__func__
_ANSWERS: dict[str, pl.DataFrame] = {}
# What the process saw, for the tests that check the memory (tests/test_remembered.py):
# per library, the calls made and the calls answered from the memory.
COUNTS = {"splink": {"called": 0, "remembered": 0},
          "pandera": {"called": 0, "remembered": 0}}


def _answer(library: str, key: str, call) -> pl.DataFrame:
    """A copy of the answer remembered under `key`, else of what `call()` returns, then
    remembered (an exception is not: the next call raises again)."""
    if key in _ANSWERS:
        COUNTS[library]["remembered"] += 1
    else:
        COUNTS[library]["called"] += 1
        _ANSWERS[key] = call()
    return _ANSWERS[key].clone()


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
    digest = hashlib.sha256(b"splink")
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
        return _PREDICT_PAIRS(con, tables, model, link_type, blocking, from_weight, orient,
                              spark, count_terms_in, written_from)
    key = pass_key(tables, model, link_type, blocking, from_weight, orient, count_terms_in,
                   written_from)
    return _answer("splink", key, lambda: _PREDICT_PAIRS(
        con, tables, model, link_type, blocking, from_weight, orient, None, count_terms_in,
        written_from))


def validation_key(model: type, frame: pl.DataFrame, options: dict) -> str:
    """The model (by its place in the code), the frame's schema and rows in order, and the
    validation's options."""
    digest = hashlib.sha256(f"pandera {model.__module__}.{model.__qualname__}".encode())
    digest.update(_table_bytes(frame.to_arrow()))
    digest.update(repr(sorted(options.items())).encode())
    return digest.hexdigest()


def remembering_validate(model: type, check_obj, *args, **options):
    """`DataFrameModel.validate`, a frame validated already answered from the first
    time; a lazy frame, or options given by position, always validated."""
    if args or not isinstance(check_obj, pl.DataFrame):
        return _VALIDATE(model, check_obj, *args, **options)
    try:
        key = validation_key(model, check_obj, options)
    except (pa.ArrowException, pl.exceptions.PolarsError):  # a column Arrow cannot hold
        return _VALIDATE(model, check_obj, **options)
    return _answer("pandera", key, lambda: _VALIDATE(model, check_obj, **options))


def install() -> None:
    """The night's identity stage calls its passes, and every model its validations,
    through this process's memory."""
    for module in (record_pairs, duplicates):
        module.predict_pairs = remembering_predict_pairs
    DataFrameModel.validate = classmethod(remembering_validate)
