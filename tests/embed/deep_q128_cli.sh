#!/usr/bin/env bash
# deep_q128_cli.sh — the depth-59 tree of test_embed_fixed.c end to end
# through the CLI and a store: `embed --repr q128` writes the exact words
# (hyp_batch_put_raw), `eval` reads them back and measures them on the
# words; binary64 refuses the tree and writes nothing.
#
#   deep_q128_cli.sh HYPERSTORE
set -u
H=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 2
fail() { echo "FAIL: $*" >&2; exit 1; }

# p00 <- p01 <- ... <- p59, and a leaf s<i> beside each p<i>.
for i in $(seq 1 59); do
    printf 'p%02d\tp%02d\ns%02d\tp%02d\n' "$i" $((i - 1)) "$i" $((i - 1))
done >tree.tsv

# A number from eval's JSON: json FIELD FILE (nested names as "avg" etc.).
json() { grep -o "\"$1\": [-0-9.e+]*" "$2" | head -1 | sed 's/.*: //'; }

# Caps into a Poincaré q128 store: MAP 1, mean rank 1.
"$H" embed tree.tsv caps --repr q128 || fail "embed caps q128"
"$H" info caps | grep -q '^representation  q128$' || fail "store is not q128"
"$H" eval caps tree.tsv --json --no-time >caps.json || fail "eval caps"
[ "$(json map caps.json)" = 1 ] || fail "caps MAP $(json map caps.json), expected 1"
[ "$(json mean_rank caps.json)" = 1 ] || fail "caps mean rank $(json mean_rank caps.json)"
[ "$(json queries caps.json)" = 118 ] || fail "caps queries"

# The same words through a TSV (exact decimals) give the same figures.
"$H" embed tree.tsv caps.tsv --repr q128 || fail "embed caps q128 tsv"
"$H" eval caps.tsv tree.tsv --repr q128 --json --no-time >tsv.json || fail "eval tsv"
cmp -s caps.json tsv.json || fail "TSV and store figures differ: $(cat tsv.json)"

# Sarkar into q128: low distortion (tau 1.40).
"$H" embed tree.tsv sarkar --repr q128 --method sarkar || fail "embed sarkar q128"
"$H" eval sarkar tree.tsv --json --no-time >sarkar.json || fail "eval sarkar"
awk -v a="$(json avg sarkar.json)" -v w="$(json worst sarkar.json)" \
    'BEGIN { exit !(a < 0.12 && w < 2) }' ||
    fail "sarkar q128 distortion avg $(json avg sarkar.json) worst $(json worst sarkar.json)"

# Binary64: caps is refused (status 1, the reason, no store written) ...
"$H" embed tree.tsv f64 2>err.txt
st=$?
[ $st = 1 ] || fail "binary64 caps: status $st, expected 1"
grep -q 'beyond the 32.0 that poincare binary64 allows (depth 59); try --repr q128' err.txt ||
    fail "binary64 caps message: $(cat err.txt)"
[ ! -e f64 ] || fail "a refused embed wrote f64"
# ... and Sarkar, squeezed into radius 32 (tau 0.54), fails visibly.
"$H" embed tree.tsv sarkar64 --method sarkar || fail "embed sarkar f64"
"$H" eval sarkar64 tree.tsv --json --no-time >sarkar64.json || fail "eval sarkar f64"
awk -v a="$(json avg sarkar64.json)" -v w="$(json worst sarkar64.json)" \
    'BEGIN { exit !(a > 0.5 && w > 100) }' ||
    fail "sarkar f64 did not fail: avg $(json avg sarkar64.json) worst $(json worst sarkar64.json)"
echo "ok: caps q128 MAP 1; sarkar q128 avg $(json avg sarkar.json) worst $(json worst sarkar.json);" \
     "f64 caps refused; sarkar f64 avg $(json avg sarkar64.json) worst $(json worst sarkar64.json)"
