#!/usr/bin/env bash
# Runs every test the project has, in the order a failure is cheapest to find:
#   1. the native tests of the model, the widget's state and the collector (the collector's
#      storage and HTTP suites on SQLite and on PostgreSQL: a throwaway cluster is started for
#      the whole run, pkg-scripts/pg-cluster.sh, and its URL exported as TEST_DATABASE_URL);
#   2. the widget's component tests in headless Chromium (wasm-bindgen-test);
#   3. the release bundle (pkg-scripts/build.sh, writes dist/survey-widget/, the npm package
#      files with it, the survey editor in dist/survey-editor/, and the demo's React app: npm ci
#      in demo/react the first time), and its byte budget (tests/bench/bytes.mjs against
#      tests/bench/budget.json);
#   4. the collector and the demo site (debug builds, used by the end-to-end tests);
#   5. the end-to-end tests: a real Chromium answers the survey on a demo page on one origin,
#      with the bundle, the definition and the answers on the collector's, another origin.
#   6. the journeys that matter most again in WebKit (WebKitGTK's MiniBrowser) and then in
#      Firefox ESR, through W3C WebDriver (tests/e2e/engines/), one engine after the other.
# Stops at the first failing step, exits non-zero, and always prints the total time.
#
#   pkg-scripts/test.sh           everything (what CI runs)
#   pkg-scripts/test.sh --quick   the inner loop: native tests, then the core end-to-end journeys
#                                 (blog post, phone, failed post, caching, sign-in); no component
#                                 tests, no accessibility sweep, no editor, React or yew demo
#                                 build, and Chromium only (no WebKit or Firefox journeys)
set -euo pipefail
quick=false
case "${1:-}" in
  --quick) quick=true ;;
  "") ;;
  *) echo "usage: pkg-scripts/test.sh [--quick]" >&2; exit 2 ;;
esac
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

started=$SECONDS
step_name="setup"
pg_dir=""

finish() {
  local status=$?
  local took
  if [ -n "$pg_dir" ]; then
    "$ROOT/pkg-scripts/pg-cluster.sh" stop "$pg_dir" || true
  fi
  took="$(format_duration $((SECONDS - started)))"
  if [ "$status" -eq 0 ]; then
    say "All tests passed. Total time: $took"
  else
    say "FAILED at step: $step_name (exit status $status). Total time: $took"
  fi
}
trap finish EXIT

step() {
  step_name="$1"
  say "$1"
}

step "Setup (pkg-scripts/setup.sh)"
"$ROOT/pkg-scripts/setup.sh"

step "PostgreSQL for the collector's tests: a throwaway cluster (pkg-scripts/pg-cluster.sh)"
pg_dir="$(mktemp -d /tmp/survey-pg.XXXXXX)"
# Without fsync: a test cluster holds nothing worth a power cut, and a database per test is
# then cheap. (The benchmarks use a cluster that syncs.)
TEST_DATABASE_URL="$("$ROOT/pkg-scripts/pg-cluster.sh" start "$pg_dir" --no-fsync | tail -n 1)"
export TEST_DATABASE_URL
say "TEST_DATABASE_URL=$TEST_DATABASE_URL"

step "Native tests: cargo test --workspace (model, widget state, collector on SQLite and PostgreSQL)"
cargo test --workspace --no-fail-fast

# wasm-bindgen-test-runner starts chromedriver and reads the browser's capabilities from
# webdriver.json in the current directory (or from WASM_BINDGEN_TEST_WEBDRIVER_JSON). It adds
# "headless", "no-sandbox" and "disable-dev-shm-usage" itself; widget/webdriver.json names the
# Chromium binary and the remaining flags.
if ! $quick; then
step "Widget component tests in headless Chromium: cargo test -p survey-widget --target wasm32-unknown-unknown"
(
  cd "$ROOT/widget"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/widget/webdriver.json" \
  WASM_BINDGEN_USE_BROWSER=1 \
    cargo test -p survey-widget --target wasm32-unknown-unknown --no-fail-fast
)
fi

if $quick; then
  step "Release bundle: pkg-scripts/build.sh --widget-only"
  "$ROOT/pkg-scripts/build.sh" --widget-only
else
  step "Release bundle, the survey editor, and the React and yew demos: pkg-scripts/build.sh"
  "$ROOT/pkg-scripts/build.sh"
fi

# Bytes are not noisy: what the first question downloads is held to tests/bench/budget.json
# on every run (the timings only by pkg-scripts/bench-widget.sh). The canary proves it can fail.
step "Byte budget of the first question: node tests/bench/bytes.mjs, and its canary"
node "$ROOT/tests/bench/bytes.mjs"
node --test --test-reporter=spec "$ROOT/tests/bench/bytes.test.mjs"

step "Collector and demo site: cargo build -p survey-collector -p survey-demo-site"
cargo build -p survey-collector -p survey-demo-site

step "End-to-end tests: node --test (tests/e2e)"
(
  cd "$E2E_DIR"
  if $quick; then
    node --test --test-reporter=spec --test-concurrency=1 \
      blog-page.test.mjs phone-answers.test.mjs failed-post.test.mjs bundle-caching.test.mjs admin-sign-in.test.mjs
  else
    # The top folder's files only: engines/ runs next, in the other engines.
    node --test --test-reporter=spec --test-concurrency=1 ./*.test.mjs
  fi
)

if ! $quick; then
  for engine in webkit firefox; do
    step "End-to-end journeys in $engine through WebDriver: node --test engines/ (tests/e2e)"
    (
      cd "$E2E_DIR"
      E2E_ENGINES="$engine" node --test --test-reporter=spec --test-concurrency=1 engines/*.test.mjs
    )
  done
fi
