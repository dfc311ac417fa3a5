#!/usr/bin/env bash
# fuzz.sh — builds the libFuzzer harnesses of tests/store/fuzz/ (one per
# parser of untrusted input: import formats, edge files, CLI coordinates,
# log records, op streams, metadata, index state, fixed-point points and
# their exact text) with
# clang, ASan and UBSan, and runs each in turn for SECONDS.
#
#   bench/fuzz.sh [--build-dir DIR] [SECONDS] [NAME...]
#       SECONDS  per harness, default 60; NAME: fmt hier coords log ops meta
#                ixstate fixed fixtext (default: all).  DIR defaults to build-fuzz.
#
# New corpus entries go to DIR/corpus-NAME (the seeds in
# tests/store/fuzz/corpus-NAME are read, never written); a crash, leak or
# hang leaves DIR/NAME-crash-* (-leak-, -timeout-, -oom-) and the run's log
# DIR/fuzz-NAME.log.  Rerun one input with
#   DIR/tests/store/fuzz/fuzz_NAME DIR/NAME-crash-...
# Exit status: 0 all clean, 1 something was found, 77 no clang with
# libFuzzer here (ctest counts that as skipped: tests/store/CMakeLists.txt
# runs this for a few seconds per harness).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$src/build-fuzz
if [ "${1:-}" = "--build-dir" ]; then
    out=$2
    shift 2
fi
secs=${1:-60}
[ $# -gt 0 ] && shift
names=("$@")
[ ${#names[@]} -eq 0 ] && names=(fmt hier coords log ops meta ixstate fixed fixtext)

mkdir -p "$out"
out=$(cd "$out" && pwd)

# libFuzzer ships apart from clang on Debian (libclang-rt-*-dev, only
# recommended): try it on an empty harness before building anything.
probe=$out/probe.c
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$probe"
if ! command -v clang >/dev/null ||
   ! clang -fsanitize=fuzzer,address,undefined "$probe" -o "$out/probe" >/dev/null 2>&1; then
    echo "fuzz.sh: skipped: no clang with libFuzzer (Debian: apt-get install clang libclang-rt-dev)"
    exit 77
fi

cmake -S "$src" -B "$out" --log-level=WARNING -DCMAKE_C_COMPILER=clang \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHYP_BUILD_FUZZERS=ON -DBUILD_TESTING=OFF \
      -DHYP_BUILD_BENCH=OFF >/dev/null
cmake --build "$out" -j2 --target fuzzers >/dev/null

found=0
for name in "${names[@]}"; do
    bin=$out/tests/store/fuzz/fuzz_$name
    seeds=$src/tests/store/fuzz/corpus-$name
    log=$out/fuzz-$name.log
    mkdir -p "$out/corpus-$name"
    rm -f "$out/$name"-{crash,leak,timeout,oom,slow-unit}-*
    # -timeout: an input running 10 s is a hang, reported like a crash.
    # -error_exitcode: libFuzzer's default, 77, is ctest's "skipped".
    status=0
    "$bin" -max_total_time="$secs" -max_len=4096 -timeout=10 -error_exitcode=2 -print_final_stats=1 \
           -artifact_prefix="$out/$name-" "$out/corpus-$name" "$seeds" >"$log" 2>&1 ||
        status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    corpus=$(ls "$out/corpus-$name" | wc -l)
    if [ "$status" -eq 0 ]; then
        printf 'fuzz %-8s %10s execs in %ss, corpus %s: clean\n' "$name" "${execs:-?}" "$secs" "$corpus"
    else
        found=1
        printf 'fuzz %-8s FAILED (exit %s) after %s execs: %s\n' "$name" "$status" "${execs:-?}" \
               "$(ls "$out/$name"-{crash,leak,timeout,oom}-* 2>/dev/null | tr '\n' ' ')"
        grep -m 3 -E 'ERROR|SUMMARY|runtime error' "$log" | sed 's/^/    /' || true
    fi
done
exit $found
