#!/usr/bin/python3
"""gensim_race.py — gensim's PoincareModel beside `hyperstore embed`, one run.

    /usr/bin/python3 bench/wordnet/gensim_race.py HYPERSTORE CLOSURE.tsv
        [--dims 2,10] [--budget SECONDS] [--workdir DIR]

CLOSURE.tsv is a transitive closure CHILD<TAB>ANCESTOR (bench/wordnet/build.py
writes mammal_closure.tsv and noun_closure.tsv).  For each dimension:

  gensim   PoincareModel(size=dim, negative=10, burn_in=10, workers=1, seed=0)
           (its defaults except the size), trained one epoch at a time until
           the time budget is spent (the epoch that crosses it finishes; the
           first call also runs gensim's 10 burn-in epochs);
           its vectors are written as TSV (Poincaré) and measured by
           `hyperstore eval`, so both sides share one evaluation: the query
           node excluded, ancestors (the closure) as positives, exact
           distance comparisons, ties counted against.  gensim's own
           ReconstructionEvaluation counts the query node: its ranks are one
           higher.
  ours     `hyperstore embed CLOSURE --dim D` (the default caps construction,
           in the Poincaré model, or --model lorentz when the tree is too deep
           for the Poincaré ball in binary64 and embed refuses it: the
           mammals at dim 2, the nouns) and the same eval.

Prints one Markdown table (the rows bench/RESULTS.md keeps).  python3-gensim
is Debian's package: run it with /usr/bin/python3 (another python3 on PATH
may not see it).
"""
import argparse
import json
import os
import subprocess
import sys
import time

from gensim.models.poincare import PoincareModel


def read_closure(path):
    pairs = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.strip() or line.startswith('#'):
                continue
            child, parent = line.rstrip('\n').split('\t')
            pairs.append((child, parent))
    return pairs


def hyp_eval(hyp, emb, closure, model):
    out = subprocess.run([hyp, 'eval', emb, closure, '--json', '--model', model,
                          '--threads', '2'], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def run_gensim(pairs, dim, budget, tsv):
    t0 = time.monotonic()
    m = PoincareModel(pairs, size=dim, negative=10, burn_in=10, workers=1, seed=0)
    epochs = 0
    while time.monotonic() - t0 < budget:
        m.train(epochs=1, print_every=10**9)
        epochs += 1
    secs = time.monotonic() - t0
    with open(tsv, 'w', encoding='utf-8') as f:
        for word in m.kv.index_to_key:
            f.write(word + '\t' + '\t'.join('%.17g' % x for x in m.kv[word]) + '\n')
    return epochs, secs


def run_ours(hyp, closure, dim, tsv):
    """Poincaré if the tree fits it in binary64 (embed refuses otherwise,
    with status 1, at once), else Lorentz; the time is the run that wrote."""
    for model in ('poincare', 'lorentz'):
        t0 = time.monotonic()
        r = subprocess.run([hyp, 'embed', closure, tsv, '--dim', str(dim), '--model', model],
                           stderr=subprocess.PIPE, text=True)
        if r.returncode == 0:
            return model, time.monotonic() - t0
        if r.returncode != 1 or model == 'lorentz':
            sys.exit('hyperstore embed failed: ' + r.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('hyperstore')
    ap.add_argument('closure')
    ap.add_argument('--dims', default='2,10')
    ap.add_argument('--budget', type=float, default=60.0, help='gensim seconds per dimension')
    ap.add_argument('--workdir', default='/tmp/gensim_race')
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    pairs = read_closure(a.closure)
    nodes = len({u for p in pairs for u in p})
    name = os.path.basename(a.closure)
    print('%s: %d closure pairs, %d nodes; gensim %s, budget %.0f s per dimension'
          % (name, len(pairs), nodes, sys.modules['gensim'].__version__, a.budget),
          file=sys.stderr)
    rows = []
    for dim in (int(d) for d in a.dims.split(',')):
        g_tsv = os.path.join(a.workdir, 'gensim_%d.tsv' % dim)
        epochs, g_secs = run_gensim(pairs, dim, a.budget, g_tsv)
        g = hyp_eval(a.hyperstore, g_tsv, a.closure, 'poincare')
        rows.append((name, dim, 'gensim PoincareModel, 10 burn-in + %d epochs' % epochs,
                     'Poincaré',
                     g['map'], g['mean_rank'], g_secs, g['seconds']))
        o_tsv = os.path.join(a.workdir, 'ours_%d.tsv' % dim)
        model, o_secs = run_ours(a.hyperstore, a.closure, dim, o_tsv)
        o = hyp_eval(a.hyperstore, o_tsv, a.closure, model)
        rows.append((name, dim, 'hyperstore embed (caps)',
                     'Lorentz' if model == 'lorentz' else 'Poincaré',
                     o['map'], o['mean_rank'], o_secs, o['seconds']))
        print('dim %d done' % dim, file=sys.stderr)
    print('| data | dim | method | model | MAP | mean rank | train time | eval time |')
    print('|---|---|---|---|---|---|---|---|')
    for r in rows:
        print('| %s | %d | %s | %s | %.5f | %.3f | %.2f s | %.2f s |' % r)


main()
