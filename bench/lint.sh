#!/usr/bin/env bash
# `rubric check` on large rubrics (issue 29, finding 10): the lints must grow with
# the rubric, not with its square. Generates rubrics of N and 4N questions (two
# options each, four factors) and times `pmo-vmo rubric check` on each, RUNS times,
# interleaved; prints the medians and their ratio. Linear lints give about 4;
# quadratic ones about 16 (before the fix: 3.9 s for 5,000 questions, 58.7 s for
# 20,000, a ratio of 15).
#
#   bench/lint.sh [N] [RUNS]      defaults: 5000 5
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
RUNS=${2:-5}
DIR=${BENCH_DIR:-target/bench}
mkdir -p "$DIR"
cargo build --release --locked --quiet
BIN=target/release/pmo-vmo

gen() { # gen QUESTIONS FILE
    python3 - "$1" "$2" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
out = ['id = "big"', 'version = "1.0.0"', 'title = "Big"', 'description = "d"',
       '[scoring]', 'hybrid-from = 40.0', 'vmo-from = 60.0']
for f in range(4):
    out += ['[[factor]]', f'id = "f{f}"', f'title = "Factor {f}"', 'description = "d"']
for q in range(n):
    out += ['[[question]]', f'id = "q{q}"', f'factor = "f{q % 4}"',
            f'text = "Question number {q} about the way work is run?"',
            '[[question.option]]', 'id = "a"', 'label = "A"', 'score = 0.0',
            '[[question.option]]', 'id = "b"', 'label = "B"', 'score = 100.0']
for band in ("pmo", "hybrid", "vmo"):
    out += [f'[recommendation.{band}]', 'title = "T"', 'summary = "S"', 'next-steps = ["x"]']
open(path, "w").write("\n".join(out) + "\n")
PY
}
small="$DIR/lint-$N.toml" big="$DIR/lint-$((4 * N)).toml"
[ -f "$small" ] || gen "$N" "$small"
[ -f "$big" ] || gen "$((4 * N))" "$big"

secs() { # the wall time of one run, in seconds
    local t0 t1
    t0=$(date +%s.%N)
    "$BIN" rubric check --rubric "$1" >/dev/null
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
s=() b=()
for _ in $(seq "$RUNS"); do
    s+=("$(secs "$small")")
    b+=("$(secs "$big")")
done
ms=$(printf '%s\n' "${s[@]}" | median)
mb=$(printf '%s\n' "${b[@]}" | median)
printf 'rubric check, %d questions: %.3f s\n' "$N" "$ms"
printf 'rubric check, %d questions: %.3f s\n' "$((4 * N))" "$mb"
printf 'ratio (4x the questions): %.1f (linear: about 4; quadratic: about 16)\n' "$(echo "$mb / $ms" | bc -l)"
