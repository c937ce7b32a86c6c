# The commands people type. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Every target but `serve` runs the development settings (docs/production.md).
export PEEL_ENV ?= development

.PHONY: install browser run serve test test-fast check lint typecheck fixtures fixtures-check migrations-check reset-local-db bench

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# plotly.js (the cartesian bundle) from npm, exactly as package-lock.json pins it; served by peel/staticfiles.py.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js and npm (README, Prerequisites)" >&2; exit 1; }
	npm ci --omit=dev --no-audit --no-fund
	touch $@

install: $(BIN)/.installed node_modules/.installed

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-liberation; }

# The database: SQLite (db.sqlite3) unless DATABASE_URL is set.
db: install
	$(BIN)/python -m peel.database
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_shipped_data
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: db
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production build on this machine: PEEL_ENV=production, hashed compressed static files, gunicorn.
# Plain HTTP on loopback, so the HTTPS redirect and Secure-only cookies are off unless set, and a
# SECRET_KEY is generated per start unless set; a deployment sets its own (docs/production.md).
# Once the workers answer, every core page is requested once (manage.py warm_pages; WARM_PAGES=0 to skip).
serve: db
	@export PEEL_ENV=production SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SECURE_COOKIES=$${SECURE_COOKIES:-0} \
	  WARM_PAGES=$${WARM_PAGES:-1} \
	  SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"; \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	exec $(BIN)/gunicorn -c peel/gunicorn.conf.py --bind $(HOST):$(PORT)

# docs/performance.md (serving): the production server on PostgreSQL under load, then the force page in
# Chromium. Needs DATABASE_URL of a PostgreSQL database with the fixtures loaded (make db).
.PHONY: bench-serving
bench-serving: install browser
	$(BIN)/python bench/load.py
	$(BIN)/python bench/page_weight.py

# docs/performance.md (cold paths and scale): every core page cold at 1×, 10× and 100× the data, in its own
# PostgreSQL databases (peel_perf_scale_1x, _10x, _100x on the server BENCH_POSTGRES names; built once, kept).
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432
.PHONY: bench-scale
bench-scale: install
	$(BIN)/python bench/bench_scale.py --server $(BENCH_POSTGRES)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# All the product code is type-checked with django-stubs (pyproject.toml [tool.mypy]).
MYPY_PATHS := peel forces reports
typecheck: install
	$(BIN)/mypy $(MYPY_PATHS)

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint typecheck migrations-check
	$(BIN)/python manage.py check

# The suite runs in two processes (pytest-xdist, one per core; each has its own test and Redis databases);
# PYTEST_WORKERS=0 runs it in this one. Timings: docs/performance.md, "Test suite".
PYTEST_WORKERS ?= 2
XDIST = $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS))
test: install browser check
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

# The inner loop: everything but the browser tests (no Chromium needed).
test-fast: install
	$(BIN)/python -m pytest $(XDIST) -m "not browser" $(PYTEST_ARGS)

fixtures: install
	$(BIN)/python manage.py build_fixtures

fixtures-check: install
	$(BIN)/python manage.py build_fixtures --check

reset-local-db:
	rm -f db.sqlite3
	$(MAKE) db
