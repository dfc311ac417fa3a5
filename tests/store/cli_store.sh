#!/usr/bin/env bash
# cli_store.sh — the store commands end to end, on real files and stores:
#   bash cli_store.sh HYPERSTORE DATA_DIR
# Every check prints what failed; the script exits 1 if any did.
# Python (with numpy) writes .npy inputs and checks values independently.
set -u
H=$1
DATA=$2
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 2
PY=
for p in /usr/bin/python3 python3; do
    if "$p" -c 'import numpy' 2>/dev/null; then PY=$p; break; fi
done
fails=0
passes=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { passes=$((passes + 1)); }
# expect STATUS CMD...: runs CMD, checks its exit status
expect() {
    local want=$1; shift
    "$@" >out.txt 2>err.txt
    local got=$?
    if [ "$got" -ne "$want" ]; then
        fail "'$*' exited $got, expected $want"; sed 's/^/  | /' err.txt | head -5
    else ok; fi
}
# has FILE TEXT: FILE contains TEXT literally
has() { if grep -qF -- "$2" "$1"; then ok; else fail "$1 lacks '$2'"; sed 's/^/  | /' "$1" | head -8; fi; }
same() { if [ "$1" = "$2" ]; then ok; else fail "$3: '$1' != '$2'"; fi; }

# ---- a small store, TSV in, every command ----
expect 0 "$H" init s --model poincare --dim 2 --log full
printf '# a comment\nlabel\tx\ty\nanimal\t0\t0\nmammal\t0.3\t0\n\ndog\t0.6\t0.1\ncat\t0x1.3333333333333p-1\t-0.1\n' >p.tsv
expect 0 "$H" import s p.tsv
has out.txt "imported 4 points from p.tsv"
printf 'mammal\tanimal\ndog\tmammal\ncat\tmammal\ndog\tanimal\n' >e.tsv
expect 0 "$H" edges s e.tsv
expect 0 "$H" hash s
# The pinned hash of this content, computed by pinned_hash.py from the spec
# (cat's x is 0.6 written in hex).
same "$(cat out.txt)" "8fdc27d939fce1835710744c5b6445541b1257bae0e7a3e311277569c3c3d791" "state hash"
h0=$(cat out.txt)
expect 0 "$H" get s dog
has out.txt $'point\t0.59999999999999998,0.10000000000000001'
has out.txt $'parent\tmammal'
has out.txt $'parent\tanimal'
expect 1 "$H" get s wolf
has err.txt 'no point labelled "wolf"'

# ---- bad records: each reported as FILE:LINE, nothing written ----
{
    printf 'ok1\t0.1\t0.1\n'
    printf 'outside\t0.9\t0.9\n'
    printf 'short\t0.1\n'
    printf 'nan\tnan\t0\n'
    printf 'dog\t0.2\t0.2\n'
    printf '\xc3\x28\t0.1\t0\n'
    printf 'junk\t0.1x\t0\n'
    printf 'comma\t0.1,0.2\n'
    printf 'notab 0.1 0.2\n'
    printf 'ok2\t0.2\t0.1\n'
    printf 'ok1\t0.3\t0.3\n'
    printf 'big\t1e999\t0\n'
    printf 'boundary\t1\t0\n'
} >bad.tsv
"$PY" -c "import sys; sys.stdout.write('long\t' + '0,' * 600000 + '0\n')" >>bad.tsv
expect 1 "$H" import s bad.tsv
for want in "bad.tsv:2: point outside the Poincare ball" "bad.tsv:3: expected 2 coordinates, found 1" \
    "bad.tsv:4: coordinate 1 is NaN" 'bad.tsv:5: duplicate label "dog"' \
    'bad.tsv:6: label "\xc3(": label is not valid UTF-8' 'bad.tsv:7: coordinate 1 has junk after the number' \
    "bad.tsv:8: a ',' among the coordinates" "bad.tsv:9: no TAB after the label" \
    'bad.tsv:11: duplicate label "ok1"' "bad.tsv:12: coordinate 1 is out of range" \
    "bad.tsv:13: point on the boundary" "bad.tsv:14: line longer than 1048576 bytes" \
    "12 bad records: nothing imported"; do
    has err.txt "$want"
