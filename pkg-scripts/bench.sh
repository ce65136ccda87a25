#!/usr/bin/env bash
# Load benchmark of the collector on loopback: builds survey-collector and survey-load in release,
# starts the server on a free port with an empty database, and runs survey-load against it at
# each concurrency in turn. Every run ends by checking that no acknowledged response was lost
# or stored twice; the script fails if one was. See BENCHMARKS.md for what the numbers mean.
#
# Not part of test.sh: a benchmark is not a test (its numbers depend on the machine and on what
# else it is doing). The load generator's own checks are run by `cargo test -p survey-collector`.
#
# Usage: pkg-scripts/bench.sh [--write]
#   --write   also put the results table into BENCHMARKS.md (between its bench markers)
# Settings (environment, all optional):
#   BENCH_DURATION     seconds per run (default 20)
#   BENCH_CONCURRENCY  concurrencies to run, in order (default "1 8 32")
#   BENCH_RETRIES      fraction of requests that resend an acknowledged response (default 0.1)
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

write=0
case "${1:-}" in
  --write) write=1 ;;
  "") ;;
  *) die "usage: pkg-scripts/bench.sh [--write]" ;;
esac
duration="${BENCH_DURATION:-20}"
concurrencies="${BENCH_CONCURRENCY:-1 8 32}"
retries="${BENCH_RETRIES:-0.1}"

say "Building survey-collector and survey-load (cargo build -p survey-collector --release --bins)"
cargo build -p survey-collector --release --bins
target="${CARGO_TARGET_DIR:-$ROOT/target}"
bin="$target/release"

# The database goes under target/, on the project's own disk: a tmpfs /tmp would make every
# fsync free and the numbers meaningless.
work="$(mktemp -d "$target/bench.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

ADMIN_TOKEN="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
export ADMIN_TOKEN

say "Starting the collector (release, default settings, log to a file)"
PORT=0 DATA_DIR="$work/data" SURVEYS_DIR="$ROOT/demo/surveys" \
  DIST_DIR="$work/no-dist" RATE_LIMIT_PER_MINUTE=0 "$bin/survey-collector" >"$work/stdout" 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 100); do
  url="$(sed -n 's/^survey-collector listening on //p' "$work/stdout")"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || die "the server stopped: $(cat "$work/server.log")"
  sleep 0.1
done
[ -n "$url" ] || die "the server did not announce its port within 10 s"
say "Collector at $url"

# A number from survey-load's one-line JSON report.
field() {
  printf '%s\n' "$2" | grep -o "\"$1\":[0-9.]*" | cut -d: -f2
}

# Milliseconds to two decimals.
ms() {
  printf '%.2f' "$(field "$1" "$2")"
}

# CPU time the server has used, in clock ticks (user + system).
server_ticks() {
  awk '{ print $14 + $15 }' "/proc/$server_pid/stat"
}
ticks_per_second="$(getconf CLK_TCK)"

rows=()
failed=0
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for c in $concurrencies; do
  say "survey-load for $duration s at concurrency $c ($retries of requests are resends)"
  status=0
  ticks_before="$(server_ticks)"
  out="$("$bin/survey-load" --url "$url" --duration "$duration" --concurrency "$c" \
    --retries "$retries" --timeout "$((duration + 60))")" || status=$?
  # Includes the final read of the stored responses, a second or so of the run.
  server_cpu="$(awk -v t="$(($(server_ticks) - ticks_before))" -v hz="$ticks_per_second" -v d="$duration" \
    'BEGIN { printf "%.0f%%", 100 * t / hz / d }')"
  printf '%s\n' "$out"
  json="$(printf '%s\n' "$out" | tail -n 1)"
  if [ "$status" -ne 0 ] || [ -z "$json" ]; then
    failed=1
    printf '==> survey-load exited %s at concurrency %s\n' "$status" "$c" >&2
    continue
  fi
  printf '  server CPU          %s of one core\n' "$server_cpu"
  rows+=("| $c | $(field requests_per_s "$json") | $(ms p50_ms "$json") | $(ms p90_ms "$json") | $(ms p99_ms "$json") | $(ms max_ms "$json") | $(field requests "$json") | $(field errors "$json") | $(field lost "$json") | $(field duplicated "$json") | $server_cpu |")
done

# The server logs every request's method, path and status; an error there is a failed run.
if grep -q ' ERROR ' "$work/server.log"; then
  grep ' ERROR ' "$work/server.log" | head -n 20 >&2
  failed=1
fi

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
machine="$(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, Linux $(uname -r), $(rustc --version | cut -d' ' -f1-2)"
table="$(
  printf 'Measured %s on %s; load average before the runs: %s.\n' \
    "$(date -u +%Y-%m-%d)" "$machine" "$load_before"
  printf 'Command: `BENCH_DURATION=%s BENCH_CONCURRENCY="%s" BENCH_RETRIES=%s pkg-scripts/bench.sh`\n\n' \
    "$duration" "$concurrencies" "$retries"
  printf '| concurrency | requests/s | p50 ms | p90 ms | p99 ms | max ms | requests | errors | lost | duplicated | server CPU |\n'
  printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
  printf '%s\n' "${rows[@]}"
)"
printf '\n%s\n' "$table"

if [ "$write" -eq 1 ] && [ "$failed" -eq 0 ]; then
  doc="$ROOT/BENCHMARKS.md"
  grep -q '^<!-- bench:start -->$' "$doc" && grep -q '^<!-- bench:end -->$' "$doc" ||
    die "$doc has no <!-- bench:start --> / <!-- bench:end --> markers"
  printf '%s\n' "$table" >"$work/table"
  awk -v table="$work/table" '
    $0 == "<!-- bench:start -->" { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == "<!-- bench:end -->" { skip = 0 }
    !skip { print }
  ' "$doc" >"$work/doc"
  cp "$work/doc" "$doc"
  say "Wrote the table into BENCHMARKS.md"
fi
[ "$failed" -eq 0 ] || die "a run failed: see above"
