# hostkb: two commands for users (make demo, make test) and one for contributors (make bench).
#
#   make demo   create .venv, install hostkb (a real, non-editable install), build corpus/
#               into hostkb.db and serve it as a read-only web catalog (Datasette)
#   make test   create .venv, install hostkb with the test extra, run the whole test suite
#   make eval   score extraction on every gold set (../shared/gold, composed papers, demo corpus)
#   make bench  run the benchmark suite (benchmarks/run_all.py; BENCH_ARGS=--quick for 1 000-doc builds only),
#               print each figure next to its floor, write benchmarks/results/latest.json and BENCHMARKS.md
#
# Variables: PYTHON (a Python 3.11+ interpreter), VENV, DB, CORPUS, WORKERS, BENCH_ARGS.

PYTHON  ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
VENV    ?= .venv
BIN     := $(VENV)/bin
DB      ?= hostkb.db
CORPUS  ?= corpus
WORKERS ?= 1
PIP     := $(BIN)/python -m pip --disable-pip-version-check

# What `make demo` does with the database once it is built: a summary, then the catalog.
PORT ?= 8001
DEMO_SHOW = $(BIN)/hostkb stats --db $(DB) && $(BIN)/hostkb serve --db $(DB) --port $(PORT)

# The installed package is a copy, so the demo reinstalls when any packaged file changes.
PACKAGE_FILES := pyproject.toml README.md $(wildcard extractor/*.py extractor/relate/*.py schema/*) $(wildcard extractor/catalog/*/*)

.PHONY: demo test bench eval clean venv

demo: $(VENV)/.installed-demo
	$(BIN)/hostkb build $(CORPUS) --db $(DB) --workers $(WORKERS) \
	  || echo "make demo: some documents could not be built (listed above); showing the rest" >&2
	$(DEMO_SHOW)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q

# Score extraction on every gold set (../shared/gold, tests/data/composed, corpus/gold) and
# write the tables of EVALUATION.md's appendix.
eval: $(VENV)/.installed-test
	$(BIN)/python scripts/evaluate_all.py --out benchmarks/results/evaluation.md

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

venv: $(BIN)/python

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "make: no python3.11 or python3 found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "make: $(PYTHON) is older than Python 3.11; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-demo: $(BIN)/python $(PACKAGE_FILES)
	$(PIP) install --quiet .
	@touch $@

# Tests import the source tree (python -m pytest from the repo root), so only a change
# of the dependencies needs a reinstall.
$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(PIP) install --quiet ".[test]"
	@touch $@ $(VENV)/.installed-demo

$(VENV)/.installed-bench: $(BIN)/python pyproject.toml
	$(PIP) install --quiet ".[test,bench]"
	@touch $@

clean:
	rm -rf build dist *.egg-info test-output .pytest_cache $(DB) $(DB)-wal $(DB)-shm
