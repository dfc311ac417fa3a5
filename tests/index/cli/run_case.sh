#!/usr/bin/env bash
# run_case.sh — one golden case of the index commands (knn, parent,
# ancestors, descendants, within, index, info), the layout of
# tests/cli/cases plus a store built first:
#
#   run_case.sh HYPERSTORE CASE_DIR            compare (exit 0 if all match)
#   run_case.sh HYPERSTORE CASE_DIR --update   write the expected files
#
# HYPERSTORE must be an absolute path (the case runs in a scratch copy).
# A case folder holds:
#   setup      optional: hyperstore commands run first, one per line,
#              arguments separated by spaces (each must exit 0); the files
#              of common/ (points.tsv) and of the case are in the directory
#   args       the command under test, one argument per line
#   writes     optional: the command may change the store (`index` itself);
#              otherwise the store `s`, if setup made one, must have the
#              same state hash and index info afterwards: no query writes
#   select     optional: an extended regular expression; only the parts of
#              stdout matching it (grep -o) are compared (for `info`, whose
#              other fields belong to the store and change with its format)
#   expected_stdout, expected_stderr, expected_status
set -u
cli=$1
case_dir=$(cd "$2" && pwd) || exit 2
mode=${3:-}
common=$(cd "$(dirname "$0")/common" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$common"/. "$work"/
cp -R "$case_dir"/. "$work"/
cd "$work" || exit 2

if [ -f setup ]; then
    while read -r -a line; do
        [ ${#line[@]} -eq 0 ] && continue
        if ! "$cli" "${line[@]}" >/dev/null 2>setup.err; then
            echo "setup failed: hyperstore ${line[*]}"
            cat setup.err
            exit 1
        fi
    done <setup
fi
# What the store is before the query: state hash and the index's record.
snapshot() {
    [ -d s ] || return 0
    "$cli" hash s 2>&1
    "$cli" index s --info 2>&1
}
before=$(snapshot)

mapfile -t args <args
"$cli" "${args[@]}" </dev/null >actual_stdout 2>actual_stderr
echo $? >actual_status
if [ -f select ]; then
    grep -oE -- "$(cat select)" actual_stdout >actual_selected
    mv actual_selected actual_stdout
fi

if [ "$mode" = --update ]; then
    for f in stdout stderr status; do cp "actual_$f" "$case_dir/expected_$f"; done
    exit 0
fi
status=0
for f in stdout stderr status; do
    diff -u --label "expected $f" --label "actual $f" "$case_dir/expected_$f" "actual_$f" ||
        status=1
done
if [ ! -f writes ]; then
    after=$(snapshot)
    if [ "$before" != "$after" ]; then
        echo "the store changed:"
        diff <(echo "$before") <(echo "$after")
        status=1
    fi
fi
exit $status
