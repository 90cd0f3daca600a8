#!/usr/bin/env bash
# Benchmark of batch runs (issues 4 and 17), baselines measured in the same run.
#
#   bench/run.sh [ROWS] [SHEETS] [RUNS]      defaults: 1000000 5000 5
#
# 1. A Google-Forms-style export of ROWS rows (Timestamp, Email Address, Name, then
#    every question of the default rubric by full text, cells holding labels):
#    `pmo-vmo score FILE --format csv` and `--format json` (which works out how
#    firm every sheet's result is and its plan) against parsing the same file with the
#    csv crate alone, into a ByteRecord (examples/parse_only.rs).
# 2. A folder of SHEETS TOML sheets: `pmo-vmo score DIR --format csv` against `cat`
#    of the same files.
# 3. Peak memory (and time) of `check` in each format, `workshop` and `report` on
#    the export, once each (they hold what they print on disk: JSON and JUnit
#    verdicts and the report's lists of respondents, about the size of the output;
#    a million rows of JSON verdicts take about 4 GB, so CHECK_ROWS=N runs those
#    two formats on the first N rows where the disk is short).
# 4. The start of a single-sheet command (hyperfine when installed, else a loop).
# The commands of 1 and 2 run RUNS times, interleaved; medians are printed, with
# the spread (lowest to highest) of the two ratios. Peak memory is the maximum
# resident set size reported by GNU time. Inputs are generated once into
# target/bench/ (override with BENCH_DIR) by bench/gen.py.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
SHEETS=${2:-5000}
RUNS=${3:-5}
DIR=${BENCH_DIR:-target/bench}
TIME=/usr/bin/time

if ! "$TIME" -f %e true >/dev/null 2>&1; then
    echo "== installing GNU time" >&2
    (apt-get update -qq && apt-get install -y -qq time) >&2
fi

echo "== building (release)" >&2
cargo build --release --quiet --bin pmo-vmo --example parse_only
BIN=target/release/pmo-vmo
PARSE=target/release/examples/parse_only

mkdir -p "$DIR"
CSV="$DIR/forms-$ROWS.csv"
SHEET_DIR="$DIR/sheets-$SHEETS"
if [ ! -s "$CSV" ]; then
    echo "== generating $CSV" >&2
    python3 bench/gen.py csv "$ROWS" "$CSV.tmp" && mv "$CSV.tmp" "$CSV"
fi
if [ ! -d "$SHEET_DIR" ] || [ "$(find "$SHEET_DIR" -name '*.toml' | wc -l)" -ne "$SHEETS" ]; then
    echo "== generating $SHEET_DIR" >&2
    rm -rf "$SHEET_DIR"
    python3 bench/gen.py toml "$SHEETS" "$SHEET_DIR"
fi

# run NAME CMD...: one timed run; appends "seconds kilobytes" to $DIR/NAME.times.
# Wall time comes from bash's microsecond clock (GNU time rounds to 10 ms), peak
# memory from GNU time.
run() {
    local name=$1
    shift
    local start=$EPOCHREALTIME
    "$TIME" -f "%M" -o "$DIR/$name.one" "$@" >/dev/null 2>"$DIR/$name.err" || {
        echo "error: $name failed:" >&2
        cat "$DIR/$name.err" >&2
        exit 1
    }
    local end=$EPOCHREALTIME
    echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", b - a }') $(tail -n1 "$DIR/$name.one")" \
        >>"$DIR/$name.times"
}

