#!/usr/bin/env bash
# Load benchmark of the collector on loopback, on each storage setup in turn:
#   sqlite       one collector, SQLite in DATA_DIR (the default);
#   postgres     one collector on a PostgreSQL database;
#   postgres-2   two collectors on one PostgreSQL database, the load shared between them.
# For each setup and each concurrency it runs two load generators, one after the other:
#   - survey-load, the project's own (demo/collector/src/bin/survey-load.rs): distinct valid
#     responses, 10% exact resends of acknowledged ones, and at the end a check against the admin
#     export that nothing acknowledged was lost or stored twice;
#   - oha (an established HTTP load generator, `cargo install oha`, installed here if missing),
#     POSTing bodies drawn at random from a file of distinct valid responses (so some are
#     repeats, answered 200); then the same check from outside: the stored rows of the run must
#     be exactly as many as oha's 201 answers, each submission id once.
# The script fails if a check fails. See BENCHMARKS.md for what the numbers mean.
#
# The PostgreSQL cluster is a throwaway one (pkg-scripts/pg-cluster.sh) that syncs its commits
# like a production one, with its data under target/ on the project's disk, as is SQLite's:
# a tmpfs /tmp would make every fsync free and the numbers meaningless. The per-client rate
# limit is off (RATE_LIMIT_PER_MINUTE=0): every request here comes from 127.0.0.1.
#
# Not part of test.sh: a benchmark is not a test (its numbers depend on the machine and on what
# else it is doing). The load generator's own checks are run by `cargo test -p survey-collector`.
#
# Usage: pkg-scripts/bench.sh [--write]
#   --write   also put the results table into BENCHMARKS.md (between its bench markers)
# Settings (environment, all optional):
#   BENCH_DURATION     seconds per run (default 20)
#   BENCH_CONCURRENCY  concurrencies to run, in order (default "1 8 32")
#   BENCH_RETRIES      fraction of survey-load's requests that resend a response (default 0.1)
#   BENCH_SETUPS       setups to run, in order (default "sqlite postgres postgres-2")
#   BENCH_TOOLS        load generators to run (default "survey-load oha")
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
setups="${BENCH_SETUPS:-sqlite postgres postgres-2}"
tools="${BENCH_TOOLS:-survey-load oha}"

if [[ " $tools " == *" oha "* ]] && ! command -v oha >/dev/null 2>&1; then
  say "Installing oha (cargo install oha --locked); this compiles for a few minutes"
  cargo install oha --locked
fi

say "Building survey-collector and survey-load (cargo build -p survey-collector --release --bins)"
cargo build -p survey-collector --release --bins
target="${CARGO_TARGET_DIR:-$ROOT/target}"
bin="$target/release"

