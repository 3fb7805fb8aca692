#!/usr/bin/env bash
# Installs what the tests need (Debian packages, the locked Python packages), starts a throw-away
# PostgreSQL on loopback, and runs the whole suite on SQLite and then on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for pkg in chromium fonts-noto-cjk poppler-utils zbar-tools libpango-1.0-0 libpangoft2-1.0-0; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

make --no-print-directory venv-dev PYTHON="${PYTHON:-python3}"
BIN=.venv/bin

echo "== lint"
$BIN/ruff check .
$BIN/ruff format --check . >/dev/null
$BIN/mypy . >/dev/null
$BIN/lint-imports --no-cache >/dev/null
DJANGO_SETTINGS_MODULE=config.settings.test $BIN/python manage.py makemigrations --check --dry-run >/dev/null

source scripts/pg.sh
pg_start
trap pg_stop EXIT

echo "== tests on SQLite"
DATABASE_URL="sqlite://:memory:" $BIN/pytest -n 2 -q --durations=15 "$@"
echo "== tests on PostgreSQL"
DATABASE_URL="$PG_URL" $BIN/pytest -n 2 -q --durations=15 "$@"
