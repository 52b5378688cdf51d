# Start a private PostgreSQL server on loopback for the tests (Debian's postgresql package). Source it.
# Exports BROADCAST_TEST_POSTGRES_URL; stop_test_postgres stops the server if this shell started it.

PG_DATA="${BROADCAST_TEST_PGDATA:-/tmp/broadcast-test-pg}"
# Below Linux's ephemeral range (32768–60999): a client connection's port lingering in TIME-WAIT there can keep
# PostgreSQL from binding (seen with 55432). If the port is taken anyway, the next ones are tried.
PG_PORT="${BROADCAST_TEST_PGPORT:-25432}"
PG_STARTED=""

pg_run() {
  # initdb and postgres refuse to run as root: run them as the postgres user the package created.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] || { echo "PostgreSQL is not installed; install Debian's postgresql package" >&2; exit 1; }
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    say "creating a test PostgreSQL cluster in $PG_DATA"
    mkdir -p "$PG_DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DATA"
    pg_run "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if pg_run "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    PG_PORT="$(sed -n 4p "$PG_DATA/postmaster.pid")"  # already running (an earlier run): use its port
  else
    local port
    for port in "$PG_PORT" $((PG_PORT + 1)) $((PG_PORT + 2)) $((PG_PORT + 3)); do
      say "starting PostgreSQL on 127.0.0.1:$port"
      if pg_run "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
        -o "-p $port -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null; then
        PG_PORT="$port"
        PG_STARTED="$bin"
        break
      fi
    done
    [ -n "$PG_STARTED" ] || { echo "PostgreSQL did not start on ports $PG_PORT to $((PG_PORT + 3)); see $PG_DATA/server.log" >&2; exit 1; }
  fi
  export BROADCAST_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
}

stop_test_postgres() {
  [ -n "$PG_STARTED" ] && pg_run "$PG_STARTED/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1
  return 0
}
