# Two commands for a newcomer on a fresh machine (Python 3.11 + pip):
#   make run   -> virtualenv, install, migrate SQLite, load the demo, serve on 127.0.0.1:8000
#   make test  -> virtualenv, dev install, ruff, lint-imports, makemigrations --check, messages,
#                 test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Two workers (the machine has two cores); race tests share one worker (tests/conftest.py).
PYTEST_ARGS ?= -n 2 --dist loadgroup
# Management commands that only read settings run in development mode (no secret needed).
DEV := DJANGO_DEBUG=1

.PHONY: run test install install-dev lint messages fonts migrate demo bench e2e-browser worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PY) -m pip install --quiet ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: | $(BIN)/python
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(DEV) $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else \
		$(DEV) $(PY) manage.py compile_catalogues; \
	fi

# Static instances of the PDF fonts (the CJK ones take minutes of CPU on a cold machine),
# kept in $PDF_FONT_CACHE_DIR (default ~/.cache/congress-pdf-fonts, common.pdf.fonts.cache_dir)
# outside the tree, so every checkout, virtualenv and CI pass reuses them. Makes only the
# instances missing from the cache (a few file checks when all are there).
fonts: install
	$(PY) -c "from common.pdf.fonts import main; main()"

migrate: install messages
	$(DEV) $(PY) manage.py migrate --noinput -v 0

demo: migrate
	$(DEV) $(PY) manage.py demo

run: demo
	@echo ""
	@echo "Serving on http://127.0.0.1:8000/  (organiser and network administrator logins printed above; Ctrl-C to stop)"
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# Browser tests need Debian's Chromium: installed here when missing and we are root;
# otherwise tests/e2e is skipped and pytest prints the reason.
e2e-browser:
	@if [ -x /usr/bin/chromium ]; then \
		echo "e2e: using /usr/bin/chromium"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "e2e: installing Debian's chromium"; \
		(apt-get install -y -q chromium >/dev/null 2>&1 || \
		 (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) || \
		echo "e2e: could not install chromium; browser tests will be skipped"; \
	else \
		echo "e2e: /usr/bin/chromium missing and not root: browser tests will be skipped"; \
	fi

test: lint messages fonts e2e-browser
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-dev messages fonts
	$(PY) benchmarks/run.py

worker: install
	$(PY) manage.py db_worker

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles build *.egg-info
