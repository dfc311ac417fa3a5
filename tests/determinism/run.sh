#!/usr/bin/env bash
# run.sh — the cross-build determinism test (issue 3, shared/DESIGN.md
# "Determinism"): the geometry core must give the same bits with every
# compiler, optimisation level, CPU and architecture.
#
#   tests/determinism/run.sh [--workdir DIR] [--keep]
#       Builds geom/*.c with golden_gen.c in every variant below, runs each
#       (aarch64 under qemu-user), and compares its output byte for byte with
#       golden/MODEL.txt for MODEL = poincare, lorentz, euclid.  Each variant
#       also builds tests/index/proxy_bits.c with index/proxy.c, whose hash of
#       the index's proxy bits (the order the HNSW graph is built in: hnsw.c
#       departure 2) must equal golden/proxy_bits.txt.  Exit 0 when
#       every build matches; 1 when one differs (the first differing lines are
#       printed with the build that produced them); 2 when it cannot run (a
#       missing compiler, qemu or cross libc: setup.sh installs them all; this
#       test never skips).
#
#   tests/determinism/run.sh --regen
#       Rewrites golden/*.txt from the reference build (host gcc -O2, below).
#       Do this, and commit the new golden files with the change, whenever the
#       numerics change on purpose; then run the test without --regen to see
#       every other build agree.  (While geom/ still calls glibc's
#       exp/log/sinh/cosh, whose x86-64 results depend on the CPU, regenerate
#       on an x86-64 CPU with FMA: those bits are the aarch64 ones.)
#
# Every build uses -std=c11 -ffp-contract=off, as CMakeLists.txt does (clang
# fuses a*b+c into an fma by default, and so does gcc in its default gnu11
# mode wherever the target has fma, aarch64 included: without the flag,
# clang -O3 -march=native changes hundreds of lines of the golden files), and
# compiles the library sources as CMake does (-DHYP_BUILDING_LIBRARY
# -fvisibility=hidden -fPIC); geom/*.c is globbed, so new files join in.
#
# The builds (x86-64 host):
#   gcc-O2            gcc -O2, x86-64 baseline ISA: the reference for golden/
#   gcc-O0            gcc -O0
#   gcc-O2-mfma       gcc -O2 with -mfma on the library, as geom/CMakeLists.txt
#                     does by default (only if this CPU has FMA)
#   gcc-O3-native     gcc -O3 -march=native -DNDEBUG (CMake's Release flags)
#   clang-O0          clang -O0
#   clang-O3-native   clang -O3 -march=native -DNDEBUG
#   gcc-O2-libm-sse2  the gcc-O2 binary run with GLIBC_TUNABLES hiding FMA and
#                     AVX2 from glibc, so that libm's ifuncs pick their SSE2
#                     variants, as on an x86-64 CPU without FMA (only if this
#                     CPU has FMA; otherwise that is what gcc-O2 already runs)
#   aarch64-gcc-O2    aarch64-linux-gnu-gcc -O2, run under qemu-aarch64 with
#                     Debian's arm64 cross libc (-L /usr/aarch64-linux-gnu)
#   aarch64-gcc-O0    the same at -O0
#   aarch64-clang-O3  clang --target=aarch64-linux-gnu -O3 -DNDEBUG, same libc
#
# Takes well under a minute on two cores (the builds run one at a time).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
golden_dir=$here/golden
models=(poincare lorentz euclid)
outputs=("${models[@]}" proxy_bits)
a64_sysroot=/usr/aarch64-linux-gnu

workdir=
keep=0
regen=0
while [ $# -gt 0 ]; do
    case $1 in
    --workdir) workdir=${2:?--workdir needs a directory}; shift 2 ;;
    --keep) keep=1; shift ;;
    --regen) regen=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done

say() { printf 'determinism: %s\n' "$*"; }
die() { printf 'determinism: FAIL: %s\n' "$*" >&2; exit 2; }

# ---- what this host must have -------------------------------------------------

