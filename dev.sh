#!/usr/bin/env bash
# One entry point for a newcomer (see README):
#   ./dev.sh run    set up (venv, install, migrate, demo data once) and run web + Celery worker + beat
#   ./dev.sh test   set up and run the whole test suite
# Embedded default: SQLite + Celery's filesystem:// broker under var/. Set DATABASE_URL / REDIS_URL
# to use PostgreSQL and Redis instead.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
export DEBUG=${DEBUG:-1}

setup() {
  if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
  if [ ! -f .venv/.installed ] || [ requirements.txt -nt .venv/.installed ]; then
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -r requirements.txt
    touch .venv/.installed
  fi
  mkdir -p var
  # Local development settings for every `manage.py` call in this checkout (never used in production:
  # .env is git- and docker-ignored).
  [ -f .env ] || printf 'DEBUG=1\n' > .env
}

case "${1:-run}" in
  run)
    setup
    .venv/bin/python manage.py migrate --noinput -v0
    if [ ! -f var/.demo-seeded ]; then
      .venv/bin/python manage.py seed_demo --accounts "${DEMO_ACCOUNTS:-2000}" && touch var/.demo-seeded
    fi
    .venv/bin/celery -A collections_app worker --loglevel=warning --concurrency=2 &
    WORKER=$!
    .venv/bin/celery -A collections_app beat --loglevel=warning &
    BEAT=$!
    trap 'kill $WORKER $BEAT 2>/dev/null || true' EXIT INT TERM
    PORT=${PORT:-8000}
    echo
    echo "Collections is running at http://127.0.0.1:${PORT}/"
    echo "Log in as admin, supervisor1, accounting1, compliance1 or collector1..collector5;"
    echo "password: ${DEMO_PASSWORD:-collect-demo-2026}"
    echo
    .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
    ;;
  test)
    setup
    shift || true
    args=("$@")
    if [ ! -x /usr/bin/chromium ]; then
      echo "dev.sh: /usr/bin/chromium not found (apt-get install chromium): skipping browser tests" >&2
      args=(-m "not browser" "${args[@]}")
    fi
    .venv/bin/ruff check .
    .venv/bin/python -m pytest "${args[@]}"
    ;;
  *)
    echo "usage: ./dev.sh run|test [pytest args]" >&2
    exit 2
    ;;
esac
