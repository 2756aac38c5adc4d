# The two set-up commands: `make demo` and `make test`. Both build .venv first.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: demo test lint bench screenshots clean

$(BIN)/nkwatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/nkwatch
	rm -rf demo.db demo.db-wal demo.db-shm demo.db.search
	$(BIN)/nkwatch ingest samples --db demo.db
	$(BIN)/nkwatch stats --db demo.db
	$(BIN)/nkwatch posts --db demo.db
	$(BIN)/nkwatch entities --type facility --limit 10 --db demo.db
	$(BIN)/nkwatch entity "Kim Chaek Iron and Steel Complex" --db demo.db
	$(BIN)/nkwatch stories --min-versions 2 --db demo.db
	$(BIN)/nkwatch search "Kimchaek steel" --db demo.db
	@echo "The web interface follows: open http://127.0.0.1:8000/ (Ctrl-C stops it)."
	$(BIN)/nkwatch serve --db demo.db

test: $(BIN)/nkwatch lint
	$(BIN)/pytest -q

lint: $(BIN)/nkwatch
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

bench: $(BIN)/nkwatch
	$(BIN)/python bench/ingest_throughput.py

screenshots: $(BIN)/nkwatch
	$(BIN)/python docs/screenshots/take.py

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo.db.search
