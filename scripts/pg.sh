# Source this file: pg_start starts a throw-away PostgreSQL cluster on loopback, pg_stop removes it.
# Runs the server as the postgres user (initdb refuses root), with fsync off: test data only.
# PG_OPTS adds server settings (scripts/bench.sh passes the production ones from deploy/postgresql.conf).
PG_PORT="${PG_PORT:-54329}"
PG_DIR="${PG_DIR:-/tmp/dangan-pg-$PG_PORT}"
PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/dangan"

_pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }

_as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

pg_start() {
  local bin; bin="$(_pg_bin)"
  if [ -f "$PG_DIR/postmaster.pid" ]; then _as_postgres "$bin/pg_ctl" -D "$PG_DIR" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"; chown postgres "$PG_DIR" 2>/dev/null || true
  _as_postgres "$bin/initdb" -D "$PG_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  _as_postgres "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60 ${PG_OPTS:-}" start >/dev/null
  echo "== PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

pg_stop() {
  local bin; bin="$(_pg_bin)"
  _as_postgres "$bin/pg_ctl" -D "$PG_DIR" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
