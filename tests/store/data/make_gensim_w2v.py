#!/usr/bin/env python3
"""make_gensim_w2v.py — writes gensim_poincare.w2v with gensim itself
(Debian's python3-gensim): a small Poincaré embedding of a toy taxonomy,
trained with a fixed seed and saved by PoincareKeyedVectors'
save_word2vec_format, the file a gensim user would hand to
`hyperstore import --format w2v`.  Also writes gensim_edges.tsv (the
relations, child TAB parent) and gensim_expected.tsv: each label and its
vector as gensim holds it (float32), printed with repr(float(x)) so the test
can check that every imported coordinate is the double nearest to gensim's
decimal text.

    cd tests/store/data && python3 make_gensim_w2v.py
"""
from gensim.models.poincare import PoincareModel

relations = [
    ("mammal", "animal"), ("bird", "animal"), ("fish", "animal"),
    ("dog", "mammal"), ("cat", "mammal"), ("whale", "mammal"),
    ("sparrow", "bird"), ("eagle", "bird"), ("salmon", "fish"),
    ("shark", "fish"), ("puppy", "dog"), ("kitten", "cat"),
    ("bat", "mammal"), ("bat", "animal"), ("penguin", "bird"),
]
model = PoincareModel(relations, size=5, negative=3, seed=7, workers=1)
model.train(epochs=30, batch_size=5)
model.kv.save_word2vec_format("gensim_poincare.w2v")
with open("gensim_edges.tsv", "w") as f:
    for c, p in relations:
        f.write("%s\t%s\n" % (c, p))
with open("gensim_expected.tsv", "w") as f:
    for key in model.kv.index_to_key:
        f.write(key + "\t" + "\t".join(repr(float(x)) for x in model.kv[key]) + "\n")
