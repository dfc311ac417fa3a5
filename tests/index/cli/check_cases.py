#!/usr/bin/env python3
"""check_cases.py — the golden index cases hold true answers: recomputes
every query of tests/index/cli/cases by brute force in 100-digit arithmetic
(mpmath) from common/points.tsv, independently of hyperstore, and compares
labels, order and distances (within 4 ulp) with expected_stdout.

A case whose setup makes a fixed-point store (init ... --repr q32|q64|q128,
Poincaré here) is checked on the points as that store keeps them: each
coordinate of points.tsv rounded once from its decimal to k 2^-F (F = w - 1,
ties to even), a --vector from its binary64 value (the library rounds the
parsed double), as hyp_fixed.h and tools/index_cli.c describe.

    check_cases.py CASES_DIR
"""
import json
import os
import sys

import mpmath as mp

mp.mp.dps = 100


def fixed_bits(case_dir):
    """F of the case's fixed-point Poincaré store, or None for binary64."""
    setup = os.path.join(case_dir, "setup")
    if not os.path.exists(setup):
        return None
    for line in open(setup, encoding="utf-8"):
        w = line.split()
        if w[:1] == ["init"] and "--repr" in w:
            repr_ = w[w.index("--repr") + 1]
            return {"q32": 31, "q64": 63, "q128": 127}.get(repr_)
    return None


def to_fixed(v, bits):
    """v rounded to nearest, ties to even, at bits fraction bits."""
    if bits is None:
        return v
    t = v * mp.mpf(2) ** bits
    k = mp.floor(t)
    r = t - k
    if r > 0.5 or (r == 0.5 and int(k) % 2 == 1):
        k += 1
    return k / mp.mpf(2) ** bits


def load(path, bits=None):
    pts = {}
    order = []
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        if bits is None:
            pts[f[0]] = [mp.mpf(float(v)) for v in f[1:]]  # as stored: binary64
        else:
            pts[f[0]] = [to_fixed(mp.mpf(v), bits) for v in f[1:]]  # from the decimal
        order.append(f[0])
    return pts, order


def dist(x, y):
    n2 = lambda v: sum(t * t for t in v)
    s = n2([a - b for a, b in zip(x, y)]) / ((1 - n2(x)) * (1 - n2(y)))
    return 2 * mp.asinh(mp.sqrt(s))


def radius(x):
    return 2 * mp.atanh(mp.sqrt(sum(t * t for t in x)))


def ranked(pts, order, q, qlabel, keep):
    """(distance, id, label) of every other point passing keep, closest
    first, ties by id (insertion order)."""
    out = []
    for i, l in enumerate(order):
        if l == qlabel or not keep(pts[l]):
            continue
        out.append((dist(q, pts[l]), i, l))
    return sorted(out)


def close(got, want):
    return abs(mp.mpf(got) - want) <= 4 * abs(want) * mp.mpf(2) ** -52


def main():
    cases = sys.argv[1]
    common = os.path.join(cases, "..", "common", "points.tsv")
    bad = checked = 0
    for name in sorted(os.listdir(cases)):
        d = os.path.join(cases, name)
        args = open(os.path.join(d, "args")).read().split("\n")[:-1]
        status = open(os.path.join(d, "expected_status")).read().strip()
        if status != "0" or args[0] not in ("knn", "parent", "descendants", "within", "ancestors"):
            continue
        bits = fixed_bits(d)
        pts, order = load(common, bits)
        opts = {args[i]: args[i + 1] for i in range(2, len(args) - 1) if args[i].startswith("-")}
        if args[2] == "--vector":
            q, ql = [to_fixed(mp.mpf(float(v)), bits) for v in args[3].split(",")], None
        else:
            q, ql = pts[args[2]], args[2]
        out = open(os.path.join(d, "expected_stdout")).read()
        rq = radius(q)
        cmd = args[0]
        if cmd == "ancestors":
            chain, cur = [], q
            while True:
                c = ranked(pts, order, cur, None, lambda p, r=radius(cur): radius(p) < r)
                if not c:
                    break
                chain.append(c[0][2])
                cur = pts[c[0][2]]
            got = json.loads(out) if "--json" in args else out.split()
            ok = got == chain
            want_desc = chain
        else:
            k = int(opts.get("-k", 1 if cmd == "parent" else 10))
            keep = {"parent": lambda p: radius(p) < rq, "descendants": lambda p: radius(p) > rq}.get(
                cmd, lambda p: True)
            r = ranked(pts, order, q, ql, keep)
            if cmd == "within":
                r = [t for t in r if t[0] <= mp.mpf(opts["--radius"])]
            elif opts.get("--score") == "isa":
                a = mp.mpf(opts.get("--alpha", 1000))
                r = sorted(((-(1 + a * (radius(pts[l]) - rq)) * dd, i, l, dd) for dd, i, l in r),
                           key=lambda t: (-t[0], t[1]))[:k]
                r = [(t[3], t[1], t[2], t[0]) for t in r]
            else:
                r = r[:k]
            if "--json" in args:
                rows = [(h["label"], h["dist"]) for h in json.loads(out)]
            else:
                rows = [tuple(l.split("\t")) for l in out.splitlines()]
            ok = len(rows) == len(r) and all(
                row[0] == t[2] and close(row[1], t[0]) and (len(row) < 3 or close(row[2], t[3]))
                for row, t in zip(rows, r))
            want_desc = [(t[2], mp.nstr(t[0], 17)) for t in r]
        checked += 1
        if not ok:
            bad += 1
            print(f"FAIL {name}: expected_stdout\n{out}brute force: {want_desc}")
    print(f"{checked} cases checked, {bad} wrong")
    return 1 if bad or checked < 10 else 0


if __name__ == "__main__":
    sys.exit(main())
