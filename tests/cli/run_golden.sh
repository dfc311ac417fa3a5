#!/usr/bin/env bash
# run_golden.sh — runs one CLI golden case and compares it with what is frozen.
#
#   run_golden.sh HYPERSTORE CASE_DIR            compare (exit 0 if all match)
#   run_golden.sh HYPERSTORE CASE_DIR --update   overwrite the expected files
#
# A case is a folder holding:
#   args             the arguments, one per line
#   stdin            optional: standard input (otherwise /dev/null)
#   expected_stdout, expected_stderr, expected_status   what must come out
#   any input file the arguments name, relative to the case folder (the
#   command runs there, so messages show the short name);
#   reference        optional: true values for check_refs.py;
#   pending          optional: a known library bug; ctest skips the case.
# Use --update only to create a case (make_cases.py writes the inputs); then
# check its numbers with check_refs.py: a golden file must hold true values.
set -u
cli=$1
case_dir=$2
mode=${3:-}

cd "$case_dir" || exit 2
mapfile -t args <args
input=/dev/null
[ -f stdin ] && input=stdin

actual=$(mktemp -d)
trap 'rm -rf "$actual"' EXIT
"$cli" "${args[@]}" <"$input" >"$actual/stdout" 2>"$actual/stderr"
echo $? >"$actual/status"

if [ "$mode" = --update ]; then
    for f in stdout stderr status; do cp "$actual/$f" "expected_$f"; done
    exit 0
fi
status=0
for f in stdout stderr status; do
    diff -u --label "expected $f" --label "actual $f" "expected_$f" "$actual/$f" || status=1
done
exit $status
