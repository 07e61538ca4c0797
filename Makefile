# Two commands for a newcomer: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-browser bench serve lint messages bench-levels clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt $(VENV)/.installed-run
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	touch $@

demo: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_frameworks
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# The real-browser journeys (Debian's chromium, apt-get install chromium fonts-thai-tlwg); screenshots land in
# test-artifacts/screenshots/. Kept out of `make test` because they take a couple of minutes.
test-browser: $(VENV)/.installed-dev
	SKILLS_BROWSER_TESTS=1 $(BIN)/python -m pytest tests/browser -p no:xdist -rs

# Exam day under load (gunicorn + PostgreSQL + Redis on loopback; about ten minutes), then the
# pages each role opens against /healthz, and the report, training-plan and level-policy benchmarks. Needs PostgreSQL at 127.0.0.1:5432 and redis-server.
bench: $(VENV)/.installed-dev
	$(BIN)/python bench/exam_day.py
	$(BIN)/python bench/pages.py
	$(BIN)/python manage.py bench_reports --employees 1500
	$(BIN)/python manage.py bench_training_plan --employees 1500
	$(BIN)/python manage.py bench_levels

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l th -l en --ignore=.venv --ignore=var --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench-levels: $(VENV)/.installed-dev
	$(BIN)/python manage.py bench_levels

clean:
	rm -rf $(VENV) var
