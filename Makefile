# Everything a fresh machine needs is installed from here: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the platform needs at run time (PDF rendering, translations, fonts).
DEBIAN_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core

.PHONY: run test install system-deps messages migrate seed lint format migrations makemessages \
        check check-deploy bench lock clean

run: install messages migrate seed
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

# Installs missing Debian packages when possible (root on Debian/Ubuntu); otherwise names them.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
		else \
			echo "Bitte installieren / please install:$$missing"; exit 1; \
		fi; \
	fi

messages: $(STAMP)
	@$(MANAGE) compilemessages --ignore=.venv -v 0

migrate: $(STAMP)
	$(MANAGE) migrate --no-input -v 0

seed: $(STAMP)
	$(MANAGE) seed_demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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
	ALLOWED_HOSTS=lernen.example.org REDIS_URL=redis://127.0.0.1:6379/0 \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/1 EMAIL_HOST=smtp.example.org \
	$(MANAGE) check --deploy --fail-level WARNING

bench: install messages
	$(BIN)/python bench/run.py

lock: $(STAMP)
	{ head -n 2 requirements/constraints.txt; $(BIN)/python -m pip freeze --exclude lms; } \
		> requirements/constraints.new && mv requirements/constraints.new requirements/constraints.txt

clean:
	rm -rf $(VENV) var
