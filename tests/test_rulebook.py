"""The rule book and the code stay in step: every id of RULES.md is implemented (named
in `transforms/`) and tested (named in a rule test), every exclusion reason and marker
of RULES.md is a code the product knows and produces in a test."""

from __future__ import annotations

import re

import pytest

from schemas import codes
from tests.conftest import PROJECT_ROOT

RULES = PROJECT_ROOT / "docs" / "RULES.md"
SHARED_RULES = PROJECT_ROOT.parent / "shared" / "RULES.md"


def rule_ids() -> list[str]:
    return re.findall(r"^\| ((?:RTR|OQ|PRI|EX)-\d{2}) \|", RULES.read_text("utf-8"), re.M)


def reason_codes() -> list[str]:
    section = RULES.read_text("utf-8").split("## 5.")[1].split("### Markers")[0]
    return re.findall(r"^\| `([A-Z_]+)` \|", section, re.M)


def marker_table() -> list[str]:
    section = RULES.read_text("utf-8").split("### Markers")[1]
    return re.findall(r"^\| `([A-Z_]+)` \|", section, re.M)


def marker_codes() -> set[str]:
    """The markers table, every "marker `X`" of the rules, and OQ-08's NOT_COERCIBLE."""
    text = RULES.read_text("utf-8")
    return set(marker_table()) | set(re.findall(r"marker `([A-Z_]+)`", text)) | set(
        re.findall(r"`([A-Z_]+)`: they need", text))


def sources(folder: str, pattern: str) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted((PROJECT_ROOT / folder).rglob(pattern)))


def mentions(text: str, rule_id: str) -> bool:
    return rule_id in text or rule_id.lower().replace("-", "_") in text


def test_rule_book_copy_is_the_shared_one():
    if not SHARED_RULES.exists():
        pytest.skip("../shared/RULES.md is not beside this clone")
    assert RULES.read_text("utf-8") == SHARED_RULES.read_text("utf-8")


def test_the_rule_book_has_every_section():
    ids = rule_ids()
    assert len(ids) == 10 + 8 + 10 + 5 and len(set(ids)) == len(ids)
    assert len(reason_codes()) == 16
    assert len(marker_table()) == 8
    assert marker_codes() == set(codes.MARKERS)


def test_the_reason_order_holds_every_reason_once():
    """RULES.md §5: one fixed order decides reason_code (docs/reason_order.md)."""
    assert sorted(codes.REASON_ORDER) == sorted(codes.EXCLUSION_REASONS)
    assert set(reason_codes()) <= set(codes.REASON_ORDER)
    documented = (PROJECT_ROOT / "docs" / "reason_order.md").read_text("utf-8")
    positions = [documented.index(f"`{r}`") for r in codes.REASON_ORDER]
    assert positions == sorted(positions), "docs/reason_order.md is not in the code's order"


@pytest.mark.parametrize("rule_id", rule_ids())
def test_every_rule_is_implemented_and_tested(rule_id):
    assert mentions(sources("transforms", "*.py"), rule_id), f"{rule_id}: no implementation"
    assert mentions(sources("tests", "test_rules_*.py"), rule_id), f"{rule_id}: no test"


@pytest.mark.parametrize("reason", reason_codes())
def test_every_exclusion_reason_is_known_produced_and_tested(reason):
    assert reason in codes.PROTECTIVE_REASONS
    assert f'"{reason}"' in sources("transforms", "*.py"), f"{reason}: never produced"
    assert f'"{reason}"' in sources("tests", "test_rules_*.py"), f"{reason}: no test"


def test_scope_reasons_are_tested_too():
    assert set(codes.SCOPE_REASONS) <= set(codes.EXCLUSION_REASONS)
    tests = sources("tests", "test_rules_*.py")
    assert all(f'"{r}"' in tests for r in codes.SCOPE_REASONS)


@pytest.mark.parametrize("marker", sorted(marker_codes()))
def test_every_marker_is_known_produced_and_tested(marker):
    assert marker in codes.MARKERS
    assert f'"{marker}"' in sources("transforms", "*.py"), f"{marker}: never produced"
    assert f'"{marker}"' in sources("tests", "test_rules_*.py"), f"{marker}: no test"
