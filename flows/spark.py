"""A Spark session for Splink's Spark backend (RECONCILE_LINKAGE_BACKEND=spark).

Local by default (`local[*]`, the machine's cores); RECONCILE_SPARK_MASTER points at a
cluster (`spark://host:7077`, `yarn`...). Splink's similarity functions (Jaro-Winkler)
come from the UDF jar shipped in the splink wheel, put on Spark's class path here."""

from __future__ import annotations

import os

SPARK_MASTER = "RECONCILE_SPARK_MASTER"
LINKAGE_BACKEND = "RECONCILE_LINKAGE_BACKEND"


def linkage_backend() -> str:
    backend = os.environ.get(LINKAGE_BACKEND, "duckdb")
    if backend not in ("duckdb", "spark"):
        raise ValueError(f"{LINKAGE_BACKEND} must be duckdb or spark, not {backend!r}")
    return backend


def spark_session():
    """The session Splink scores on (pyspark is the optional `spark` extra)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise RuntimeError(f"{LINKAGE_BACKEND}=spark needs pyspark: "
                           "pip install -e '.[spark]' (and Java 17)") from None
    from splink.backends.spark import similarity_jar_location

    return (SparkSession.builder
            .master(os.environ.get(SPARK_MASTER, "local[*]"))
            .appName("reconcile-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.ui.enabled", "false")  # no web page of the job (names in plans)
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())
