#!/usr/bin/env bash
# Load benchmark of `pmo-vmo serve` (issue 31), on loopback only.
#
#   bench/serve.sh [PARTICIPANTS] [LIMIT_SECONDS]      defaults: 200 300
#
# PARTICIPANTS simulated participants join at once and each answers every question
# of the default rubric with a note, one answer after the other (a new connection
# each, as a phone's page sends them). Every acknowledgement is timed; at the end
# every sheet on disk must hold exactly what was acknowledged (exit 1 otherwise).
# Prints the median, 95th percentile and slowest acknowledgement and the total
# time. A benchmark, not a test: the figures depend on the machine and its disk
# (each answer is synced before it is acknowledged). docs/serve.md has a run.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
LIMIT=${2:-300}
cargo build --release --locked --bin pmo-vmo --example serve_load
exe=${CARGO_TARGET_DIR:-target}/release
"$exe/examples/serve_load" "$exe/pmo-vmo" "$N" "$LIMIT"
