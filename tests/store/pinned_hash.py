#!/usr/bin/env python3
"""pinned_hash.py — the state hash of test_store.c's family store, computed
from the serialisation spec in store/hash.c with Python's own BLAKE2b, not
with the library: an independent check of the canonical form.

    python3 tests/store/pinned_hash.py
"""
import hashlib
import struct

MODEL_POINCARE, REPR_F64 = 1, 1
points = {b"animal": (0.0, 0.0), b"mammal": (0.3, 0.0),
          b"dog": (0.6, 0.1), b"cat": (0.6, -0.1)}
parents = {b"mammal": [b"animal"], b"dog": [b"mammal", b"animal"],
           b"cat": [b"mammal"], b"animal": []}

h = hashlib.blake2b(digest_size=32)
h.update(b"hyperstore-state-v1")
h.update(struct.pack("<IIII", MODEL_POINCARE, 2, REPR_F64, 0))
h.update(struct.pack("<d", -1.0))
h.update(struct.pack("<Q", len(points)))
for label in sorted(points):          # bytewise order, as LMDB's memcmp keys
    h.update(struct.pack("<I", len(label)) + label)
    h.update(struct.pack("<%dd" % len(points[label]), *points[label]))
    ps = sorted(parents[label])
    h.update(struct.pack("<I", len(ps)))
    for p in ps:
        h.update(struct.pack("<I", len(p)) + p)
print(h.hexdigest())