# median NAME COLUMN: the median of one column of $DIR/NAME.times.
median() {
    sort -g -k"$2","$2" "$DIR/$1.times" | awk -v c="$2" '{ v[NR] = $c } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

rm -f "$DIR"/*.times
mapfile -t FILES < <(find "$SHEET_DIR" -name '*.toml' | sort)
echo "== $RUNS interleaved runs of each command" >&2
for i in $(seq "$RUNS"); do
    echo "   run $i/$RUNS" >&2
    run parse "$PARSE" "$CSV"
    run score "$BIN" score "$CSV" --format csv
    run json "$BIN" score "$CSV" --format json
    run cat cat "${FILES[@]}"
    run folder "$BIN" score "$SHEET_DIR" --format csv
done

echo "== peak memory of check, workshop and report (once each)" >&2
REPORT="$DIR/report.html"
run check-text "$BIN" check "$CSV"
CHECK_ROWS=${CHECK_ROWS:-$ROWS}
CHECK_CSV=$CSV
if [ "$CHECK_ROWS" -lt "$ROWS" ]; then
    CHECK_CSV="$DIR/forms-$ROWS-first-$CHECK_ROWS.csv"
    head -n "$((CHECK_ROWS + 1))" "$CSV" >"$CHECK_CSV"
fi
run check-json "$BIN" check "$CHECK_CSV" --format json
run check-junit "$BIN" check "$CHECK_CSV" --format junit
run check-github "$BIN" check "$CSV" --format github
run workshop "$BIN" workshop "$CSV"
run report "$BIN" report "$CSV" -o "$REPORT" --force
rm -f "$REPORT"

echo "== start of a single-sheet command" >&2
ONE=examples/sheets/agency-with-a-pmo.toml
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 20 --runs 300 --export-json "$DIR/start.json" \
        "$BIN score $ONE" >/dev/null 2>&1
    START=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f ms (median; %.2f to %.2f, hyperfine)" % (r["median"]*1e3, r["min"]*1e3, r["max"]*1e3))' "$DIR/start.json")
else
    t0=$EPOCHREALTIME
    for _ in $(seq 200); do "$BIN" score "$ONE" >/dev/null; done
    t1=$EPOCHREALTIME
    START=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f ms (mean of 200 runs in a loop)", (b - a) * 1000 / 200 }')
fi

# ratio NAME: the median, lowest and highest of NAME's times over parse's, run by run.
ratio() {
    paste -d' ' "$DIR/$1.times" "$DIR/parse.times" | awk '{ print $1 / $3 }' | sort -g | awk '{ v[NR] = $1 } END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2fx (runs %.2fx to %.2fx)", m, v[1], v[NR] }'
}

# once NAME GOAL: one line for a command run once.
once() {
    awk -v name="$1" '{ printf "  %-44s %7.3fs %19.1f MB (target: under 64 MB)\n", name, $1, $2 / 1024 }' \
        "$DIR/$2.times"
}

P=$(median parse 1)
S=$(median score 1)
J=$(median json 1)
JM=$(median json 2)
C=$(median cat 1)
F=$(median folder 1)
SM=$(median score 2)
PM=$(median parse 2)
FM=$(median folder 2)
SIZE=$(du -Lm "$CSV" | cut -f1)
QUESTIONS=$(($(head -n1 "$CSV" | python3 -c 'import csv, sys; print(len(next(csv.reader(sys.stdin))))') - 3))

awk -v rows="$ROWS" -v questions="$QUESTIONS" -v sheets="$SHEETS" -v runs="$RUNS" -v size="$SIZE" \
    -v p="$P" -v s="$S" -v c="$C" -v f="$F" -v sm="$SM" -v pm="$PM" -v fm="$FM" \
    -v j="$J" -v jm="$JM" -v rs="$(ratio score)" -v rj="$(ratio json)" \
    -v cores="$(nproc)" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    printf "\nMedians of %d runs; %d cores, load average %s at the end.\n\n", runs, cores, load
    printf "Forms export, %d rows (%d MB), %d questions:\n", rows, size, questions
    printf "  %-44s %8s %12s %10s\n", "", "time", "rows/s", "peak RSS"
    printf "  %-44s %7.3fs %12.0f %7.1f MB\n", "csv crate, ByteRecord parse only (baseline)", p, rows / p, pm / 1024
    printf "  %-44s %7.3fs %12.0f %7.1f MB\n", "pmo-vmo score --format csv", s, rows / s, sm / 1024
    printf "  %-44s %7.3fs %12.0f %7.1f MB\n", "pmo-vmo score --format json (firmness, plan)", j, rows / j, jm / 1024
    printf "  %-44s %s   (target: at most 1.5x)\n", "ratio score csv / parse", rs
    printf "  %-44s %s   (target: at most 3x)\n", "ratio score json / parse", rj
    printf "  %-44s %7.1f MB (target: under 64 MB)\n", "peak memory of score", (sm > jm ? sm : jm) / 1024
    printf "\nFolder of %d TOML sheets:\n", sheets
    printf "  %-44s %7.3fs\n", "cat of the files (baseline)", c
    printf "  %-44s %7.3fs %12.0f %7.1f MB\n", "pmo-vmo score DIR --format csv", f, sheets / f, fm / 1024
    printf "  %-44s %7.2fx   (target: at most 1.5x)\n", "ratio score / cat", (c > 0 ? f / c : 0)
}'
echo
echo "The same export, once each (time, peak memory):"
once "pmo-vmo check" check-text
[ "$CHECK_ROWS" -lt "$ROWS" ] && echo "  (JSON and JUnit on the first $CHECK_ROWS rows)"
once "pmo-vmo check --format json" check-json
once "pmo-vmo check --format junit" check-junit
once "pmo-vmo check --format github" check-github
once "pmo-vmo workshop" workshop
once "pmo-vmo report" report
echo
echo "Start of \`pmo-vmo score $ONE\`: $START (target: about 4 ms)"
