# reportgen: `make demo` builds the sample documents, `make test` runs the suite.
# Both set up everything on a fresh Debian machine (system packages, .venv, the package).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLES := data/shenzhen-2020.xlsx data/yicheng-2020.xlsx
# The 部门预算 sample (seed 003); `reportgen build` reads its kind from its 「单位信息」.
BUDGETS := data/shenzhen-yibao-2022.xlsx

.PHONY: demo test sysdeps lint samples bench clean serve

demo: sysdeps $(STAMP)
	@for f in $(SAMPLES) $(BUDGETS); do $(BIN)/reportgen build $$f || exit $$?; done

test: sysdeps $(STAMP)
	$(BIN)/ruff check reportgen tests data scripts
	$(BIN)/pytest

# The local web page, samples offered as examples: http://127.0.0.1:8000/
serve: sysdeps $(STAMP)
	$(BIN)/reportgen serve $(foreach f,$(SAMPLES),--example $(f))

sysdeps:
	@bash scripts/sysdeps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

lint: $(STAMP)
	$(BIN)/ruff check reportgen tests data scripts

# Regenerate the sample workbooks from data/reference (origin: data/reference/README.md).
samples: $(STAMP)
	$(BIN)/python data/make_samples.py

# Numbers, not pass/fail; BENCH_UNITS=10 make bench for a quicker batch (default 100 units).
bench: sysdeps $(STAMP)
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) output/*/ web-data .pytest_cache .ruff_cache
