#!/usr/bin/env bash
# setup.sh — install what the build needs, then build, test or demo.
#
#   ./setup.sh demo      Release build in build/, embed the bundled mammal
#                        hierarchy in a store and answer queries from it
#   ./setup.sh test      build in build/ with -Werror, run every test
#   ./setup.sh sanitize  the same in build-asan/ with ASan + UBSan
#
# Safe to run again: packages already installed are left alone and the build
# directories are reused.  Debian/Ubuntu only (apt-get).
set -euo pipefail
cd "$(dirname "$0")"

# Build tools and libraries: GSL, LMDB, cmocka (unit tests), MPFR (the test
# oracle); python3 checks the CLI golden files against reference values;
# clang, the arm64 cross compiler and libc, and qemu-user are for the
# cross-build determinism test (tests/determinism/run.sh); libsodium gives
# the store's state hash (BLAKE2b); python3-numpy writes the .npy inputs of
# tests/store/cli_store.sh; libclang-rt-dev is clang's libFuzzer (only
# recommended by clang, so --no-install-recommends leaves it out) for the
# fuzz harnesses (bench/fuzz.sh, ctest store_fuzz).
packages=(gcc make libc6-dev cmake pkg-config python3
          libgsl-dev liblmdb-dev libcmocka-dev libmpfr-dev
          clang libclang-rt-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
          libsodium-dev python3-numpy)

say() { printf 'setup.sh: %s\n' "$*"; }

install_deps() {
    local missing=() p
    for p in "${packages[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { say "need root or sudo to install: ${missing[*]}"; exit 1; }
        sudo=(sudo)
    fi
    say "installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# configure DIR [cmake options...]
configure() {
    local dir=$1
    shift
    cmake -S . -B "$dir" --log-level=WARNING -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
}

build() {
    cmake --build "$1" -j2
}

run_tests() {
    local dir=$1
    shift
    ctest --test-dir "$dir" --output-on-failure -j2 "$@"
}

demo() {
    configure build -DHYP_WERROR=OFF -DHYP_SANITIZE=OFF
    build build >/dev/null
    local h=build/tools/hyperstore edges=tools/examples/mammals.tsv store=build/demo-mammals
    rm -rf "$store"
    say "embedding the WordNet mammal hierarchy ($edges) in a store:"
    (set -x; "$h" embed "$edges" "$store" --dim 10 --model lorentz)
    (set -x; "$h" eval "$store" "$edges")
    (set -x; "$h" index "$store")
    say "the 5 nearest neighbours of dog.n.01, and its closest more general points:"
    (set -x; "$h" knn "$store" dog.n.01 -k 5)
    (set -x; "$h" parent "$store" dog.n.01 -k 3)
}

case "${1:-}" in
demo)
    install_deps
    demo
    ;;
test)
    install_deps
    configure build -DHYP_WERROR=ON -DHYP_SANITIZE=OFF
    build build
    run_tests build
    ;;
sanitize)
    install_deps
    configure build-asan -DHYP_WERROR=ON -DHYP_SANITIZE=ON
    build build-asan
    # The cross-build determinism test and the fuzzers build their own trees
    # (the fuzzers with ASan + UBSan already): the test pass has run them.
    run_tests build-asan -E '^(determinism_cross_build|store_fuzz)$'
    ;;
*)
    echo "usage: ./setup.sh demo|test|sanitize" >&2
    exit 2
    ;;
esac
