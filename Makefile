# Lianqi — the two commands: `make demo` runs the product, `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help demo test install install-dev assets migrate seed serve serve-prod lint format messages clean backup restore audit

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(PY)
	$(PIP) install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/base.txt requirements/dev.txt | $(PY)
	$(PIP) install --quiet -r requirements/dev.txt
	touch $@ $(VENV)/.installed-base

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed-base assets  ## Install what the product needs
install-dev: $(VENV)/.installed-dev assets  ## Install what the tests need too
assets: node_modules/.installed  ## Install front-end packages (served locally, no CDN)

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo

demo: seed  ## Run the product on SQLite with demo data at http://127.0.0.1:8000
	@echo ""
	@echo "  Lianqi is starting at http://$(HOST):$(PORT)/"
	@echo "  Log in as admin, leader, office, dept, inspector, enterprise or guard; password: demo"
	@echo "  (periodic jobs — reminders, escalation, webhook retries — run in a scheduler beside the server)"
	@echo ""
	@trap 'kill 0' EXIT INT TERM; \
	$(PY) manage.py run_scheduler --tick 30 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

serve-prod: install  ## Production profile: check the environment, migrate, collectstatic, gunicorn + Celery worker + beat (docs/deploy.md)
	$(PY) deploy/serve_prod.py

lint: install-dev  ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: install-dev lint  ## Lint, migration check and the full test suite (PostgreSQL when DATABASE_URL is set)
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(PY) -m pytest $(PYTEST_ARGS)

backup: $(VENV)/.installed-base  ## Back up the database and uploaded files into BACKUP_DIR (docs/backup.md)
	$(PY) manage.py backup $(BACKUP_ARGS)

restore: $(VENV)/.installed-base  ## Restore an archive: make restore FILE=var/backups/lianqi-….tar [FORCE=1]
	@test -n "$(FILE)" || { echo "usage: make restore FILE=path/to/lianqi-YYYYMMDDTHHMMSSZ.tar [FORCE=1]" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force) $(RESTORE_ARGS)

# Known vulnerabilities in the installed packages (requirements/dev.txt, which includes base.txt),
# from PyPI's advisory data. Accepted ones, each with a reason: requirements/audit-ignore.txt.
audit: install-dev  ## pip-audit of the installed Python packages (needs https://pypi.org)
	@$(PY) -c "import pip, urllib.request; urllib.request.urlopen(f'https://pypi.org/pypi/pip/{pip.__version__}/json', timeout=30)" \
	  2>/dev/null || { echo "audit: PyPI's advisory data (https://pypi.org/pypi/<name>/<version>/json) cannot be reached" \
	  "from this machine; nothing was audited." >&2; exit 2; }
	$(VENV)/bin/pip-audit --strict --progress-spinner off \
	  $$(sed -e 's/#.*//' -e '/^[[:space:]]*$$/d' -e 's/^[[:space:]]*/--ignore-vuln /' requirements/audit-ignore.txt)

messages: install-dev  ## Update translation catalogues (needs gettext)
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=node_modules --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=node_modules --ignore=.venv

clean:
	rm -rf var test-artifacts .pytest_cache