done
expect 0 "$H" hash s
same "$(cat out.txt)" "$h0" "hash after a rejected import"
# --skip-bad imports the two good ones; --upsert turns the duplicates into replacements
expect 1 "$H" import s bad.tsv --skip-bad
has out.txt "imported 2 points from bad.tsv, skipped 12 bad records"
expect 1 "$H" import s bad.tsv --skip-bad --upsert
has out.txt "imported 4 points from bad.tsv, skipped 10 bad records"
expect 0 "$H" get s dog
has out.txt $'point\t0.20000000000000001,0.20000000000000001'
expect 0 "$H" verify s
has out.txt "ok: 6 points, 4 edges, log at 4"

# ---- edges: unknown labels and cycles, atomically ----
printf 'dog\twolf\nanimal\tdog\n# c\ndog\tdog\nx\ty\tz\n' >bad_edges.tsv
expect 1 "$H" edges s bad_edges.tsv
has err.txt 'bad_edges.tsv:1: no point labelled "wolf"'
has err.txt 'bad_edges.tsv:2: edge "animal" -> "dog" would make a cycle'
has err.txt 'bad_edges.tsv:4: edge "dog" -> "dog" would make a cycle'
has err.txt 'bad_edges.tsv:5: expected CHILD<TAB>PARENT'

# ---- log, snapshot, replay ----
expect 0 "$H" log s
same "$(wc -l <out.txt)" "4" "log lines"
has out.txt $'2\tpoints +0 ~0 -0\tedges +4 -0\t4 points\t8fdc27d939fce1835710744c5b6445541b1257bae0e7a3e311277569c3c3d791\tedges e.tsv'
expect 0 "$H" hash s
hs=$(cat out.txt)
expect 0 "$H" snapshot s snap
has out.txt "$hs"
expect 0 "$H" hash snap
same "$(cat out.txt)" "$hs" "snapshot hash"
expect 0 "$H" replay s rep --to 2
has out.txt "8fdc27d939fce1835710744c5b6445541b1257bae0e7a3e311277569c3c3d791"
expect 0 "$H" verify rep
expect 0 "$H" replay s rep4
expect 0 "$H" hash rep4
same "$(cat out.txt)" "$hs" "replayed hash"
expect 2 "$H" replay s rep5 --to 0
expect 0 "$H" info s --json
if [ -n "$PY" ]; then
    "$PY" -c 'import json,sys; d=json.load(open("out.txt")); assert d["points"]==6 and d["edges"]==4 and d["sequence"]==4 and d["model"]=="poincare" and d["log"]=="full", d' && ok || fail "info --json"
fi

# ---- export / import round trips, bit for bit, in every text format ----
for fmt in tsv csv w2v; do
    for hex in "" --hex; do
        expect 0 "$H" export s --format $fmt $hex --output x.$fmt
        rm -rf rt
        expect 0 "$H" init rt --model poincare --dim 2
        expect 0 "$H" import rt x.$fmt --format $fmt
        "$H" export rt --format $fmt $hex >y.$fmt
        if cmp -s x.$fmt y.$fmt; then ok; else fail "export $fmt $hex is not stable"; fi
    done
done
# points only (export has no edges): compare with the store minus its edges
"$H" snapshot s noedges >/dev/null
cut -f1,2 e.tsv >e2.tsv
expect 0 "$H" edges noedges e2.tsv --delete
expect 0 "$H" hash noedges
hn=$(cat out.txt)
expect 0 "$H" hash rt
same "$(cat out.txt)" "$hn" "round-trip hash"
# CSV quoting of awkward labels
expect 0 "$H" init q --model euclid --dim 1
printf 'label,v\n"a,b",1\n"say ""hi""",2\n"#not a comment",3\nplain,4\n' >q.csv
expect 0 "$H" import q q.csv
expect 0 "$H" export q --format csv --output q2.csv
has q2.csv '"a,b",1'
has q2.csv '"say ""hi""",2'
has q2.csv '"#not a comment",3'
expect 1 "$H" export q --format tsv
has err.txt 'label "#not a comment" cannot be written as TSV'

