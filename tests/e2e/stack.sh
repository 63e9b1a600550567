#!/usr/bin/env bash
# The browser journeys against the production stack, which this script starts and stops:
#   a fresh PostgreSQL database, a Redis database of their own, migrate, collectstatic and the
#   demo seed, gunicorn on a free loopback port, a Celery worker and beat; then pytest tests/e2e.
# On exit, also after a failure or Ctrl-C, everything it started is stopped, the database
# dropped and the Redis database emptied. Arguments go to pytest.
#
# Needs PostgreSQL (trust auth for postgres) and Redis on 127.0.0.1, as `bash .ci/run` starts
# them; `make e2e` installs Chromium, Playwright and axe-core first and then runs this.
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=.venv/bin
PG="postgres://postgres@127.0.0.1:5432"
# One Redis database for the broker and the cache of this stack: no other test run uses it.
REDIS_DB="${E2E_REDIS_DB:-12}"
REDIS="redis://127.0.0.1:6379/$REDIS_DB"
LOGS=tests/e2e/artifacts/stack
STARTUP_SECONDS=60

say() { printf '[e2e %3ss] %s\n' "$SECONDS" "$*"; }
psql_admin() { psql "$PG/postgres" -v ON_ERROR_STOP=1 -qAt -c "$1"; }

pg_isready -q -h 127.0.0.1 -p 5432 \
    || { say "PostgreSQL is not running on 127.0.0.1:5432 (bash .ci/run starts it)."; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 \
    || { say "Redis is not running on 127.0.0.1:6379 (bash .ci/run starts it)."; exit 1; }

# Two runs on one machine would share the Redis database: the second waits for the first.
exec 9>"${TMPDIR:-/tmp}/lms-e2e-redis-$REDIS_DB.lock"
flock 9

run_id="$(date +%Y%m%d%H%M%S)_$$"
worker="e2e-$run_id@lms"
db="lms_e2e_$run_id"
work="$(mktemp -d "${TMPDIR:-/tmp}/lms-e2e.XXXXXX")"
port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base_url="http://127.0.0.1:$port"
pids=()
db_created=""

stop_all() {
    local status=$? pid
    trap - EXIT INT TERM
    # Each service runs in a process group of its own (setsid): TERM reaches the gunicorn and
    # Celery children too. They get 15 seconds to shut down warm, then are killed.
    for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
    for _ in $(seq 30); do
        local alive=""
        for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
        [ -z "$alive" ] && break
        sleep 0.5
    done
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ "$status" != 0 ] && [ -d "$LOGS" ]; then
        for log in "$LOGS"/*.log; do
            [ -s "$log" ] && { say "last lines of $log:"; tail -n 30 "$log"; }
        done
    fi
    if [ -n "$db_created" ]; then
        psql_admin "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || status=1
    fi
    redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" flushdb >/dev/null || status=1
    rm -rf "$work"
    say "stack stopped (exit $status)"
    exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rm -rf "$LOGS"
mkdir -p "$LOGS"

# The same variables as a production deployment (README "Running in production"), except:
# plain HTTP on loopback instead of TLS at a proxy (so no redirect to https; Chromium keeps
# Secure cookies for http://127.0.0.1), and an SMTP host that nothing in these journeys uses.
export DATABASE_URL="$PG/$db"
export LMS_VAR_DIR="$work/var"
prod=(
    env
    DJANGO_SETTINGS_MODULE=lms.settings.production
    SECRET_KEY="e2e-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
    ALLOWED_HOSTS=127.0.0.1
    REDIS_URL="$REDIS"
    CELERY_BROKER_URL="$REDIS"
    CACHE_KEY_PREFIX="lms-e2e"
    EMAIL_HOST=127.0.0.1
    SECURE_SSL_REDIRECT=false
    WAGTAILADMIN_BASE_URL="$base_url"
)

say "database $db, Redis database $REDIS_DB, $base_url"
psql_admin "CREATE DATABASE \"$db\""
db_created=1
redis-cli -h 127.0.0.1 -p 6379 -n "$REDIS_DB" flushdb >/dev/null

"${prod[@]}" "$BIN/python" manage.py migrate --no-input -v 0
say "migrated"
"${prod[@]}" "$BIN/python" manage.py collectstatic --no-input -v 0
say "static files collected"
# seed_demo refuses production settings (rightly); it writes the same database with dev ones.
env -u REDIS_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=lms.settings.dev \
    "$BIN/python" manage.py seed_demo -v 0
say "demo data seeded"

# tests/e2e/wsgi.py is lms.wsgi plus the collected static files, which the reverse proxy
# serves in production. The services must not inherit the lock (fd 9).
setsid "${prod[@]}" "$BIN/gunicorn" tests.e2e.wsgi:application \
    --bind "127.0.0.1:$port" --workers 2 --timeout 60 --no-control-socket \
    --access-logfile "$LOGS/gunicorn-access.log" >"$LOGS/gunicorn.log" 2>&1 9>&- &
pids+=($!)
setsid "${prod[@]}" "$BIN/celery" -A lms worker --loglevel INFO --concurrency 2 \
    --hostname "$worker" >"$LOGS/celery-worker.log" 2>&1 9>&- &
pids+=($!)
setsid "${prod[@]}" "$BIN/celery" -A lms beat --loglevel INFO \
    --pidfile "$work/beat.pid" --schedule "$work/beat-schedule" >"$LOGS/celery-beat.log" 2>&1 9>&- &
pids+=($!)

alive() {
    local pid
    for pid in "${pids[@]}"; do
        kill -0 "$pid" 2>/dev/null || { say "a service stopped during start-up"; return 1; }
    done
}
wait_until() {  # what, command...: polls the command until it succeeds or the time is up
    local what="$1" deadline=$((SECONDS + STARTUP_SECONDS))
    shift
    until "$@" >/dev/null 2>&1; do
        alive || exit 1
        [ "$SECONDS" -lt "$deadline" ] || { say "$what: not ready after ${STARTUP_SECONDS}s"; exit 1; }
        sleep 0.5
    done
    say "$what: ready"
}
wait_until "gunicorn" curl -fsS -o /dev/null "$base_url/"
wait_until "static files" curl -fsS -o /dev/null "$base_url/static/css/site.css"
# Beat has started when it has written its schedule into the database.
beat_scheduled() {
    [ "$(psql "$DATABASE_URL" -qAt -c "SELECT count(*) FROM django_celery_beat_periodictask
        WHERE task = 'courses.tasks.quiz_attempts_close_timed_out'")" = 1 ]
}
wait_until "celery beat" beat_scheduled
wait_until "celery worker" "${prod[@]}" "$BIN/celery" -A lms inspect ping \
    --destination "$worker" --timeout 2
# A real task through the broker: the worker takes it and reaches the database.
"${prod[@]}" "$BIN/celery" -A lms call courses.tasks.quiz_attempts_close_timed_out >/dev/null
wait_until "task through the broker" grep -q "quiz_attempts_close_timed_out.* succeeded" \
    "$LOGS/celery-worker.log"

# The tests read the quiz key from the same database (never over HTTP) with test settings;
# they share neither the stack's Redis nor its broker. They run like the services, so that a
# signal stops them (and their Chromium) at once rather than after the last test.
say "pytest tests/e2e $*"
setsid env -u REDIS_URL -u CELERY_BROKER_URL LMS_E2E_BASE_URL="$base_url" \
    "$BIN/pytest" tests/e2e "$@" 9>&- &
pids+=($!)
wait "$!"