[ "$(uname -m)" = x86_64 ] ||
    die "this test runs on an x86-64 host (it builds for x86-64 and cross-compiles for aarch64); this one is $(uname -m)"
need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 not found: install the Debian package $2 (./setup.sh does)"
}
need gcc gcc
need cmp diffutils
if [ $regen -eq 0 ]; then
    need clang clang
    need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
    need qemu-aarch64 qemu-user
    if [ ! -e "$a64_sysroot/lib/ld-linux-aarch64.so.1" ] || [ ! -e "$a64_sysroot/lib/libm.so.6" ]; then
        die "no arm64 C library in $a64_sysroot: install the Debian package libc6-dev-arm64-cross (./setup.sh does)"
    fi
    for m in "${outputs[@]}"; do
        [ -f "$golden_dir/$m.txt" ] || die "missing golden file $golden_dir/$m.txt (make it with: $0 --regen)"
    done
fi

removed=
if [ -z "$workdir" ]; then
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/hyp-determinism.XXXXXX")
    if [ $keep -eq 0 ]; then
        trap 'rm -rf "$workdir"' EXIT
        removed=" (removed on exit; --keep keeps them)"
    fi
else
    mkdir -p "$workdir"
    rm -rf "${workdir:?}"/build-* "$workdir"/out-* "$workdir"/geom "$workdir"/probe \
        "$workdir"/index "$workdir"/inc
fi