# ---- word2vec written by gensim itself ----
expect 0 "$H" init g --model poincare --dim 5
expect 0 "$H" import g "$DATA/gensim_poincare.w2v"
has out.txt "imported 15 points"
expect 0 "$H" edges g "$DATA/gensim_edges.tsv"
expect 0 "$H" verify g
"$H" export g --format tsv >g.tsv
if [ -n "$PY" ]; then
    "$PY" - "$DATA/gensim_expected.tsv" g.tsv <<'PYEOF' && ok || fail "gensim values"
import sys
want = {l.split('\t')[0]: [float(x) for x in l.rstrip('\n').split('\t')[1:]] for l in open(sys.argv[1])}
got = {l.split('\t')[0]: [float(x) for x in l.rstrip('\n').split('\t')[1:]] for l in open(sys.argv[2])}
assert want.keys() == got.keys(), (want.keys(), got.keys())
for k in want:
    assert want[k] == got[k], (k, want[k], got[k])   # exact: the same doubles
PYEOF
fi
# a wrong header and a count that does not match
printf '2 3\na 0.1 0.1 0.1\n' >w_bad_dim.w2v
expect 1 "$H" import g w_bad_dim.w2v
has err.txt "w_bad_dim.w2v:1: the header says 3 coordinates per vector, expected 5"
printf '3 5\na 0.1 0.1 0.1 0.1 0.1 \nb 0.1 0.1 0.1 0.1 0.1\n' >w_count.w2v
expect 1 "$H" import g w_count.w2v
has err.txt "w_count.w2v:1: the header announces 3 vectors, the file has 2"

# ---- .npy: float64 and float32, both byte orders, and the bad ones ----
if [ -n "$PY" ]; then
    "$PY" - <<'PYEOF'
import numpy as np
rng = np.random.default_rng(5)
x = (rng.random((50, 3)) - 0.5) * 0.5
np.save('f8.npy', x)
np.save('f4.npy', x.astype('<f4'))
np.save('f8be.npy', x.astype('>f8'))
np.save('f4be.npy', x.astype('>f4'))
np.save('fortran.npy', np.asfortranarray(x))
np.save('int.npy', (x * 100).astype('<i4'))
np.save('three.npy', x.reshape(50, 3, 1))
np.save('cols.npy', x[:, :2])
with open('labels.txt', 'w') as f:
    f.write(''.join('n%d\n' % i for i in range(50)))
with open('labels49.txt', 'w') as f:
    f.write(''.join('n%d\n' % i for i in range(49)))
with open('labels51.txt', 'w') as f:
    f.write(''.join('n%d\n' % i for i in range(51)))
data = open('f8.npy', 'rb').read()
open('trunc.npy', 'wb').write(data[:-20])
open('f8.tsv', 'w').write(''.join('n%d\t%s\n' % (i, '\t'.join(repr(float(v)) for v in row)) for i, row in enumerate(x)))
open('f4.tsv', 'w').write(''.join('n%d\t%s\n' % (i, '\t'.join(repr(float(v)) for v in row)) for i, row in enumerate(x.astype('<f4'))))
bad = x.copy(); bad[7, 1] = np.nan; bad[9] = [0.9, 0.9, 0.9]
np.save('badrows.npy', bad)
PYEOF
    for f in f8 f4 f8be f4be; do
        rm -rf n_$f t_$f
        expect 0 "$H" init n_$f --model poincare --dim 3
        expect 0 "$H" import n_$f $f.npy --labels labels.txt
        expect 0 "$H" init t_$f --model poincare --dim 3
        base=${f%be}
        expect 0 "$H" import t_$f $base.tsv
        expect 0 "$H" hash n_$f; a=$(cat out.txt)
        expect 0 "$H" hash t_$f; b=$(cat out.txt)
        same "$a" "$b" ".npy $f equals its decimal text"
    done
    expect 0 "$H" init n --model poincare --dim 3
    expect 1 "$H" import n fortran.npy --labels labels.txt
    has err.txt "Fortran-order array"
    expect 1 "$H" import n int.npy --labels labels.txt
    has err.txt "wrong dtype '<i4'"
    expect 1 "$H" import n three.npy --labels labels.txt
    has err.txt "the array has 3 dimensions, expected 2"
    expect 1 "$H" import n cols.npy --labels labels.txt
    has err.txt "rows have 2 coordinates, expected 3"
    expect 1 "$H" import n trunc.npy --labels labels.txt
    has err.txt "trunc.npy: row 49: truncated: row 49 is incomplete (the header announces 50 rows)"
    expect 1 "$H" import n f8.npy --labels labels49.txt
    has err.txt "f8.npy: row 49: labels49.txt has no label for this row"
    expect 1 "$H" import n f8.npy --labels labels51.txt
    has err.txt "labels51.txt:51: more labels than the 50 rows of f8.npy"
    expect 1 "$H" import n badrows.npy --labels labels.txt
    has err.txt "badrows.npy: row 7: coordinate 2 is NaN"
    has err.txt "badrows.npy: row 9: point outside the Poincare ball"
    expect 1 "$H" import n p.tsv --format npy --labels labels.txt
    has err.txt "not a .npy file"
    expect 2 "$H" import n f8.npy
    expect 0 "$H" info n --json
    "$PY" -c 'import json; assert json.load(open("out.txt"))["points"] == 0' && ok || fail "atomic .npy imports"
