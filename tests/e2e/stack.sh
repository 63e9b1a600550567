#!/usr/bin/env bash
# The browser journeys against the production stack that tests/stack.py starts and stops
# (a fresh PostgreSQL database, a Redis database of their own, gunicorn, a Celery worker and
# beat). Arguments go to pytest. `make e2e` installs Chromium, Playwright and axe-core first.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python -m tests.stack --name e2e --logs tests/e2e/artifacts/stack \
    -- .venv/bin/pytest tests/e2e "$@"
