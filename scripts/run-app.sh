#!/usr/bin/env bash
# Runs the app on the built-in sample report (令和５・６年度, 81 measures).
# The sample database lives in target/ so that trying the app never touches real data;
# pass another database with: scripts/run-app.sh --db PATH
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cargo build
if [ "$#" -eq 0 ]; then
  db=target/sample.db
  [ -f "$db" ] || target/debug/shinchoku init --db "$db" --sample
  set -- --db "$db"
fi
exec target/debug/shinchoku "$@"