fi

# ---- .npy larger than the read-ahead's chunks (4096 records): bad records
# far in, reported in order, nothing written; the same content through a
# pipe (read on the main thread) and as text gives the same state hash ----
if [ -n "$PY" ]; then
    "$PY" - <<'PYEOF'
import numpy as np
rng = np.random.default_rng(7)
x = (rng.random((20000, 3)) - 0.5) * 0.5
np.save('big.npy', x)
labels = ['b%d' % i for i in range(20000)]
open('big.txt', 'w').write(''.join(l + '\n' for l in labels))
open('big.tsv', 'w').write(''.join('%s\t%s\n' % (l, '\t'.join(repr(float(v)) for v in row)) for l, row in zip(labels, x)))
bad = x.copy(); bad[15000, 0] = np.nan
np.save('bigbad.npy', bad)
labels[19000] = 'b3'
open('bigdup.txt', 'w').write(''.join(l + '\n' for l in labels))
PYEOF
    expect 0 "$H" init bg --model poincare --dim 3
    expect 1 "$H" import bg bigbad.npy --labels bigdup.txt
    has err.txt "bigbad.npy: row 15000: coordinate 1 is NaN"
    has err.txt 'bigbad.npy: row 19000: duplicate label "b3"'
    has err.txt "2 bad records: nothing imported"
    same "$(grep -n 'row 15000' err.txt | cut -d: -f1),$(grep -n 'row 19000' err.txt | cut -d: -f1)" "1,2" "bad records in input order"
    expect 0 "$H" info bg --json
    "$PY" -c 'import json; assert json.load(open("out.txt"))["points"] == 0' && ok || fail "atomic large .npy import"
    expect 1 "$H" import bg bigbad.npy --labels bigdup.txt --batch-size 1000
    has err.txt "the 15 batches of 1000 records committed before it stay"
    expect 0 "$H" info bg --json
    "$PY" -c 'import json; assert json.load(open("out.txt"))["points"] == 15000' && ok || fail "--batch-size stops at the bad record"
    expect 0 "$H" init bs --model poincare --dim 3
    expect 1 "$H" import bs bigbad.npy --labels bigdup.txt --skip-bad
    has out.txt "imported 19998 points from bigbad.npy, skipped 2 bad records"
    for how in file pipe text; do
        rm -rf b_$how
        expect 0 "$H" init b_$how --model poincare --dim 3
        case $how in
        file) expect 0 "$H" import b_$how big.npy --labels big.txt ;;
        pipe) cat big.npy | "$H" import b_$how - --format npy --labels big.txt >out.txt 2>err.txt \
                  && ok || fail "import from a pipe" ;;
        text) expect 0 "$H" import b_$how big.tsv ;;
        esac
        expect 0 "$H" hash b_$how; eval "hash_$how=\$(cat out.txt)"
    done
    same "$hash_file" "$hash_pipe" "a large .npy read ahead and from a pipe"
    same "$hash_file" "$hash_text" "a large .npy and its text"
    expect 0 "$H" verify b_file
fi

