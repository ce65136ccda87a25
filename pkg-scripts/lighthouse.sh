#!/usr/bin/env bash
# Lighthouse, mobile defaults, on the collector's survey page (/s/digital-engagement) and the
# demo blog post with the widget (tests/lighthouse/run.mjs). Lighthouse is pinned at 12.8.2 in
# tests/lighthouse/package.json (the last release that runs on Node 20) and drives Debian's
# Chromium (CHROME_PATH). Not part of test.sh: scores depend on the machine and its load.
#
# Usage: pkg-scripts/lighthouse.sh [--write]   (--write records the table in BENCHMARKS.md)
# Settings: LIGHTHOUSE_RUNS (3), CHROME_PATH (/usr/bin/chromium), BENCH_SKIP_BUILD=1.
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

case "${1:-}" in
  --write | "") ;;
  *) die "usage: pkg-scripts/lighthouse.sh [--write]" ;;
esac

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  say "Building the bundle, the collector (release) and the demo site"
  pkg-scripts/build.sh --widget-only
  cargo build -p survey-collector --release --bin survey-collector
  cargo build -p survey-demo-site
fi
if [ ! -d tests/lighthouse/node_modules/lighthouse ]; then
  say "Installing Lighthouse (npm ci in tests/lighthouse)"
  (cd tests/lighthouse && npm ci --no-audit --no-fund)
fi
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
say "Running Lighthouse (tests/lighthouse/run.mjs)"
node tests/lighthouse/run.mjs "$@"
