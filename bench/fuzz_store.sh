#!/usr/bin/env bash
# fuzz_store.sh — builds the libFuzzer harness of the import parsers
# (tests/store/fuzz/fuzz_fmt.c) with clang, ASan and UBSan, and runs it.
#
#   bench/fuzz_store.sh [SECONDS]      default 60; CI does not run this
#
# Crashes land in build-fuzz/ as crash-*; rerun one with
#   build-fuzz/fuzz_fmt build-fuzz/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
out=build-fuzz
mkdir -p "$out/corpus"
cp -n tests/store/fuzz/corpus/* "$out/corpus/" 2>/dev/null || true
clang -std=c11 -g -O1 -ffp-contract=off -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all -Itools -Igeom \
    tests/store/fuzz/fuzz_fmt.c tools/fmt.c tools/fmt_text.c tools/fmt_npy.c tools/coords.c \
    -o "$out/fuzz_fmt"
"$out/fuzz_fmt" -max_total_time="$secs" -max_len=4096 -artifact_prefix="$out/" "$out/corpus"
