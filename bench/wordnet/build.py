#!/usr/bin/env python3
"""Builds WordNet 3.0 noun hierarchies from Debian's wordnet-base.

Reads /usr/share/wordnet/data.noun and index.noun (apt-get install
wordnet-base) and writes, in OUTDIR (default bench/wordnet/out):

  noun_closure.tsv    the transitive closure of the hypernym ('@') and
                      instance-hypernym ('@i') pointers over all 82,115 noun
                      synsets: CHILD<TAB>ANCESTOR, about 743k lines (what
                      poincare-embeddings' transitive_closure.py makes)
  noun_edges.tsv      the direct '@' and '@i' edges only
  mammal_closure.tsv  the closure restricted to mammal.n.01 and its
                      descendants (1,180 synsets)
  mammal_edges.tsv    the direct edges among them

Synsets are named as NLTK names them, LEMMA.n.NN: the first lemma of the
synset, lower-cased, and its sense number in index.noun.  Lines are sorted,
so the files are the same on every run.  None of them is committed (the
small tools/examples/mammals.tsv is mammal_edges.tsv).
"""
import os
import sys

WN = os.environ.get("WNDIR", "/usr/share/wordnet")


def read_index():
    sense = {}
    with open(os.path.join(WN, "index.noun"), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue  # licence header
            parts = line.split()
            lemma, p_cnt = parts[0], int(parts[3])
            offsets = parts[4 + p_cnt + 2:]
            for i, off in enumerate(offsets):
                sense[(lemma, off)] = i + 1
    return sense


def read_data(sense):
    name, parents = {}, {}
    with open(os.path.join(WN, "data.noun"), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            parts = line.split(" | ")[0].split()
            off, w_cnt = parts[0], int(parts[3], 16)
            lemma = parts[4].lower()
            name[off] = "%s.n.%02d" % (lemma, sense[(lemma, off)])
            k = 4 + 2 * w_cnt
            p_cnt = int(parts[k])
            ps = []
            for j in range(p_cnt):
                sym, target, pos = parts[k + 1 + 4 * j: k + 4 + 4 * j]
                if sym in ("@", "@i") and pos == "n":
                    ps.append(target)
            parents[off] = ps
    return name, parents


def closure(parents):
    memo = {}

    def anc(s):
        if s in memo:
            return memo[s]
        out = set()
        for p in parents[s]:
            out.add(p)
            out |= anc(p)
        memo[s] = out
        return out

    sys.setrecursionlimit(10000)
    return {s: anc(s) for s in parents}


def write(path, pairs):
    with open(path, "w") as f:
        for a, b in sorted(pairs):
            f.write("%s\t%s\n" % (a, b))
    print("%s: %d edges, %d nodes" % (path, len(pairs),
                                      len({x for p in pairs for x in p})))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "out")
    os.makedirs(out, exist_ok=True)
    name, parents = read_data(read_index())
    assert len(set(name.values())) == len(name), "synset names collide"
    anc = closure(parents)
    nc = [(name[s], name[a]) for s in anc for a in anc[s]]
    ne = [(name[s], name[p]) for s in parents for p in parents[s]]
    write(os.path.join(out, "noun_closure.tsv"), nc)
    write(os.path.join(out, "noun_edges.tsv"), ne)
    mammal = next(s for s in name if name[s] == "mammal.n.01")
    ms = {s for s in anc if mammal in anc[s]} | {mammal}
    write(os.path.join(out, "mammal_closure.tsv"),
          [(name[s], name[a]) for s in ms for a in anc[s] if a in ms])
    write(os.path.join(out, "mammal_edges.tsv"),
          [(name[s], name[p]) for s in ms for p in parents[s] if p in ms])


if __name__ == "__main__":
    main()
