#!/usr/bin/env bash
# The survey editor's benchmark (tests/bench/editor.mjs, issue 16): a 50-question draft open in
# the editor, one character typed at a time into a question's title at 1× and 4× CPU, and for
# each keystroke the time until the editor's field shows it and until the preview beside it
# does. Prints the table BENCHMARKS.md keeps, then exits 1 if the median keystroke to preview
# at 4× CPU is over 50 ms. Not part of test.sh: timings depend on the machine and its load.
#
# Usage: pkg-scripts/bench-editor.sh [--write]
#   --write   record this run's table in BENCHMARKS.md (between its editor-bench markers)
# Settings (environment, optional): BENCH_KEYSTROKES (30, at least 30), CHROMIUM
# (/usr/bin/chromium), BENCH_EDITOR_PROFILE=FILE.cpuprofile (a CPU profile of the 4× keystrokes
# into question 25), BENCH_EDITOR_TRACE=FILE.json (a DevTools trace of the same keystrokes),
# BENCH_SKIP_BUILD=1 to use dist/ and the release collector as they are.
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  --write | "") ;;
  *) die "usage: pkg-scripts/bench-editor.sh [--write]" ;;
esac

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  say "Building the widget (pkg-scripts/build.sh --widget-only), the editor and the collector in release"
  pkg-scripts/build.sh --widget-only
  pkg-scripts/build-editor.sh
  cargo build -p survey-collector --release --bin survey-collector
fi

if [ ! -d tests/bench/node_modules/playwright-core ] && [ ! -d tests/e2e/node_modules/playwright-core ]; then
  say "Installing playwright-core (npm ci in tests/e2e)"
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi

say "Running the editor benchmark (tests/bench/editor.mjs): about a minute"
node tests/bench/editor.mjs "$@"
