# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export PREFECT_HOME ?= $(CURDIR)/.venv/prefect-home
export PREFECT_SERVER_ANALYTICS_ENABLED = false
export DO_NOT_TRACK = 1

.PHONY: demo test lint sample bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/reconcile demo --out demo-output

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: $(STAMP) lint
	$(BIN)/pytest -q

# Regenerate the committed sample (deterministic: same bytes for the same seed and date).
sample: $(STAMP)
	rm -rf data/sample
	$(BIN)/reconcile generate --out data/sample --scale sample --seed 7 --as-of 2026-11-16

clean:
	rm -rf demo-output .pytest_cache .ruff_cache