# Every build compiles one snapshot of geom/, taken now: the tree may be edited
# while the test runs, and builds of different sources would differ for no
# platform reason.
mkdir -p "$workdir/geom"
cp "$src"/geom/*.[ch] "$workdir/geom/" 2>/dev/null || die "cannot copy the sources of $src/geom"
shopt -s nullglob
geom_sources=("$workdir"/geom/*.c)
shopt -u nullglob
[ ${#geom_sources[@]} -gt 0 ] || die "no sources in $src/geom"
# proxy_bits: index/proxy.c and the headers it includes; of LMDB only lmdb.h
# (its types; nothing of LMDB is called), copied so that a cross compiler
# does not search the host's include directory.
mkdir -p "$workdir/index" "$workdir/inc"
cp "$src"/index/*.h "$src"/index/proxy.c "$src"/store/*.h "$src"/tests/index/proxy_bits.c \
    "$workdir/index/" && cp /usr/include/lmdb.h "$workdir/inc/" ||
    die "cannot copy index/proxy.c, the store headers or lmdb.h (liblmdb-dev)"

common=(-std=c11 -ffp-contract=off -Wall -Wextra)
lib_only=(-DHYP_BUILDING_LIBRARY -fvisibility=hidden -fPIC)

# build NAME "CC [flags...]" "OPT-FLAGS" "LIB-EXTRA-FLAGS": compiles geom/*.c
# into objects and links golden_gen against them in $workdir/build-NAME.
build() {
    local name=$1 cc=$2 opt=$3 libextra=$4
    local dir=$workdir/build-$name
    mkdir -p "$dir"
    # shellcheck disable=SC2086  # cc, opt and libextra are word lists
    if ! (cd "$dir" &&
          $cc "${common[@]}" $opt "${lib_only[@]}" $libextra -I"$workdir/geom" -c "${geom_sources[@]}" &&
          $cc "${common[@]}" $opt -I"$workdir/geom" -c "$here/golden_gen.c" -o golden_gen.o &&
          $cc $opt -o golden_gen ./*.o -lm &&
          $cc "${common[@]}" $opt -D_POSIX_C_SOURCE=200809L -I"$workdir/index" \
              -I"$workdir/geom" -I"$workdir/inc" "$workdir/index/proxy_bits.c" \
              "$workdir/index/proxy.c" -o proxy_bits -lm) >"$dir/build.log" 2>&1; then
        cat "$dir/build.log" >&2
        return 1
    fi
    # Show warnings, but do not fail on them (the CMake build has -Werror).
    [ -s "$dir/build.log" ] && sed "s/^/  [$name] /" "$dir/build.log" >&2
    return 0
}

# run NAME BINARY-DIR [env/runner...]: writes $workdir/out-NAME/MODEL.txt.
run() {
    local name=$1 bdir=$workdir/build-$2
    shift 2
    local out=$workdir/out-$name m
    mkdir -p "$out"
    for m in "${models[@]}"; do
        if ! "$@" "$bdir/golden_gen" "$m" >"$out/$m.txt" 2>"$out/$m.err"; then
            echo "determinism: $name: golden_gen $m failed:" >&2
            cat "$out/$m.err" >&2
            return 1
        fi
    done
    if ! "$@" "$bdir/proxy_bits" >"$out/proxy_bits.txt" 2>"$out/proxy_bits.err"; then
        echo "determinism: $name: proxy_bits failed:" >&2
        cat "$out/proxy_bits.txt" "$out/proxy_bits.err" >&2
        return 1
    fi
}

if [ $regen -eq 1 ]; then
    build gcc-O2 gcc -O2 "" || die "the reference build failed"
    run gcc-O2 gcc-O2 env || die "the reference build does not run"
    mkdir -p "$golden_dir"
    for m in "${outputs[@]}"; do
        cp "$workdir/out-gcc-O2/$m.txt" "$golden_dir/$m.txt"
        say "wrote $golden_dir/$m.txt ($(wc -l <"$golden_dir/$m.txt") lines, $(tail -n 1 "$golden_dir/$m.txt"))"
    done
    exit 0
fi

# ---- the CPU: FMA for -mfma, and whether GLIBC_TUNABLES can hide it ------------

host_fma=0
grep -qw fma /proc/cpuinfo && host_fma=1
# shellcheck disable=SC2054  # the commas belong to the tunable's value
sse2_env=(env GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4)
if [ $host_fma -eq 1 ]; then
    # glibc's own view of the CPU (sys/platform/x86.h, glibc >= 2.33), with
    # the tunable: it must no longer see FMA, or the libm-sse2 run would
    # silently test the FMA variants again.
    mkdir -p "$workdir/probe"
    cat >"$workdir/probe/probe.c" <<'EOF'
#include <stdio.h>
#include <sys/platform/x86.h>
int main(void)
{
    printf("%d\n", CPU_FEATURE_ACTIVE(FMA) || CPU_FEATURE_ACTIVE(FMA4) || CPU_FEATURE_ACTIVE(AVX2));
    return 0;
}
EOF
    gcc -o "$workdir/probe/probe" "$workdir/probe/probe.c" >"$workdir/probe/log" 2>&1 ||
        { cat "$workdir/probe/log" >&2; die "cannot build the glibc CPU-feature probe"; }
    [ "$("$workdir/probe/probe")" = 1 ] || die "glibc does not report FMA/AVX2 on this FMA CPU"
    [ "$("${sse2_env[@]}" "$workdir/probe/probe")" = 0 ] ||
        die "GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA,-FMA4 did not hide FMA from glibc"
fi

# ---- build and run -------------------------------------------------------------

start=$SECONDS
builds=()   # names, in order
failed_to_build=()
add() { # add NAME CC OPT LIBEXTRA RUNNER...
    local name=$1 cc=$2 opt=$3 libextra=$4
    shift 4
    if build "$name" "$cc" "$opt" "$libextra" && run "$name" "$name" "$@"; then
        builds+=("$name")
    else
        failed_to_build+=("$name")
    fi
}
qemu=(qemu-aarch64 -L "$a64_sysroot")
add gcc-O2 gcc -O2 "" env
add gcc-O0 gcc -O0 "" env
if [ $host_fma -eq 1 ]; then
    add gcc-O2-mfma gcc -O2 -mfma env
fi
add gcc-O3-native gcc "-O3 -march=native -DNDEBUG" "" env
add clang-O0 clang -O0 "" env
add clang-O3-native clang "-O3 -march=native -DNDEBUG" "" env
if [ $host_fma -eq 1 ] && [ -x "$workdir/build-gcc-O2/golden_gen" ]; then
    if run gcc-O2-libm-sse2 gcc-O2 "${sse2_env[@]}"; then
        builds+=(gcc-O2-libm-sse2)
    else
        failed_to_build+=(gcc-O2-libm-sse2)
    fi
fi
add aarch64-gcc-O2 aarch64-linux-gnu-gcc -O2 "" "${qemu[@]}"
add aarch64-gcc-O0 aarch64-linux-gnu-gcc -O0 "" "${qemu[@]}"
add aarch64-clang-O3 "clang --target=aarch64-linux-gnu" "-O3 -DNDEBUG" "" "${qemu[@]}"
[ $host_fma -eq 1 ] ||
    say "note: this CPU has no FMA: gcc-O2-mfma and gcc-O2-libm-sse2 not built (gcc-O2 itself runs libm's SSE2 variants)"

# ---- compare -------------------------------------------------------------------

# first_diffs GOLDEN OUTPUT NAME: the first differing lines, side by side.
first_diffs() {
    awk -v name="$3" -v max=6 '
        FNR == NR {
            if ($1 == "@") section = $2 " " $3
            g[FNR] = $0; sec[FNR] = section; ng = FNR; next
        }
        {
            n = FNR
            if (!(n in g) || g[n] != $0) {
                if (shown < max) {
                    printf "    line %d (%s)\n      golden: %s\n      %s: %s\n", n,
                           (n in g) ? sec[n] : "past the end", (n in g) ? g[n] : "<end of file>",
                           name, $0
                    if ($1 == "in")
                        print "      (a generator input: golden_gen.c itself is not portable)"
                }
                shown++
            }
        }
        END {
            if (FNR < ng && shown < max)
                printf "    line %d\n      golden: %s\n      %s: <end of file>\n", FNR + 1, g[FNR + 1], name
            printf "    %d line(s) differ (golden %d lines, %s %d)\n", shown + (FNR < ng ? ng - FNR : 0), ng, name, FNR
        }' "$1" "$2"
}

passed=0
failed=0
declare -A status
for name in "${builds[@]}"; do
    bad=()
    for m in "${outputs[@]}"; do
        if ! cmp -s "$golden_dir/$m.txt" "$workdir/out-$name/$m.txt"; then
            bad+=("$m")
            echo "determinism: MISMATCH: build $name, model $m differs from golden/$m.txt:"
            first_diffs "$golden_dir/$m.txt" "$workdir/out-$name/$m.txt" "$name"
        fi
    done
    if [ ${#bad[@]} -eq 0 ]; then
        status[$name]="identical"
        passed=$((passed + 1))
    else
        # Also against this run's reference build: tells a platform
        # difference from a golden file that is out of date.
        same_ref=yes
        for m in "${outputs[@]}"; do
            cmp -s "$workdir/out-gcc-O2/$m.txt" "$workdir/out-$name/$m.txt" 2>/dev/null || same_ref=no
        done
        if [ "$name" = gcc-O2 ]; then
            status[$name]="DIFFERS (${bad[*]}): the reference build; if the numerics changed on purpose, run $0 --regen"
        elif [ $same_ref = yes ]; then
            status[$name]="DIFFERS (${bad[*]}) from golden, same bits as gcc-O2"
        else
            status[$name]="DIFFERS (${bad[*]}) from golden and from gcc-O2"
        fi
        failed=$((failed + 1))
    fi
done
for name in "${failed_to_build[@]}"; do
    status[$name]="FAILED TO BUILD OR RUN"
    failed=$((failed + 1))
done

echo
say "builds compared with $golden_dir (reference: gcc-O2):"
for name in "${builds[@]}" "${failed_to_build[@]}"; do
    printf '  %-18s %s\n' "$name" "${status[$name]}"
done
say "$((SECONDS - start)) s; work files in $workdir$removed"
echo "determinism: $passed passed, $failed failed"
[ $failed -eq 0 ]
