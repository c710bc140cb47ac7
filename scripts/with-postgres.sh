#!/usr/bin/env bash
# Run a command against PostgreSQL.
#   TEST_DATABASE_URL set  → use that server (pytest-django creates and drops its test_* database).
#   otherwise              → start a throwaway cluster (initdb on a spare port, private socket dir,
#                            fsync off), run the command, stop and remove the cluster.
set -euo pipefail

if [[ -n "${TEST_DATABASE_URL:-}" ]]; then
  DATABASE_URL="$TEST_DATABASE_URL" exec "$@"
fi

find_bin() {
  local name=$1 dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/$name" ]] && { echo "$dir/$name"; return; }
  done
  command -v "$name" || { echo "PostgreSQL's $name is not installed (Debian: apt-get install postgresql)" >&2; exit 3; }
}
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

work=$(mktemp -d /tmp/zhixing-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$work"   # PostgreSQL refuses to run as root
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$PG_CTL" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$INITDB" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$PG_CTL" -D "$work/data" -l "$work/server.log" -w -t 30 start \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  >/dev/null || { cat "$work/server.log" >&2; exit 1; }

echo "PostgreSQL throwaway cluster on 127.0.0.1:$port ($work)" >&2
set +e
DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" "$@"
rc=$?
exit $rc
