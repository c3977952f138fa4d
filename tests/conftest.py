from __future__ import annotations

import uuid
from pathlib import Path

import duckdb
import pytest

from transforms import warehouse
from transforms.inbox import list_inbox, plan_files
from transforms.ingest import FileOutcome, ingest_inbox

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = warehouse.connect(":memory:")
    warehouse.create_warehouse(connection)
    yield connection
    connection.close()


def ingest(con: duckdb.DuckDBPyConnection, inbox: Path) -> list[FileOutcome]:
    """One ingestion pass over an inbox, as the flow does it, without Prefect."""
    plans = plan_files(list_inbox(inbox), warehouse.registered_files(con),
                       warehouse.loaded_file_keys(con))
    return ingest_inbox(con, plans, run_id=uuid.uuid4().hex)


@pytest.fixture
def ingest_into():
    return ingest
