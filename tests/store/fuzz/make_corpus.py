#!/usr/bin/env python3
"""make_corpus.py — writes the seed corpora corpus-<name>/ beside this file
(except corpus-fmt/, kept by hand): a few small valid inputs per harness,
and one or two near misses, laid out as each harness's comment describes.
Run it again after changing a harness's input layout."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, files):
    d = os.path.join(HERE, "corpus-" + name)
    os.makedirs(d, exist_ok=True)
    for fname, data in files.items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)


def f64(*xs):
    return b"".join(struct.pack("<d", x) for x in xs)


def words(nbytes, *ks):
    return b"".join(k.to_bytes(nbytes, "little", signed=True) for k in ks)


def label(s):
    b = s.encode()
    return struct.pack("<H", len(b)) + b


OP_PUT, OP_UPSERT, OP_DELETE, OP_EDGE_ADD, OP_EDGE_DELETE = 1, 2, 3, 4, 5


def ops_stream(point):
    return (bytes([OP_PUT]) + label("d") + point + bytes([OP_EDGE_ADD]) + label("d") +
            label("a") + bytes([OP_DELETE]) + label("c") + bytes([OP_UPSERT]) + label("a") +
            point + bytes([OP_EDGE_DELETE]) + label("b") + label("a"))


def log_record(seq, note, ops, nops):
    counts = struct.pack("<6Q", 1, 0, 1, 1, 1, 3)  # inserted .. edges_deleted, count
    return (struct.pack("<IQ", 1, seq) + counts + bytes(range(32)) +
            struct.pack("<H", len(note)) + note + struct.pack("<QQ", nops, len(ops)) + ops)


def meta_rec(key, value):
    return bytes([len(key)]) + key + bytes([len(value)]) + value


def u32(v):
    return struct.pack("<I", v)


P16 = f64(0.125, -0.25)                     # Poincaré / Euclid f64, dim 2
Q32L = words(4, 3 << 15, -(1 << 14))        # Lorentz q32 (Q15.16), dim 2

write("hier", {
    "closure.csv": "b,a\nc,b\nc,a\n",
    "dag.tsv": "# WordNet-like\nd\tb\nd\tc\nb\ta\nc\ta\n",
    "forest.csv": "dog.n.01 , canine.n.01\r\ncat.n.01,feline.n.01\n\n",
    "cycle.csv": "a,b\nb,c\nc,a\n",
    "utf8.csv": "caf\u00e9,boisson\n\u732b,\u52d5\u7269\n",
})
write("coords", {
    "poincare": bytes([5, 0]) + b"0.1,0.2\t-0.3, 0x1p-3",
    "lorentz": bytes([14, 0]) + b"1.25,0.75,0\t1,0,0",
    "spatial": bytes([14, 1]) + b"0.75,0\t0,-0.5",
    "euclid": bytes([26, 0]) + b"3,4\t0,1e-300",
    "bad": bytes([3, 0]) + b"inf,nan,1e400,,x",
})
write("log", {
    "full": bytes([0]) + log_record(1, b"import", ops_stream(P16), 5),
    "hashes": bytes([1]) + log_record(7, b"", b"", 3),
    "q32": bytes([2]) + log_record(2, b"n", ops_stream(Q32L), 5),
})
write("ops", {
    "poincare": bytes([0]) + ops_stream(P16),
    "lorentz-q32": bytes([1]) + ops_stream(Q32L),
    "euclid": bytes([2]) + ops_stream(f64(0.5, 0.0)),
    "truncated": bytes([0]) + ops_stream(P16)[:-3],
})
valid_meta = (meta_rec(b"magic", b"hyperstore") + meta_rec(b"format_version", u32(2)) +
              meta_rec(b"model", u32(1)) + meta_rec(b"dim", u32(4)) +
              meta_rec(b"repr", u32(1)) + meta_rec(b"repr_bits", u32(0)) +
              meta_rec(b"curvature", f64(-1.0)) + meta_rec(b"log_mode", u32(1)) +
              meta_rec(b"next_id", struct.pack("<Q", 0)) +
              meta_rec(b"last_seq", struct.pack("<Q", 0)))
write("meta", {
    "keep": bytes([0]),
    "dim2": bytes([0]) + meta_rec(b"dim", u32(2)),
    "full": bytes([1]) + valid_meta,
    "newer": bytes([0]) + meta_rec(b"format_version", u32(3)),
    "ext": bytes([0]) + meta_rec(b"ext", b"hnsw") + meta_rec(b"repr", u32(4)) +
           meta_rec(b"repr_bits", u32(32)),
})
ix = struct.pack("<4I5Q", 1, 16, 200, 3, 42, 0, 100, 2, 5) + bytes(range(32))
write("ixstate", {
    "valid": ix,
    "m65": struct.pack("<4I5Q", 1, 65, 200, 3, 42, 0, 100, 2, 5) + bytes(32),
    "short": ix[:-1],
})
write("fixed", {
    "q32-poincare": bytes([0, 1]) + words(4, 1 << 30, -(1 << 29), 1 << 20, 3),
    "q64-lorentz": bytes([4, 1]) + words(8, 3 << 31, -(2 << 32), 0, 1 << 32),
    "q128-euclid": bytes([8, 1]) + words(16, 1 << 103, 1 << 126, 0, 1 << 100, 0, 1 << 126),
    "q32-boundary": bytes([0, 1]) + words(4, (1 << 31) - 1, 0),
})
write("fixtext", {
    "q32-poincare": bytes([0, 1, 0]) + words(4, 1 << 30, -(1 << 29)),
    "q128-lorentz-hex": bytes([5, 1, 2]) + words(16, 3 << 31, -(5 << 40)),
    "text-q64-poincare": bytes([1, 1, 1]) + b"0.5, -0x1p-40",
    "text-q32-lorentz": bytes([3, 0, 1]) + b"1.25,0.75",
    "text-near-tie": bytes([0, 0, 1]) + b"0.00000000023283064365386962890625000001",
})
