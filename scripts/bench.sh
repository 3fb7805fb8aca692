#!/usr/bin/env bash
# Starts a throw-away PostgreSQL on loopback and runs the benchmark suite against it.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory venv-dev
PG_PORT="${PG_PORT:-54339}" PG_DIR="${PG_DIR:-/tmp/dangan-pg-bench}"
# The production server settings (deploy/postgresql.conf), each as -c name=value.
PG_OPTS="$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' -e 's/^/-c /' deploy/postgresql.conf | tr '\n' ' ')"
export PG_OPTS
source scripts/pg.sh
pg_start
trap pg_stop EXIT
DATABASE_URL="$PG_URL" .venv/bin/python -m bench "$@"
