#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb and pg_ctl in a folder of its
# own, listening on a Unix socket in that folder and on no TCP port at all, so nothing outside
# this machine (and no other user) can reach it. Run as root, the cluster belongs to the
# `postgres` user (initdb refuses to run as root); otherwise to whoever runs this.
#
#   pkg-scripts/pg-cluster.sh start DIR [--no-fsync]   creates and starts a cluster in DIR (which
#                                                      must not exist or be empty); prints its
#                                                      DATABASE_URL on the last line of stdout
#   pkg-scripts/pg-cluster.sh url DIR                  prints the DATABASE_URL of the cluster in DIR
#   pkg-scripts/pg-cluster.sh stop DIR                 stops the cluster and removes DIR
#
# The URL names the superuser `postgres` and the database `postgres`, with trust authentication
# on the socket (the folder is 0700, so only its owner and root can open it). The tests create a
# database of their own per test through it; the collector takes it as DATABASE_URL.
#
# --no-fsync is for tests only: the cluster then does not sync its files, which makes creating a
# database per test cheap, and makes what it stores vanish if the machine loses power (never
# measure with it: bench.sh does not use it).
#
# Debian's server binaries are not on PATH; PG_BIN overrides where they are looked for.
set -euo pipefail

usage() {
  echo "usage: pkg-scripts/pg-cluster.sh start DIR [--no-fsync] | url DIR | stop DIR" >&2
  exit 2
}

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    printf '%s\n' "$PG_BIN"
    return
  fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$newest" ] && [ -x "$newest/initdb" ]; then
    printf '%s\n' "$newest"
  elif command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    echo "pg-cluster.sh: no initdb found: install Debian's postgresql (pkg-scripts/setup.sh does)" >&2
    exit 1
  fi
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The socket folder's path, percent-encoded as the host of a URL.
url_for() {
  local dir=$1 encoded
  encoded="$(printf '%s' "$dir" | sed -e 's/%/%25/g' -e 's|/|%2F|g' -e 's/ /%20/g')"
  printf 'postgres://postgres@%s/postgres\n' "$encoded"
}

start() {
  local dir=$1 fsync=$2 bin
  bin="$(pg_bin)"
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || { echo "pg-cluster.sh: $dir is not empty" >&2; exit 1; }
  dir="$(cd "$dir" && pwd)"
  # A Unix socket path is limited to 107 bytes; the socket file's name adds 16.
  [ "${#dir}" -le 90 ] || { echo "pg-cluster.sh: $dir is too long a path for a socket folder" >&2; exit 1; }
  chmod 0700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$dir"
    runuser -u postgres -- test -w "$dir" ||
      { echo "pg-cluster.sh: the postgres user cannot reach $dir: every folder above it must be searchable by others (chmod o+x)" >&2; exit 1; }
  fi
  as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  local options="-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=200"
  if [ "$fsync" = off ]; then
    options="$options -c fsync=off -c full_page_writes=off"
  fi
  as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
    --options="$options" start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  url_for "$dir"
}

stop() {
  local dir=$1 bin
  [ -d "$dir/data" ] || { rm -rf "$dir"; return; }
  bin="$(pg_bin)"
  as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait --timeout=60 stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

[ $# -ge 2 ] || usage
case "$1" in
  start)
    fsync=on
    case "${3:-}" in
      --no-fsync) fsync=off ;;
      "") ;;
      *) usage ;;
    esac
    start "$2" "$fsync"
    ;;
  url) url_for "$(cd "$2" && pwd)" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac
