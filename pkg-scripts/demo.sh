#!/usr/bin/env bash
# Builds the widget bundle, the collector and the demo site, then runs both in the foreground so
# you can try the survey in a browser, as production has it: the demo site's pages on one origin
# (http://127.0.0.1:8081) embed surveys from the collector on another (http://127.0.0.1:8080).
# Ctrl-C stops both.
#
# Settings (environment, all optional):
#   PORT         the collector's port on 127.0.0.1 (default 8080)
#   SITE_PORT    the demo site's port on 127.0.0.1 (default 8081)
#   DATA_DIR     where the SQLite file lives (default .data in the repository)
#   ADMIN_TOKEN  the admin token, 32 characters or more (default: a new random token, printed)
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$ROOT/pkg-scripts/setup.sh"

say "Building the widget bundle and the survey editor (pkg-scripts/build.sh)"
"$ROOT/pkg-scripts/build.sh"

say "Building the collector and the demo site (cargo build --release)"
cargo build -p survey-collector -p survey-demo-site --release

if [ -z "${ADMIN_TOKEN:-}" ]; then
  ADMIN_TOKEN="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
fi
port="${PORT:-8080}"
site_port="${SITE_PORT:-8081}"
collector="http://127.0.0.1:$port"
site="http://127.0.0.1:$site_port"
data_dir="${DATA_DIR:-$ROOT/.data}"
mkdir -p "$data_dir"
bin="${CARGO_TARGET_DIR:-$ROOT/target}/release"

cleanup() {
  kill "${site_pid:-}" "${collector_pid:-}" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

say "Starting the collector on $collector"
HOST=127.0.0.1 PORT="$port" DATA_DIR="$data_dir" SURVEYS_DIR="$ROOT/demo/surveys" \
  DIST_DIR="$ROOT/dist/survey-widget" EDITOR_DIR="$ROOT/dist/survey-editor" ALLOWED_ORIGINS="$site" ADMIN_TOKEN="$ADMIN_TOKEN" \
  "$bin/survey-collector" &
collector_pid=$!

say "Starting the demo site on $site"
HOST=127.0.0.1 PORT="$site_port" PAGES_DIR="$ROOT/demo/site/pages" COLLECTOR_URL="$collector" \
  "$bin/survey-demo-site" &
site_pid=$!

ready() {
  if command -v curl >/dev/null 2>&1; then curl -fsS "$collector/healthz" >/dev/null 2>&1
  else (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; fi
}
for _ in $(seq 100); do
  ready && break
  kill -0 "$collector_pid" 2>/dev/null || die "the collector stopped; its message is above"
  sleep 0.1
done

cat <<INFO

==> The demo is running (Ctrl-C stops it)
==> Host pages (the demo site, $site), embedding surveys from the collector:
==>   Blog post with the survey:      $site/
==>   News page (div embed):          $site/embed-div.html
==>   Every question type, en + cy:   $site/gp-survey.html
==>   Accessibility test page:        $site/a11y.html
==>   ES module page (mount()):       $site/embed-module.html
==>   React app:                      $site/embed-react.html
==>   Themed page:                    $site/embed-theme.html
==>   yew app (Survey component):     $site/embed-yew.html
==>   Page with hostile CSS:          $site/embed-hostile.html
==> The collector ($collector):
==>   Survey on its own page:         $collector/s/digital-engagement
==>   Results (sign in with the token): $collector/admin
==>   Write a survey in the editor:   $collector/admin/editor
==>   Admin token:                    $ADMIN_TOKEN
==>   For scripts:  curl -H 'Authorization: Bearer $ADMIN_TOKEN' $collector/admin/surveys/digital-engagement/responses.json
==>   Answers are stored in:          $data_dir

INFO
wait "$collector_pid" "$site_pid"
