# Everything a fresh machine needs is installed from here: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the platform needs at run time (PDF rendering, translations, fonts).
DEBIAN_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
	fonts-dejavu-core
# Only for the browser journeys (`make e2e`): Debian's Chromium, which Playwright drives, and
# pdftoppm and zbarimg, which read the QR code of a downloaded certificate.
E2E_DEBIAN_PACKAGES := chromium poppler-utils zbar-tools
E2E_DIR := tests/e2e
E2E_NODE_STAMP := $(E2E_DIR)/node_modules/.installed-stamp
# Playwright must never fetch a browser of its own; it uses /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install system-deps e2e e2e-deps messages migrate seed lint format migrations \
        makemessages check check-deploy bench load faults audit lock clean

# Links on the demo certificates and in e-mails point to where the site runs.
run: export PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
# The site starts even when the demo data cannot be completed: seed_demo names the failed step.
run: install messages migrate
	@$(MANAGE) seed_demo || echo "  Die Demodaten sind unvollständig (siehe oben); die Seite startet trotzdem. / The demo data is incomplete (see above); the site starts anyway."
	@echo ""
	@echo "  Lernplattform läuft auf http://$(HOST):$(PORT)/  (Verwaltung: http://$(HOST):$(PORT)/admin/)"
	@$(MANAGE) seed_demo --print-logins
	$(MANAGE) runserver $(HOST):$(PORT)

test: install messages
	$(BIN)/pytest $(PYTEST_ARGS)

install: system-deps $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
		|| { echo "Python 3.11 oder neuer wird benötigt / Python 3.11+ is required"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt ".[dev]"
	touch $(STAMP)

# Installs the missing ones of the Debian packages $(1) when possible (root on Debian/Ubuntu),
# with the apt-get options $(2); otherwise names them.
define apt_install
missing=""; for p in $(1); do \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) $$missing; \
	else \
		echo "Bitte installieren / please install:$$missing"; exit 1; \
	fi; \
fi
endef

system-deps:
	@$(call apt_install,$(DEBIAN_PACKAGES))

# Browser journeys on the production stack: a fresh PostgreSQL database, Redis, gunicorn, a
# Celery worker and beat, all started and stopped by tests/stack.py (needs the services of
# .ci/run: PostgreSQL and Redis on 127.0.0.1). PYTEST_ARGS go to pytest, e.g. "-k keyboard".
e2e: e2e-deps messages
	bash $(E2E_DIR)/stack.sh $(PYTEST_ARGS)

# What only the browser journeys need: Chromium from Debian (no recommends: no desktop), and
# axe-core from the npm registry (tests/e2e/package-lock.json). Playwright is in the dev extra.
e2e-deps: install $(E2E_NODE_STAMP)
	@$(call apt_install,$(E2E_DEBIAN_PACKAGES),--no-install-recommends)

$(E2E_NODE_STAMP): $(E2E_DIR)/package.json $(wildcard $(E2E_DIR)/package-lock.json)
	@command -v npm >/dev/null || { $(call apt_install,npm,--no-install-recommends); }
	cd $(E2E_DIR) && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; \
		else npm install --no-audit --no-fund; fi
	touch $@

messages: $(STAMP)
	@$(MANAGE) compilemessages --ignore=.venv -v 0

migrate: $(STAMP)
	$(MANAGE) migrate --no-input -v 0

seed: $(STAMP)
	$(MANAGE) seed_demo

# ruff, and the layers' import contracts ([tool.importlinter] in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations: $(STAMP)
	$(MANAGE) makemigrations

makemessages: $(STAMP)
	$(MANAGE) makemessages -l de -l en --ignore=.venv --ignore=var --no-obsolete

check: $(STAMP)
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=lms.settings.production \
	SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=') \
	ALLOWED_HOSTS=lernen.example.org PUBLIC_BASE_URL=https://lernen.example.org \
	REDIS_URL=redis://127.0.0.1:6379/0 \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/1 EMAIL_HOST=smtp.example.org \
	$(MANAGE) check --deploy --fail-level WARNING

bench: install messages
	$(BIN)/python bench/run.py

# Exam-start load test on the production stack with two gunicorn instances (bench/load/run.py):
# LOAD_USERS learners sign in, take a 16-question quiz page by page and submit while HR pulls
# reports; prints name=value lines. LOAD_USERS=2000 make load; LOAD_ARGS="--think 60".
LOAD_USERS ?= 200
LOAD_STAMP := $(VENV)/.load-installed-stamp
load: install messages $(LOAD_STAMP)
	$(BIN)/python bench/load/run.py --users $(LOAD_USERS) $(LOAD_ARGS)

$(LOAD_STAMP): pyproject.toml requirements/constraints.txt
	$(BIN)/python -m pip install --quiet -c requirements/constraints.txt ".[dev,load]"
	touch $@

# Fault tests on the production stack (private PostgreSQL cluster and Redis of their own): the
# Celery worker killed while it issues certificates, Redis stopped and PostgreSQL restarted while
# learners submit quizzes. Prints what it checked as name=value lines and PASS/FAIL.
faults: install messages
	$(BIN)/python bench/faults/run.py

# Known vulnerabilities in the pinned dependencies; accept one for a while in
# requirements/audit-accepted.txt (.ci/audit explains the format and exit codes).
audit: $(STAMP)
	$(BIN)/python .ci/audit

lock: $(STAMP)
	{ head -n 2 requirements/constraints.txt; $(BIN)/python -m pip freeze --exclude lms; } \
		> requirements/constraints.new && mv requirements/constraints.new requirements/constraints.txt

clean:
	rm -rf $(VENV) var
