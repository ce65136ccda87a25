#!/usr/bin/env bash
# The side-by-side benchmark of the widget against SurveyJS 2.5.38 (tests/bench/run.mjs): the
# same surveys, the same Chromium, the same collector, at 1× and 4× CPU and on slow 4G, the
# median of BENCH_RUNS runs (default and minimum 7). Prints the table BENCHMARKS.md keeps, then
# exits 1 if a ratio or the bytes regressed past the figures in tests/bench/budget.json by more
# than the noise measured. Not part of test.sh: timings depend on the machine and its load
# (test.sh checks only the bytes, which do not).
#
# Usage: pkg-scripts/bench-widget.sh [--write]
#   --write   record this run: the table into BENCHMARKS.md (between its widget-bench markers)
#             and the figures into tests/bench/budget.json
# Settings (environment, optional): BENCH_RUNS (7), BENCH_KEYSTROKES (20), CHROMIUM
# (/usr/bin/chromium), BENCH_SKIP_BUILD=1 to use dist/ and the release collector as they are.
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  --write | "") ;;
  *) die "usage: pkg-scripts/bench-widget.sh [--write]" ;;
esac

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  say "Building the bundle (pkg-scripts/build.sh --widget-only) and the collector in release"
  pkg-scripts/build.sh --widget-only
  cargo build -p survey-collector --release --bin survey-collector
fi

if [ ! -d tests/bench/node_modules/survey-core ]; then
  say "Installing the benchmark's packages (npm ci in tests/bench: SurveyJS 2.5.38, playwright-core)"
  (cd tests/bench && npm ci --no-audit --no-fund)
fi

say "Running the benchmark (tests/bench/run.mjs): a few minutes"
node tests/bench/run.mjs "$@"
