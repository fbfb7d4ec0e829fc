# A throwaway PostgreSQL cluster for the shared-store tests, on a Unix socket
# in a temporary folder (no TCP port to collide with), run as the `postgres`
# system user (the server refuses root). Source it, then:
#   pg_start   starts it and exports SEATDESK_TEST_DATABASE_URL (and PG_DIR)
#   pg_stop    stops it and removes the folder (call it from a trap)
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}

pg_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

pg_start() {
  # initdb's shell needs /dev/null; some container images leave it 0600
  # (root only): give it its standard mode back.
  if [ "$(stat -c %a /dev/null)" != 666 ]; then
    if [ "$(id -u)" -eq 0 ]; then chmod 666 /dev/null; else sudo chmod 666 /dev/null; fi
  fi
  PG_DIR=$(mktemp -d /tmp/seatdesk-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  chown postgres "$PG_DIR" 2>/dev/null || sudo chown postgres "$PG_DIR"
  pg_as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync -E UTF8 --locale=C >/dev/null
  # Tests only: no fsync (the cluster is thrown away); connections for the
  # concurrency tests and parallel test threads.
  pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start \
    -o "-k $PG_DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
  pg_as_postgres "$PG_BIN/createdb" -h "$PG_DIR" -U postgres seatdesk_test
  export PG_DIR
  export SEATDESK_TEST_DATABASE_URL="postgresql://postgres@/seatdesk_test?host=$PG_DIR"
  echo "==> PostgreSQL: a throwaway cluster in $PG_DIR"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}
