"""docs/contracts.md and docs/design.md are the shared documents as this project applies
them: a one-line header, then the shared text unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.mark.parametrize(("copy", "shared"), [("contracts.md", "CONTRACTS.md"),
                                              ("design.md", "DESIGN.md")])
def test_doc_copy_is_the_shared_one(copy, shared):
    if not (SHARED / shared).is_file():
        pytest.skip(f"../shared/{shared} is not beside this clone")
    header, blank, text = (PROJECT_ROOT / "docs" / copy).read_text(
        encoding="utf-8").partition("\n\n")
    assert header.startswith("> A copy of the shared") and blank
    assert text == (SHARED / shared).read_text(encoding="utf-8")