work="$(mktemp -d "$target/bench.XXXXXX")"
collector_pids=()
pg_dir=""
stop_collectors() {
  local pid
  for pid in "${collector_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  collector_pids=()
}
cleanup() {
  stop_collectors
  if [ -n "$pg_dir" ]; then
    "$ROOT/pkg-scripts/pg-cluster.sh" stop "$pg_dir" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

ADMIN_TOKEN="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
export ADMIN_TOKEN

if [[ " $setups " == *" postgres"* ]]; then
  say "Starting a PostgreSQL cluster (durable: fsync on) under $work/pg"
  pg_dir="$work/pg"
  # Run as root, the cluster belongs to the postgres user, who must be able to reach it.
  chmod 0711 "$work"
  pg_url="$("$ROOT/pkg-scripts/pg-cluster.sh" start "$pg_dir" | tail -n 1)"
fi

# A new, empty PostgreSQL database; prints its URL.
new_database() {
  local name=$1
  psql "$pg_url" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $name ENCODING 'UTF8' TEMPLATE template0" >/dev/null
  printf '%s\n' "${pg_url%/*}/$name"
}

# Starts one collector with extra environment (VAR=value ...) and adds its URL to `urls`.
# (Not in a subshell: the collector must be a child of this shell, for stop_collectors.)
start_collector() {
  local name=$1
  shift
  env PORT=0 DATA_DIR="$work/$name-data" SURVEYS_DIR="$ROOT/demo/surveys" DIST_DIR="$work/no-dist" \
    RATE_LIMIT_PER_MINUTE=0 "$@" "$bin/survey-collector" >"$work/$name.stdout" 2>"$work/$name.log" &
  collector_pids+=($!)
  local pid=$! url=""
  for _ in $(seq 100); do
    url="$(sed -n 's/^survey-collector listening on //p' "$work/$name.stdout")"
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || die "collector $name stopped: $(cat "$work/$name.log")"
    sleep 0.1
  done
  [ -n "$url" ] || die "collector $name did not announce its port within 10 s"
  urls+=("$url")
}

# CPU time the collectors have used, in clock ticks (user + system).
collector_ticks() {
  local pid total=0
  for pid in "${collector_pids[@]}"; do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  printf '%s\n' "$total"
}
ticks_per_second="$(getconf CLK_TCK)"
cpu_share() {
  awk -v t="$1" -v hz="$ticks_per_second" -v d="$duration" 'BEGIN { printf "%.0f%%", 100 * t / hz / d }'
}

# A number from survey-load's one-line JSON report.
field() {
  printf '%s\n' "$2" | grep -o "\"$1\":[0-9.]*" | cut -d: -f2
}

# Milliseconds to two decimals.
ms() {
  printf '%.2f' "$(field "$1" "$2")"
}

rows=()
failed=0

# survey-load against the collectors at the URLs given.
run_survey_load() {
  local setup=$1 c=$2
  shift 2
  local urls=() url status=0 out json before
  for url in "$@"; do urls+=(--url "$url"); done
  say "$setup: survey-load for $duration s at concurrency $c ($retries of requests are resends)"
  before="$(collector_ticks)"
  out="$("$bin/survey-load" "${urls[@]}" --duration "$duration" --concurrency "$c" \
    --retries "$retries" --timeout "$((duration + 120))")" || status=$?
  local cpu
  cpu="$(cpu_share $(($(collector_ticks) - before)))"
  printf '%s\n' "$out"
  json="$(printf '%s\n' "$out" | tail -n 1)"
  if [ "$status" -ne 0 ] || [ -z "$json" ]; then
    failed=1
    printf '==> survey-load exited %s (%s, concurrency %s)\n' "$status" "$setup" "$c" >&2
    return
  fi
  local seconds stored_per_s
  seconds="$(field duration_s "$json")"
  stored_per_s="$(awk -v n="$(field created "$json")" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')"
  rows+=("| $setup | survey-load | $c | $(field requests_per_s "$json") | $stored_per_s | $(ms p50_ms "$json") | $(ms p99_ms "$json") | $(ms max_ms "$json") | $(field requests "$json") | $(field errors "$json") | $(field lost "$json") | $(field duplicated "$json") | $cpu |")
}

# Distinct valid responses to the demo survey, one JSON body a line, with submission ids of
# the run `prefix` (8 hex digits).
write_bodies() {
  local prefix=$1 count=$2 file=$3
  python3 - "$prefix" "$count" "$file" <<'PY'
import json, sys
prefix, count, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
heard = ["social", "website", "newsletter", "practice"]
with open(path, "w") as out:
    for n in range(count):
        body = {
            "format": "survey-response/1",
            "survey": {"id": "digital-engagement", "version": 1},
            "submission_id": f"{prefix}-0000-4000-8000-{n:012x}",
            "submitted_at": "2026-11-22T10:00:00Z",
            "language": "en",
            "anonymous": True,
            "answers": {"heard": heard[n % 4], "ease": 1 + n % 5,
                        "improve": f"oha response {n}: answer emails faster", "area": "Cardiff", "consent": True},
            "hidden": {"channel": "oha"},
        }
        out.write(json.dumps(body, separators=(",", ":")) + "\n")
PY
}

# oha against the collectors at the URLs given: one oha per collector, the connections shared
# out, all at once, drawing from one file of bodies (so a response may reach both collectors).
run_oha() {
  local setup=$1 c=$2
  shift 2
  local urls=("$@") prefix bodies count n
  prefix="$(od -An -tx1 -N4 /dev/urandom | tr -d ' \n')"
  bodies="$work/bodies-$prefix.txt"
  # Four bodies for every request a fast run might send: about one request in nine repeats one.
  count=$((duration * 5000 * 4))
  write_bodies "$prefix" "$count" "$bodies"
  say "$setup: oha for $duration s at concurrency $c (bodies drawn at random from $count distinct responses)"
  local pids=() before
  before="$(collector_ticks)"
  for n in "${!urls[@]}"; do
    # Connection i goes to collector i mod N, as survey-load shares out its clients.
    local share=$(((c - n + ${#urls[@]} - 1) / ${#urls[@]}))
    [ "$share" -gt 0 ] || continue
    oha -z "${duration}s" -c "$share" --wait-ongoing-requests-after-deadline --no-tui --output-format json -m POST \
      -H 'Content-Type: application/json' -Z "$bodies" "${urls[$n]}/api/responses" >"$work/oha-$prefix-$n.json" &
    pids+=($!)
  done
  local status=0 pid
  for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
  local cpu
  cpu="$(cpu_share $(($(collector_ticks) - before)))"
  rm -f "$bodies"
  if [ "$status" -ne 0 ]; then
    failed=1
    printf '==> oha exited %s (%s, concurrency %s)\n' "$status" "$setup" "$c" >&2
    return
  fi
  curl -fsS -H "Authorization: Bearer $ADMIN_TOKEN" "${urls[0]}/admin/surveys/digital-engagement/responses.json" \
    >"$work/export.json"
  local row
  row="$(python3 - "$prefix" "$work/export.json" "$work"/oha-"$prefix"-*.json <<'PY'
import json, sys
prefix, export, reports = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = [json.load(open(path)) for path in reports]
codes, errors, requests, rps, p50, p99, slowest = {}, 0, 0, 0.0, 0.0, 0.0, 0.0
for r in runs:
    for code, n in r["statusCodeDistribution"].items():
        codes[code] = codes.get(code, 0) + n
    errors += sum(r["errorDistribution"].values())
    requests += sum(r["statusCodeDistribution"].values())
    rps += r["summary"]["requestsPerSec"]
    # Across several oha processes a percentile cannot be merged exactly: the worst one's.
    p50 = max(p50, r["latencyPercentiles"]["p50"] or 0)
    p99 = max(p99, r["latencyPercentiles"]["p99"] or 0)
    slowest = max(slowest, r["summary"]["slowest"] or 0)
ids = [p["submission_id"] for p in json.load(open(export)) if p["submission_id"].startswith(prefix + "-")]
created = codes.get("201", 0)
lost = max(0, created - len(set(ids)))
duplicated = (len(ids) - len(set(ids))) + max(0, len(set(ids)) - created)
other = requests - created - codes.get("200", 0)
seconds = max(r["summary"]["total"] for r in runs)
print(f"{rps:.0f} | {created / seconds:.0f} | {p50 * 1000:.2f} | {p99 * 1000:.2f} | {slowest * 1000:.2f} | {requests} | {errors + other} | {lost} | {duplicated}")
print(f"oha: {requests} answered ({created} stored, {codes.get('200', 0)} repeats), {errors} errors, other statuses {other}; "
      f"{len(set(ids))} rows of this run stored; lost {lost}, duplicated {duplicated}", file=sys.stderr)
sys.exit(1 if lost or duplicated or errors or other else 0)
PY
)" || failed=1
  rows+=("| $setup | oha | $c | $row | $cpu |")
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for setup in $setups; do
  urls=()
  case "$setup" in
    sqlite)
      start_collector sqlite
      ;;
    postgres)
      database="$(new_database bench_one)"
      start_collector pg-one DATABASE_URL="$database"
      ;;
    postgres-2)
      database="$(new_database bench_two)"
      start_collector pg-two-a DATABASE_URL="$database"
      start_collector pg-two-b DATABASE_URL="$database"
      ;;
    *) die "unknown setup $setup (sqlite, postgres or postgres-2)" ;;
  esac
  say "$setup: collector(s) at ${urls[*]}"
  for c in $concurrencies; do
    for tool in $tools; do
      case "$tool" in
        survey-load) run_survey_load "$setup" "$c" "${urls[@]}" ;;
        oha) run_oha "$setup" "$c" "${urls[@]}" ;;
        *) die "unknown tool $tool (survey-load or oha)" ;;
      esac
    done
  done
  # The collectors log every request's method, path and status; an error there is a failed run.
  if grep -h ' ERROR ' "$work"/*.log >/dev/null 2>&1; then
    grep -h ' ERROR ' "$work"/*.log | head -n 20 >&2
    failed=1
  fi
  stop_collectors
done

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
machine="$(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ { print $2 }') GiB RAM, Linux $(uname -r), $(rustc --version | cut -d' ' -f1-2), $(oha --version 2>/dev/null || echo 'no oha'), $(psql --version 2>/dev/null | cut -d' ' -f1,3 || echo 'no psql')"
table="$(
  printf 'Measured %s on %s; load average before the runs: %s.\n' \
    "$(date -u +%Y-%m-%d)" "$machine" "$load_before"
  printf 'Command: `BENCH_DURATION=%s BENCH_CONCURRENCY="%s" BENCH_RETRIES=%s BENCH_SETUPS="%s" pkg-scripts/bench.sh`\n\n' \
    "$duration" "$concurrencies" "$retries" "$setups"
  printf '| setup | tool | concurrency | requests/s | stored/s | p50 ms | p99 ms | max ms | requests | errors | lost | duplicated | collector CPU |\n'
  printf '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
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
