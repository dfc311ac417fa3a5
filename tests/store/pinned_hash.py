#!/usr/bin/env python3
"""pinned_hash.py — the state hash of test_store.c's family store, computed
from the specification in store/hash.c (version 2: record digests, 65536
buckets by the digest's first two bytes, 256 groups, the state over the
metadata and the group digests) with Python's own BLAKE2b, not with the
library: an independent check of the canonical form.

    python3 tests/store/pinned_hash.py
"""
import hashlib
import struct

MODEL_POINCARE, REPR_F64 = 1, 1
points = {b"animal": (0.0, 0.0), b"mammal": (0.3, 0.0),
          b"dog": (0.6, 0.1), b"cat": (0.6, -0.1)}
parents = {b"mammal": [b"animal"], b"dog": [b"mammal", b"animal"],
           b"cat": [b"mammal"], b"animal": []}
ZERO = bytes(32)


def b2(data):
    return hashlib.blake2b(data, digest_size=32).digest()


def record(label):
    out = struct.pack("<I", len(label)) + label
    out += struct.pack("<%dd" % len(points[label]), *points[label])
    ps = sorted(parents[label])       # bytewise, as LMDB's memcmp keys
    out += struct.pack("<I", len(ps))
    for p in ps:
        out += struct.pack("<I", len(p)) + p
    return b2(out)


digests = sorted(record(label) for label in points)
buckets = {}
for d in digests:                     # ascending within each bucket
    buckets.setdefault(d[0] << 8 | d[1], []).append(d)
groups = []
for g in range(256):
    table = [b2(b"".join(buckets[k])) if k in buckets else ZERO
             for k in range(256 * g, 256 * g + 256)]
    groups.append(ZERO if all(t == ZERO for t in table) else b2(b"".join(table)))

h = hashlib.blake2b(digest_size=32)
h.update(b"hyperstore-state-v2")
h.update(struct.pack("<IIII", MODEL_POINCARE, 2, REPR_F64, 0))
h.update(struct.pack("<d", -1.0))
h.update(struct.pack("<Q", len(points)))
h.update(b"".join(groups))
print(h.hexdigest())
