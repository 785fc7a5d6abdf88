# Two commands matter: `make run` (serve the portal with demo content on SQLite) and
# `make test` (run the test suite). Everything else is a step they use.

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

# Django 6.1 needs Python 3.12+. Look on PATH first, then in pyenv's versions folder, so
# that it works where pyenv's shims are not on PATH. Override with `make PYTHON=/path/to/python`.
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null || echo $(HOME)/.pyenv)
PYTHON_CANDIDATES := python3.13 python3.12 \
	$(wildcard $(PYENV_ROOT)/versions/3.13*/bin/python) \
	$(wildcard $(PYENV_ROOT)/versions/3.12*/bin/python) python3
PYTHON ?= $(firstword $(foreach c,$(PYTHON_CANDIDATES),$(shell $(c) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && command -v $(c))))

.PHONY: run test lint check-python install install-dev serve migrate demo clean bench messages

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "error: Python 3.12 or newer is needed (Django 6.1 does not support older ones)."; \
		echo "       Install it, e.g. 'pyenv install 3.12' or your system's python3.12 package,"; \
		echo "       or point to one with 'make PYTHON=/path/to/python3.12'."; \
		exit 1; \
	fi

$(PY): | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip "setuptools<81" wheel

# XStatic-Bootstrap is published as source only and needs the venv's setuptools<81.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet "setuptools<81" wheel
	$(PY) -m pip install --quiet --no-build-isolation XStatic-Bootstrap==5.3.8.0
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

# The interface translations: the .po files are committed, the .mo files are built here
# (GNU gettext's msgfmt: `apt-get install gettext`).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
messages: $(MO_FILES)
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@command -v msgfmt >/dev/null || { echo "error: msgfmt is missing: install GNU gettext (apt-get install gettext)"; exit 1; }
	msgfmt --check -o $@ $<

# A local .env with DEBUG on and a fresh secret key; never committed.
.env:
	cp .env.example .env
	echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env

migrate: install .env
	$(PY) manage.py migrate --noinput

# Demo staff logins and inquiries go only into a database without inquiries, only with DEBUG.
demo: migrate
	$(PY) manage.py load_demo_content
	$(PY) manage.py load_demo_inquiries
	$(PY) manage.py load_demo_visits
	$(PY) manage.py load_demo_appointments

run: demo
	@echo "Serving the portal on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The tests use portal/test_settings.py: no .env needed.
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# Load benchmark on loopback (bench/README.md): PostgreSQL-backed gunicorn, Redis, wrk.
# Uses the server of DATABASE_URL (or the local one as postgres) with a database of its own.
bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
