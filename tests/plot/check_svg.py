#!/usr/bin/env python3
"""check_svg.py — checks the structure of a `hyperstore plot` picture against
the store it was drawn from, independently of the C code:

    check_svg.py PICTURE.svg EXPORT.tsv MODEL EDGES N_LABELS [FOCUS]

EXPORT.tsv is `hyperstore export STORE`; EDGES the number of edges in the
store; MODEL poincare or lorentz.  Checked:
  - the file is well-formed XML with an <svg> root;
  - one <circle> per point, titled with its label, every label once;
  - one <path> per edge, each from one drawn point to another; each arc is
    orthogonal to the rim (|c|^2 = r^2 + R^2, the centre found from the
    SVG arc parameters), and bows towards the centre, as geodesics do;
  - the <text> labels are the N most general points (radius order decided
    exactly with fractions, ties by label bytes), and FOCUS if given.
Prints what failed and exits 1.
"""
import math
import re
import sys
import xml.etree.ElementTree as ET
from fractions import Fraction

NS = '{http://www.w3.org/2000/svg}'
R = 500.0  # the disk's radius in user units (cmd_plot.c's PLOT_UNIT)


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def arc_centre(x1, y1, r, sweep, x2, y2):
    """Centre of the SVG arc (large-arc 0) from (x1,y1) to (x2,y2); SVG 1.1
    implementation notes F.6.5 with rx = ry = r and no rotation."""
    mx, my = (x1 - x2) / 2, (y1 - y2) / 2
    d2 = mx * mx + my * my
    k = math.sqrt(max(r * r - d2, 0) / d2)
    if sweep == 0:  # with large-arc 0 the sign is + when the flags differ
        k = -k
    return (k * my + (x1 + x2) / 2, -k * mx + (y1 + y2) / 2)


def main():
    svg, export, model, edges, nlabels = sys.argv[1:6]
    focus = sys.argv[6] if len(sys.argv) > 6 else None
    edges, nlabels = int(edges), int(nlabels)
    root = ET.parse(svg).getroot()
    if root.tag != NS + 'svg':
        fail('root is %s' % root.tag)

    # Points as stored, and the exact squared norm that orders the radii.
    norm2 = {}
    for line in open(export, encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        c = [Fraction(float(t)) for t in f[1:]]
        if model == 'lorentz':
            c = c[1:]
        norm2[f[0]] = sum(t * t for t in c)

    groups = {g.get('class'): g for g in root.iter(NS + 'g')}
    circles = groups['points'].findall(NS + 'circle')
    titles = [c.find(NS + 'title').text for c in circles]
    if sorted(titles) != sorted(norm2):
        fail('%d circles for %d points, or labels differ' % (len(circles), len(norm2)))
    drawn = {(c.get('cx'), c.get('cy')) for c in circles}

    paths = groups['edges'].findall(NS + 'path') if 'edges' in groups else []
    if len(paths) != edges:
        fail('%d paths for %d edges' % (len(paths), edges))
    arcs = checked = 0
    num = r'(-?[0-9.]+(?:e[-+][0-9]+)?)'
    for p in paths:
        d = p.get('d')
        m = re.fullmatch(r'M %s %s (?:L|A %s %s 0 0 ([01])) %s %s' % ((num,) * 2 + (num,) * 2 + (num,) * 2), d)
        if m is None:
            fail('path d="%s"' % d)
        x1, y1, rx, ry, sweep, x2, y2 = m.groups()
        if (x1, y1) not in drawn or (x2, y2) not in drawn:
            fail('edge %s does not join two drawn points' % d)
        if rx is None:
            continue
        arcs += 1
        x1, y1, x2, y2, r = map(float, (x1, y1, x2, y2, rx))
        chord = math.hypot(x2 - x1, y2 - y1)
        if chord < 5 or r > 20 * R:
            continue  # too short or too flat for 4 printed decimals to pin the centre
        cx, cy = arc_centre(x1, y1, r, int(sweep), x2, y2)
        if abs((cx * cx + cy * cy - r * r) / (R * R) - 1) > 1e-3:
            fail('arc %s is not orthogonal to the rim: |c|^2 - r^2 = %g R^2' %
                 (d, (cx * cx + cy * cy - r * r) / (R * R)))
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        h = math.hypot(mx - cx, my - cy)
        ax, ay = cx + r * (mx - cx) / h, cy + r * (my - cy) / h
        if math.hypot(ax, ay) > math.hypot(mx, my) + 1e-6:
            fail('arc %s bows away from the centre' % d)
        checked += 1
    if edges and arcs and checked == 0:
        fail('no arc could be checked')

    texts = [t.text for t in groups['labels'].findall(NS + 'text')] if 'labels' in groups else []
    want = sorted(norm2, key=lambda l: (norm2[l], l.encode('utf-8')))[:nlabels]
    if focus is not None and focus not in want:
        want.append(focus)
    if texts != want:
        fail('labels %s, expected %s' % (texts, want))
    print('ok: %d points, %d edges (%d arcs, %d checked), %d labels' %
          (len(circles), len(paths), arcs, checked, len(texts)))


main()
