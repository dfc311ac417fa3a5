#!/usr/bin/env bash
# ab_import.sh — the import alone, two (or more) CLIs alternating, on the
# same input: each round imports into a fresh store with every CLI in turn,
# then prints per CLI the median wall time (with the list) and the median
# user + sys time.  The machines are shared: compare medians of one run.
#
#   bench/ab_import.sh ROUNDS POINTS.npy LABELS.txt NAME=CLI [NAME=CLI ...]
#
# Inputs: e.g. `build/bench/bench_store build/tools/hyperstore --points
# 1000000 --dim 10 --dir DIR --keep` leaves DIR/points.npy and
# DIR/labels.txt (Poincaré, dimension 10).
set -eu
rounds=$1 npy=$2 labels=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in $(seq "$rounds"); do
    for spec in "$@"; do
        name=${spec%%=*} cli=${spec#*=}
        rm -rf "$work/st" && "$cli" init "$work/st" --model poincare --dim 10 >/dev/null
        /usr/bin/time -f "$name %e %U %S" -a -o "$work/times" \
            "$cli" import "$work/st" "$npy" --labels "$labels" >/dev/null
    done
done
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
for spec in "$@"; do
    name=${spec%%=*}
    walls=$(awk -v n="$name" '$1 == n {print $2}' "$work/times" | sort -n | tr '\n' ' ')
    wall=$(awk -v n="$name" '$1 == n {print $2}' "$work/times" | median)
    cpu=$(awk -v n="$name" '$1 == n {print $3 + $4}' "$work/times" | median)
    echo "$name: wall median $wall s [$walls], user+sys median $cpu s"
done
