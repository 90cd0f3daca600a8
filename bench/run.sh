#!/usr/bin/env bash
# Benchmark of batch scoring (issue 4), baselines measured in the same run.
#
#   bench/run.sh [ROWS] [SHEETS] [RUNS]      defaults: 1000000 5000 5
#
# 1. A Google-Forms-style export of ROWS rows (Timestamp, Email Address, Name, then
#    the 16 questions of the default rubric by full text, cells holding labels):
#    `pmo-vmo score FILE --format csv > /dev/null` against parsing the same file
#    with the csv crate alone (examples/parse_only.rs).
# 2. A folder of SHEETS TOML sheets: `pmo-vmo score DIR --format csv` against `cat`
#    of the same files.
# Each command runs RUNS times, interleaved; medians are printed. Peak memory is
# the maximum resident set size reported by GNU time. Inputs are generated once
# into target/bench/ (override with BENCH_DIR) by bench/gen.py.
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
    run cat cat "${FILES[@]}"
    run folder "$BIN" score "$SHEET_DIR" --format csv
done

P=$(median parse 1)
S=$(median score 1)
C=$(median cat 1)
F=$(median folder 1)
SM=$(median score 2)
PM=$(median parse 2)
FM=$(median folder 2)
SIZE=$(du -Lm "$CSV" | cut -f1)

awk -v rows="$ROWS" -v sheets="$SHEETS" -v runs="$RUNS" -v size="$SIZE" \
    -v p="$P" -v s="$S" -v c="$C" -v f="$F" -v sm="$SM" -v pm="$PM" -v fm="$FM" \
    -v cores="$(nproc)" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    printf "\nMedians of %d runs; %d cores, load average %s at the end.\n\n", runs, cores, load
    printf "Forms export, %d rows (%d MB), 16 questions:\n", rows, size
    printf "  %-44s %8s %12s %10s\n", "", "time", "rows/s", "peak RSS"
    printf "  %-44s %7.3fs %12.0f %7.1f MB\n", "csv crate, parse only (baseline)", p, rows / p, pm / 1024
    printf "  %-44s %7.3fs %12.0f %7.1f MB\n", "pmo-vmo score --format csv", s, rows / s, sm / 1024
    printf "  %-44s %7.2fx   (target: at most 2x)\n", "ratio score / parse", (p > 0 ? s / p : 0)
    printf "  %-44s %7.1f MB (target: under 64 MB)\n", "peak memory of score", sm / 1024
    printf "\nFolder of %d TOML sheets:\n", sheets
    printf "  %-44s %7.3fs\n", "cat of the files (baseline)", c
    printf "  %-44s %7.3fs %12.0f %7.1f MB\n", "pmo-vmo score DIR --format csv", f, sheets / f, fm / 1024
    printf "  %-44s %7.2fx   (target: under 5x)\n", "ratio score / cat", (c > 0 ? f / c : 0)
}'
