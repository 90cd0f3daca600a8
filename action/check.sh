#!/usr/bin/env bash
# action.yml, second step: `pmo-vmo check` over the given paths, printed in the
# chosen format (GitHub annotations by default), and once more as JUnit XML into a
# file. The step's exit status is check's: 0 all passed, 1 a sheet failed its
# expectations, 2 an error (see the README's "In CI").
#
# Environment (set by action.yml from its inputs):
#   INPUT_PATHS, INPUT_RUBRIC, INPUT_EXPECT, INPUT_MIN_MARGIN, INPUT_MIN_ANSWERED,
#   INPUT_STRICT_VERSION, INPUT_FORMAT, INPUT_JUNIT
set -euo pipefail
# Paths are taken as written, never globbed: pmo-vmo walks folders itself.
set -f
read -r -d '' -a paths <<<"${INPUT_PATHS:-}" || true
if [ ${#paths[@]} -eq 0 ]; then
    echo "::error title=pmo-vmo action::the 'paths' input is empty"
    exit 2
fi
args=()
[ -z "${INPUT_RUBRIC:-}" ] || args+=(--rubric "$INPUT_RUBRIC")
[ -z "${INPUT_EXPECT:-}" ] || args+=(--expect "$INPUT_EXPECT")
[ -z "${INPUT_MIN_MARGIN:-}" ] || args+=(--min-margin "$INPUT_MIN_MARGIN")
[ -z "${INPUT_MIN_ANSWERED:-}" ] || args+=(--min-answered "$INPUT_MIN_ANSWERED")
case "${INPUT_STRICT_VERSION:-false}" in
    true) args+=(--strict-version) ;;
    false | "") ;;
    *) echo "::error title=pmo-vmo action::strict-version is true or false, not '$INPUT_STRICT_VERSION'"; exit 2 ;;
esac

status=0
pmo-vmo check ${args[@]+"${args[@]}"} --format "${INPUT_FORMAT:-github}" -- "${paths[@]}" || status=$?
if [ -n "${INPUT_JUNIT:-}" ]; then
    # Same sheets, same verdicts, same warnings (already shown): its status is
    # the one above.
    pmo-vmo check ${args[@]+"${args[@]}"} --format junit -- "${paths[@]}" >"$INPUT_JUNIT" 2>/dev/null || true
    echo "junit=$INPUT_JUNIT" >>"$GITHUB_OUTPUT"
fi
echo "exit-code=$status" >>"$GITHUB_OUTPUT"
exit "$status"
