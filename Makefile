# newsdesk: quick start is `make run`; `make test` runs the whole test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run demo test bench lint fuzz clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

run: install
	$(BIN)/newsdesk serve

demo: install
	NEWSDESK_DATABASE_URL=$${NEWSDESK_DATABASE_URL:-sqlite:///newsdesk-demo.db} $(BIN)/newsdesk demo

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/feeds.py
	$(BIN)/python bench/conformance.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/refresh.py --timeout 1
	$(BIN)/python bench/classify.py
	$(BIN)/python bench/stories.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/scale.py
	cd bench && ../$(BIN)/python soak.py

fuzz: install
	$(BIN)/python -m pip install --quiet -e '.[fuzz]'
	NEWSDESK_FUZZ_EXAMPLES=5000 $(BIN)/pytest -p no:randomly tests/test_fuzz.py
	for t in feeds sanitize extract opml discover urls; do \
		$(BIN)/python fuzz/fuzz_ingest.py $$t -max_total_time=60 || exit 1; \
	done

lint: install
	$(BIN)/ruff check src tests bench training
	$(BIN)/ruff format --check src tests bench training
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