# ---- --from-model: Lorentz input into a Poincare store, as `convert` does ----
expect 0 "$H" init pl --model poincare --dim 2
printf 'a\t1.25\t0.75\t0\nb\t1\t0\t0\n' >lor.tsv
expect 0 "$H" import pl lor.tsv --from-model lorentz
expect 0 "$H" get pl a
has out.txt $'point\t0.33333333333333331,0'
expect 0 "$H" init pe --model euclid --dim 2
expect 0 "$H" import pe lor.tsv --from-model lorentz
printf 'c\t0.999999999\t0\n' >far.tsv
expect 0 "$H" import pe far.tsv --from-model poincare

# ---- fixed-point stores: exact text in and out, deeper than binary64 ----
expect 0 "$H" init fq --model poincare --dim 2 --repr q128 --log full
# 1 - 1e-26 rounds to 1 in binary64 (radius ~60 is beyond binary64 Poincare).
printf 'a\t0.5\t0.25\nb\t0.1\t-0.3\ndeep\t0.99999999999999999999999999\t0\nhx\t0x1p-3\t-0x1.8p-2\nbad\t0.8\t0.8\n' >q.tsv
expect 1 "$H" import fq q.tsv
has err.txt 'q.tsv:5: point outside the Poincare ball'
expect 1 "$H" import fq q.tsv --skip-bad
expect 0 "$H" verify fq
expect 0 "$H" info fq
has out.txt 'q128'
expect 0 "$H" export fq --output qe.tsv
expect 0 "$H" get fq deep
has out.txt $'point\t0.9999999999999999999999999899999999999982,0'
if [ -n "$PY" ]; then
    # Independently: each exported decimal is the input rounded to the
    # nearest multiple of 2^-127, to within 2^-127 / 20.
    if "$PY" - q.tsv qe.tsv <<'PYEOF'
import sys
from fractions import Fraction as Fr
def rows(path):
    out = {}
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        out[f[0]] = [Fr(float.fromhex(c)) if c.startswith(('0x', '-0x')) else Fr(c) for c in f[1:]]
    return out
src, exp = rows(sys.argv[1]), rows(sys.argv[2])
unit = Fr(1, 2 ** 127)
for label, xs in exp.items():
    for x, v in zip(xs, src[label]):
        k = round(v / unit)          # Python rounds half to even
        assert abs(x - k * unit) <= unit / 20, (label, x, v)
assert sorted(exp) == ['a', 'b', 'deep', 'hx'], sorted(exp)
PYEOF
    then ok; else fail "q128 export is not the input rounded to 2^-127"; fi
fi
expect 0 "$H" init fq2 --model poincare --dim 2 --repr q128
expect 0 "$H" import fq2 qe.tsv
expect 0 "$H" hash fq
hq=$(cat out.txt)
expect 0 "$H" hash fq2
same "$(cat out.txt)" "$hq" "q128 export and re-import"
expect 0 "$H" replay fq fqr
expect 0 "$H" hash fqr
same "$(cat out.txt)" "$hq" "q128 replay"
# Lorentz q64: x0 is checked, then only the spatial part is kept.
expect 0 "$H" init lq --model lorentz --dim 2 --repr q64
printf 'a\t3\t2\t2\nwrong\t5\t1\t1\nbig\t1e13\t1e13\t0\n' >lq.tsv
expect 1 "$H" import lq lq.tsv --skip-bad
has err.txt 'lq.tsv:2: Lorentz x0 disagrees'
has err.txt 'lq.tsv:3: point does not fit the fixed-point format'
expect 0 "$H" get lq a
has out.txt $'point\t3,2,2'

# ---- stores that are not there, or not stores; a tiny map that must grow ----
expect 3 "$H" info nosuch
has err.txt "cannot open store 'nosuch'"
mkdir plain
expect 3 "$H" info plain
has err.txt "not a hyperstore store"
expect 3 "$H" init s --model poincare --dim 2
has err.txt "already"
expect 2 "$H" init z --model poincare --dim 0
expect 2 "$H" init z --model euclid --dim 3 --repr q64
expect 0 "$H" init tiny --model poincare --dim 3 --map-size 16384 --single-file
if [ -n "$PY" ]; then
    expect 0 "$H" import tiny f8.npy --labels labels.txt
    expect 0 "$H" verify tiny
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
