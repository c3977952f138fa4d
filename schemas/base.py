"""What every published table's contract shares: strict columns, no coercion."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

STRING_LIST = pl.List(pl.String)


class PublishedModel(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = False
