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

# Two worker processes, a test file each at a time (a file's session fixtures, such as the
# demo run or a Prefect server, are built once, on one worker), in the order
# tests/conftest.py gives them (the long files first).
TEST_WORKERS ?= 2
test: $(STAMP) lint
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

# Scale benchmarks (issue 7), results in benchmarks/results/: the nightly run at department
# and national scale (the national inbox is generated once into benchmarks/cache/, ~6 min
# and 12 GB of memory), then Splink's Spark backend (needs Java 17).
BENCH_SCALES ?= department national
# DuckDB capped as a whole so that the national run fits 8 GB (README).
bench: export RECONCILE_MEMORY_LIMIT ?= 4GB
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,spark]'
	for scale in $(BENCH_SCALES); do $(BIN)/python -m benchmarks.nightly --scale $$scale || exit 1; done
	$(BIN)/pytest -q -m spark

# Regenerate the committed sample (deterministic: same bytes for the same seed and date).
sample: $(STAMP)
	rm -rf data/sample
	$(BIN)/reconcile generate --out data/sample --scale sample --seed 7 --as-of 2026-11-16

clean:
	rm -rf demo-output .pytest_cache .ruff_cache
