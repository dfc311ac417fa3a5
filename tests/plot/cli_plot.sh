#!/usr/bin/env bash
# cli_plot.sh — `hyperstore plot` end to end, and `embed` leaving nothing
# behind on bad input:  bash cli_plot.sh HYPERSTORE CHECK_SVG_PY
# Stores come from `hyperstore embed` (the bundled mammals and a tiny tree);
# check_svg.py checks each picture's structure against `hyperstore export`.
set -u
H=$1
CHECK=$2
MAMMALS=$(cd "$(dirname "$CHECK")/../../tools/examples" && pwd)/mammals.tsv
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W" || exit 2
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect STATUS CMD...: runs CMD, checks its exit status
expect() {
    local want=$1; shift
    "$@" >out.txt 2>err.txt
    local got=$?
    [ "$got" -eq "$want" ] || { fail "'$*' exited $got, expected $want"; sed 's/^/  | /' err.txt | head -5; }
}
# picture STORE MODEL N_LABELS [FOCUS] [OPTIONS...]: plot with edges, check
picture() {
    local s=$1 model=$2 n=$3 focus=${4:-}
    shift 3; [ $# -gt 0 ] && shift
    local edges
    edges=$("$H" info "$s" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["edges"])')
    "$H" export "$s" >"$s.export.tsv" || fail "export $s"
    if [ -n "$focus" ]; then
        expect 0 "$H" plot "$s" -o "$s.svg" --edges --labels "$n" --focus "$focus" "$@"
        python3 "$CHECK" "$s.svg" "$s.export.tsv" "$model" "$edges" "$n" "$focus" || fail "check $s (focus $focus)"
    else
        expect 0 "$H" plot "$s" -o "$s.svg" --edges --labels "$n" "$@"
        python3 "$CHECK" "$s.svg" "$s.export.tsv" "$model" "$edges" "$n" || fail "check $s"
    fi
    if command -v xmllint >/dev/null; then
        xmllint --noout "$s.svg" || fail "xmllint $s.svg"
    fi
    [ ! -e "$s.svg.tmp" ] || fail "$s.svg.tmp left behind"
}

printf 'mammal\tanimal\nbird\tanimal\ndog\tmammal\ncat\tmammal\nsparrow\tbird\n"odd" & <label>\tbird\n' >tiny.tsv
expect 0 "$H" embed tiny.tsv tiny --dim 2
picture tiny poincare 3
grep -q '&quot;odd&quot; &amp; &lt;label&gt;' tiny.svg || fail "label not escaped"
picture tiny poincare 0 dog          # focus alone is labelled
expect 0 "$H" embed tiny.tsv tiny3 --dim 3 --model lorentz
picture tiny3 lorentz 4

# The mammals: 2-D Lorentz (radii up to ~49: many points on the rim), RSGD,
# 10-D (projection), and recentred.
expect 0 "$H" embed "$MAMMALS" m2 --dim 2 --model lorentz
picture m2 lorentz 12
picture m2 lorentz 5 carnivore.n.01
expect 0 "$H" embed "$MAMMALS" r2 --dim 2 --model lorentz --method rsgd --epochs 20
picture r2 lorentz 20
picture r2 lorentz 8 dog.n.01
expect 0 "$H" embed "$MAMMALS" m10 --dim 10
picture m10 poincare 10
picture m10 poincare 10 primate.n.02 --size 400
grep -q 'width="400" height="400"' m10.svg || fail "--size"
grep -q 'projection: log map at the centre' m10.svg || fail "projection not described"

# Without --edges there is no edge; the same points.
expect 0 "$H" plot tiny -o plain.svg
[ "$(grep -c '<path' plain.svg)" -eq 0 ] || fail "edges drawn without --edges"
[ "$(grep -c '<circle cx' plain.svg)" -eq 7 ] || fail "point count without --edges"
# Standard output.
expect 0 "$H" plot tiny -o - --labels 2
python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' out.txt || fail "-o - is not XML"

# A q128 store 59 levels deep (Sarkar): recentred on p50 (radius ~57), its
# neighbours are drawn apart and inside the disk.  The boost starts from the
# exact words: from binary64 spatial parts they would be one point.
python3 -c "
print('p01\tp00')
for i in range(2, 60):
    print('p%02d\tp%02d' % (i, i - 1))
    print('s%02d\tp%02d' % (i, i - 1))" >deep.tsv
expect 0 "$H" embed deep.tsv deep --repr q128 --method sarkar
expect 0 "$H" plot deep -o deep.svg --edges --focus p50
python3 - deep.svg <<'PYEOF' || fail "deep q128 store recentred on p50"
import sys, xml.etree.ElementTree as E
NS = '{http://www.w3.org/2000/svg}'
at = {c.find(NS + 'title').text: (float(c.get('cx')), float(c.get('cy')))
      for c in E.parse(sys.argv[1]).getroot().iter(NS + 'circle') if c.find(NS + 'title') is not None}
near = ['p49', 'p50', 'p51', 's51']
pos = [at[l] for l in near]
assert abs(pos[1][0]) < 1e-3 and abs(pos[1][1]) < 1e-3, pos[1]       # p50 at the centre
assert all((x * x + y * y) ** 0.5 < 0.95 * 500 for x, y in pos), pos  # the rest inside
assert len({(round(x), round(y)) for x, y in pos}) == 4, pos          # and apart
PYEOF

# Failures write nothing.
expect 1 "$H" plot tiny -o nofocus.svg --focus wolf
grep -q 'no point labelled "wolf"' err.txt || fail "unknown focus message"
[ ! -e nofocus.svg ] && [ ! -e nofocus.svg.tmp ] || fail "a file was written for an unknown focus"
expect 3 "$H" plot no-such-store -o x.svg
[ ! -e x.svg ] || fail "x.svg written for a missing store"
expect 3 "$H" plot tiny -o no-such-dir/x.svg
expect 2 "$H" plot tiny
expect 2 "$H" plot tiny -o x.svg --labels -1

# embed: a malformed edge file writes nothing, neither TSV nor store.
printf 'a\tb\nb\tc\nc\ta\n' >cycle.tsv
printf 'a\tb\tc\n' >fields.tsv
: >empty.tsv
for bad in cycle fields empty; do
    expect 1 "$H" embed $bad.tsv $bad.out.tsv
    [ ! -e $bad.out.tsv ] && [ ! -e $bad.out.tsv.tmp ] || fail "embed $bad.tsv wrote a TSV"
    expect 1 "$H" embed $bad.tsv ${bad}_store
    [ ! -e ${bad}_store ] || fail "embed $bad.tsv created a store"
done
# ... and a tree that does not fit the representation neither.
python3 -c "print(''.join('n%03d\tn%03d\n' % (i + 1, i) for i in range(60)), end='')" >chain.tsv
expect 1 "$H" embed chain.tsv chain_store
[ ! -e chain_store ] || fail "embed chain.tsv created a store"

[ "$fails" -eq 0 ] && echo "cli_plot: all checks passed"
[ "$fails" -eq 0 ]
