#!/usr/bin/env bash
# Builds the widget bundle and the demo server, then runs the server in the foreground so you
# can try the survey in a browser. Ctrl-C stops it.
#
# Settings (environment, all optional):
#   PORT         port on 127.0.0.1 (default 8080; 0 picks a free one)
#   DATA_DIR     where the SQLite file lives (default .data in the repository)
#   ADMIN_TOKEN  bearer token for the admin export (default: a new random token, printed)
set -euo pipefail
# shellcheck source=pkg-scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$ROOT/pkg-scripts/setup.sh"

say "Building the widget bundle (pkg-scripts/build.sh)"
"$ROOT/pkg-scripts/build.sh"

say "Building the demo server (cargo build -p survey-collector --release)"
cargo build -p survey-collector --release

if [ -z "${ADMIN_TOKEN:-}" ]; then
  ADMIN_TOKEN="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
fi
export ADMIN_TOKEN
export PORT="${PORT:-8080}"
export DATA_DIR="${DATA_DIR:-$ROOT/.data}"
export SURVEYS_DIR="${SURVEYS_DIR:-$ROOT/demo/surveys}"
export DIST_DIR="${DIST_DIR:-$ROOT/dist/survey-widget}"
export SITE_DIR="${SITE_DIR:-$ROOT/demo/site}"
export ALLOWED_ORIGINS="${ALLOWED_ORIGINS:-}"
mkdir -p "$DATA_DIR"

server="${CARGO_TARGET_DIR:-$ROOT/target}/release/survey-collector"

print_urls() {
  local url="$1"
  local admin="$url/admin/surveys/digital-engagement"
  cat <<INFO

==> The demo is running (Ctrl-C stops it)
==>   Blog post with the survey:      $url/
==>   News page (div embed):          $url/embed-div.html
==>   Survey on its own page:         $url/s/digital-engagement
==>   Every question type, en + cy:   $url/gp-survey.html
==>   Accessibility test page:        $url/a11y.html
==>   ES module page (mount()):       $url/embed-module.html
==>   React app:                      $url/embed-react.html
==>   Themed page:                    $url/embed-theme.html
==>   yew app (Survey component):     $url/embed-yew.html
==>   Page with hostile CSS:          $url/embed-hostile.html
==>   Privacy notice:                 $url/privacy.html
==>   Admin token:                    $ADMIN_TOKEN
==>   Responses as JSON:              $admin/responses.json
==>   Responses as CSV:               $admin/responses.csv
==>   Results summary page:           $admin
==>   The admin URLs need the token, for example:
==>     curl -H 'Authorization: Bearer $ADMIN_TOKEN' $admin/responses.json
==>   Answers are stored in:          $DATA_DIR

INFO
}

say "Starting the demo server on 127.0.0.1:$PORT"
# The server prints "survey-collector listening on http://127.0.0.1:PORT" once it is bound; the URLs
# are printed when that line appears, so PORT=0 works too.
"$server" | while IFS= read -r line; do
  printf '%s\n' "$line"
  if [[ "$line" =~ listening\ on\ (http://[^[:space:]]+) ]]; then
    print_urls "${BASH_REMATCH[1]%/}"
  fi
done
