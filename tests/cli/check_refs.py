#!/usr/bin/env python3
"""check_refs.py — the numbers in the CLI golden files are true values.

Golden files freeze what the CLI printed; this check makes sure that what was
frozen is right, within 4 ulp of an independent reference:
  - a case with a `reference` file: one line per output line, its first field
    the reference distance (40 digits, from the MPFR-computed hard pairs or
    from below), or `-` for an `error` line;
  - `dist --model poincare` without one: the distance computed here, exactly
    rational S = |x-y|^2 / ((1-|x|^2)(1-|y|^2)) then d = 2 asinh(sqrt(S)) in
    100-digit decimal arithmetic;
  - `convert`: each output coordinate against the exact image computed here
    in 120-digit decimal arithmetic (through the hyperboloid's spatial part);
  - `dist --repr q32|q64|q128` (every model): the points rounded into the
    fixed-point format here, in exact integer arithmetic (hyp_fixed.h's
    layouts, round half to even; a point that does not fit must print
    `error`), then the exact distance between the rounded points in 120-digit
    decimal arithmetic.  The printed Q32.32 word (hex, or recovered from the
    10 decimals, which must be its correct rounding) must be the reference
    rounded to nearest: within half a unit of 2^-32 (plus 2^-90 units, the
    library's documented margin at halfway points).
Standard library only.  Usage: check_refs.py CASES_DIR
"""
import decimal
import math
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

MAX_ULPS = 4
DBL_MAX = Fraction(2) ** 1024 - Fraction(2) ** 971

decimal.getcontext().prec = 120
# Lorentz coordinates reach e^710 and radii 2^24; give the exponent room.
decimal.getcontext().Emax = 10**8
decimal.getcontext().Emin = -(10**8)


def ulp(ref):
    """The spacing of binary64 at |ref| (subnormal spacing below 2^-1022)."""
    a = abs(Fraction(ref))
    e = -1022
    if a >= Fraction(2) ** -1022:
        e = a.numerator.bit_length() - a.denominator.bit_length()
        if Fraction(2) ** e > a:
            e -= 1
    return Fraction(2) ** (e - 52)


def ulps_off(value, ref):
    """How many ulp of the reference separate the printed value from it."""
    ref = Fraction(ref)
    if value != value:
        return float("inf")  # NaN is never close
    if value in (float("inf"), float("-inf")):
        return 0 if abs(ref) > DBL_MAX and (value > 0) == (ref > 0) else float("inf")
    return abs(Fraction(value) - ref) / ulp(ref)


def dec(f):
    """An exact Fraction (a double, or built from doubles) as a Decimal."""
    f = Fraction(f)
    return Decimal(f.numerator) / Decimal(f.denominator)


def asinh(z):
    # ln(z + sqrt(z^2 + 1)) loses every digit once z^2 drowns in the 1, so
    # take the series below 1e-20: asinh z = z - z^3/6 + 3z^5/40 - ..., the
    # first omitted term is below z * 1e-120.
    if abs(z) < Decimal("1e-20"):
        return z - z**3 / 6 + 3 * z**5 / 40
    return (z + (z * z + 1).sqrt()).ln()


def poincare_dist(x, y):
    x = [Fraction(c) for c in x]
    y = [Fraction(c) for c in y]
    num = sum((a - b) ** 2 for a, b in zip(x, y))
    den = (1 - sum(a * a for a in x)) * (1 - sum(b * b for b in y))
    return 2 * asinh(dec(num / den).sqrt())


def spatial_from(model, v):
    """The hyperboloid's spatial part x_s of a point given in `model`."""
    v = [Fraction(c) for c in v]
    if model == "lorentz":
        return [dec(c) for c in v]
    if model == "poincare":
        s = sum(c * c for c in v)
        return [dec(2 * c / (1 - s)) for c in v]
    r = dec(sum(c * c for c in v)).sqrt()  # euclid: x_s = sinh(r) v / r
    if r == 0:
        return [Decimal(0) for _ in v]
    if r < Decimal("1e-20"):  # the exponentials would cancel to nothing
        scale = 1 + r * r / 6
    else:
        scale = (r.exp() - (-r).exp()) / 2 / r
    return [dec(c) * scale for c in v]


def image(model, xs):
    """The point with spatial part xs in `model` (Lorentz: x0 first)."""
    q2 = sum(c * c for c in xs)
    x0 = (1 + q2).sqrt()
    if model == "lorentz":
        return [x0] + xs
    if model == "poincare":
        return [c / (1 + x0) for c in xs]
    q = q2.sqrt()
    if q == 0:
        return [Decimal(0) for _ in xs]
    scale = asinh(q) / q
    return [c * scale for c in xs]


# hyp_fixed.h: word bits w, then per model the fraction bits (Euclid: radius
# fraction bits; its direction has w - 2).
FIXED = {"q32": (32, {"poincare": 31, "lorentz": 16, "euclid": 23}),
         "q64": (64, {"poincare": 63, "lorentz": 32, "euclid": 47}),
         "q128": (128, {"poincare": 127, "lorentz": 32, "euclid": 103})}


class NotInFormat(ValueError):
    pass


def round_sqrt(x):
    """sqrt(x) rounded to the nearest integer, ties to even, x a Fraction >= 0."""
    m = math.isqrt(x.numerator // x.denominator)
    half = (Fraction(2 * m + 1, 2)) ** 2
    if x > half or (x == half and m % 2 == 1):
        m += 1
    return m


def fixed_point(model, repr_name, v):
    """The words of point v (spatial part for Lorentz) in the format, exactly
    as hyp_fixed_from_double rounds them; NotInFormat if it does not fit."""
    w, frac = FIXED[repr_name]
    f = frac[model]
    v = [Fraction(c) for c in v]
    if model == "poincare":
        k = [round(c * 2**f) for c in v]  # Fraction rounds half to even
        if any(abs(c) > 2**f - 1 for c in k) or sum(c * c for c in k) >= 2 ** (2 * f):
            raise NotInFormat
        return k
    if model == "lorentz":
        k = [round(c * 2**f) for c in v]
        if any(abs(c) > 2 ** (w - 1) - 1 for c in k):
            raise NotInFormat
        return k
    s2 = sum(c * c for c in v)
    k0 = round_sqrt(s2 * 2 ** (2 * f))
    if k0 > 2 ** (w - 1) - 1:
        raise NotInFormat
    if k0 == 0:
        return [0] * (len(v) + 1)
    u = [round_sqrt(c * c * 2 ** (2 * (w - 2)) / s2) * (1 if c > 0 else -1) for c in v]
    return [k0] + u


def sinh(z):
    return (z.exp() - (-z).exp()) / 2 if abs(z) > Decimal("1e-20") else z


def fixed_dist_ref(model, repr_name, a, b):
    """Exact distance between a and b rounded into the format (Decimal)."""
    w, frac = FIXED[repr_name]
    f = frac[model]
    ka, kb = fixed_point(model, repr_name, a), fixed_point(model, repr_name, b)
    if model == "poincare":
        x = [Fraction(c, 2**f) for c in ka]
        y = [Fraction(c, 2**f) for c in kb]
        num = sum((p - q) ** 2 for p, q in zip(x, y))
        den = (1 - sum(p * p for p in x)) * (1 - sum(q * q for q in y))
        return 2 * asinh(dec(num / den).sqrt())
    if model == "lorentz":
        # S = sinh^2(d/2) = (|xs - ys|^2 - (x0 - y0)^2) / 4, x0 - y0 = B / (x0 + y0)
        x = [Fraction(c, 2**f) for c in ka]
        y = [Fraction(c, 2**f) for c in kb]
        a2 = sum((p - q) ** 2 for p, q in zip(x, y))
        bb = sum(p * p for p in x) - sum(q * q for q in y)
        x0 = (1 + dec(sum(p * p for p in x))).sqrt()
        y0 = (1 + dec(sum(q * q for q in y))).sqrt()
        s = (dec(a2) - (dec(bb) / (x0 + y0)) ** 2) / 4
        return 2 * asinh(max(s, Decimal(0)).sqrt())
    # Euclid: S = sinh^2((ra - rb)/2) + sinh(ra) sinh(rb) |ua - ub|^2 / 4 (unit ua, ub)
    ra, rb = dec(Fraction(ka[0], 2**f)), dec(Fraction(kb[0], 2**f))
    if ka[0] == 0 or kb[0] == 0:
        return abs(ra - rb)
    na = dec(sum(c * c for c in ka[1:])).sqrt()
    nb = dec(sum(c * c for c in kb[1:])).sqrt()
    chord = sum((Decimal(p) / na - Decimal(q) / nb) ** 2 for p, q in zip(ka[1:], kb[1:]))
    s = sinh((ra - rb) / 2) ** 2 + sinh(ra) * sinh(rb) * chord / 4
    return 2 * asinh(s.sqrt())


def _q_dec(word):
    """hyp_q32_32_format: 10 decimals, rounded half to even."""
    q, r = divmod(word * 10**10, 2**32)
    if 2 * r > 2**32 or (2 * r == 2**32 and q % 2 == 1):
        q += 1
    return "%d.%010d" % divmod(q, 10**10)


def check_fixed_word(printed, hex_out, ref):
    """None if the printed Q32.32 distance is the reference rounded to
    nearest, else the reason."""
    if hex_out:
        word = int(printed, 16)
    else:
        word = round(Fraction(Decimal(printed)) * 2**32)
        if _q_dec(word) != printed:
            return f"{printed} is not the decimal form of any Q32.32 word"
    off = abs(Fraction(word) - Fraction(ref) * 2**32)
    if off > Fraction(1, 2) + Fraction(1, 2**90):
        return f"{printed} is {float(off):.3g} units of 2^-32 from the reference {ref:.25g}"
    return None


def parse_coords(text):
    return [float.fromhex(t) if "0x" in t.lower() else float(t) for t in text.split(",")]


def option(args, name):
    """The value of option `name`, given as "NAME VALUE" or "NAME=VALUE"."""
    for i, a in enumerate(args):
        if a == name and i + 1 < len(args):
            return args[i + 1]
        if a.startswith(name + "="):
            return a[len(name) + 1:]
    return None


def data_lines(path):
    """Input lines that produce an output line (the CLI's comment rule)."""
    out = []
    for raw in path.read_bytes().decode("latin-1").split("\n"):
        line = raw[:-1] if raw.endswith("\r") else raw
        if line.startswith("#") or line.strip(" \t") == "":
            continue
        out.append(line)
    return out


def check_case(case):
    """Returns (number of values checked, list of failures)."""
    args = (case / "args").read_text().split("\n")[:-1]
    out_lines = (case / "expected_stdout").read_text().split("\n")[:-1]
    hex_out = "--hex" in args
    refs = None
    repr_name = option(args, "--repr")
    if args[:1] == ["dist"] and repr_name in FIXED and "--help" not in args:
        return check_fixed_case(case, args, out_lines, repr_name, hex_out)
    if (case / "reference").exists():
        refs = [line.split()[0] for line in (case / "reference").read_text().split("\n")
                if line.strip() and not line.startswith("#")]
    elif args[:1] in (["dist"], ["convert"]) and "--help" not in args:
        src = option(args, "--file")
        src = case / src if src else case / "stdin"
        if not src.is_file():
            return 0, []
        refs = []
        for line in data_lines(src):
            try:
                if args[0] == "dist" and option(args, "--model") == "poincare":
                    a, b = line.split("\t")
                    refs.append([poincare_dist(parse_coords(a), parse_coords(b))])
                elif args[0] == "convert":
                    frm, to = option(args, "--from"), option(args, "--to")
                    v = parse_coords(line)
                    if frm == "lorentz" and "--spatial" not in args:
                        v = v[1:]
                    y = image(to, spatial_from(frm, v))
                    if to == "lorentz" and "--spatial" in args:
                        y = y[1:]
                    refs.append(y)
                else:
                    return 0, []  # lorentz/euclid distances need a reference file
            except (ValueError, OverflowError, ZeroDivisionError, decimal.InvalidOperation):
                refs.append("-")  # not a point: the CLI must print `error`
    else:
        return 0, []

    failures = []
    checked = 0
    if len(refs) != len(out_lines):
        return 0, [f"{case.name}: {len(out_lines)} output lines, {len(refs)} references"]
    for i, (got, ref) in enumerate(zip(out_lines, refs), 1):
        if got == "error" or ref == "-":
            if got != "error" and ref == "-":
                failures.append(f"{case.name}:{i}: printed {got}, reference says not a point")
            continue
        values = [float.fromhex(t) if hex_out else float(t) for t in got.split(",")]
        ref_values = ref if isinstance(ref, list) else [Decimal(ref)]
        if len(values) != len(ref_values):
            failures.append(f"{case.name}:{i}: {len(values)} values, reference has {len(ref_values)}")
            continue
        for k, (v, r) in enumerate(zip(values, ref_values), 1):
            checked += 1
            off = ulps_off(v, Fraction(r))
            if off > MAX_ULPS:
                failures.append(f"{case.name}:{i}: value {k} = {v!r} is {float(off):.3g} ulp "
                                f"from the reference {Decimal(r):.25g}")
    return checked, failures


def check_fixed_case(case, args, out_lines, repr_name, hex_out):
    """`dist --repr FIXED`: every line against fixed_dist_ref."""
    src = option(args, "--file")
    src = case / src if src and src != "-" else case / "stdin"
    model = option(args, "--model")
    lines = data_lines(src)
    if len(lines) != len(out_lines):
        return 0, [f"{case.name}: {len(out_lines)} output lines, {len(lines)} input lines"]
    failures, checked = [], 0
    for i, (line, got) in enumerate(zip(lines, out_lines), 1):
        try:
            a, b = line.split("\t")
            pa, pb = parse_coords(a), parse_coords(b)
            if model == "lorentz" and "--spatial" not in args:
                for p in (pa, pb):  # hyp_point_check: x0 within 2^-20 relative
                    x0 = (1 + dec(sum(Fraction(c) ** 2 for c in p[1:]))).sqrt()
                    if not abs(dec(p[0]) - x0) <= x0 * Decimal(2) ** -20:
                        raise ValueError
                pa, pb = pa[1:], pb[1:]
            if len(pa) != len(pb) or any(c != c or abs(c) == float("inf") for c in pa + pb):
                raise ValueError
            ref = fixed_dist_ref(model, repr_name, pa, pb)
        except (ValueError, OverflowError, ZeroDivisionError, decimal.InvalidOperation):
            ref = "-"  # NotInFormat included: the CLI must print `error`
        if ref == "-" or got == "error":
            if got != "error" or ref != "-":
                failures.append(f"{case.name}:{i}: printed {got}, reference "
                                f"{'says not a point of the format' if ref == '-' else ref}")
            continue
        checked += 1
        why = check_fixed_word(got, hex_out, ref)
        if why:
            failures.append(f"{case.name}:{i}: {why}")
    return checked, failures


def main():
    cases = Path(sys.argv[1])
    total = 0
    failures = []
    for case in sorted(p for p in cases.iterdir() if (p / "args").exists()):
        n, f = check_case(case)
        total += n
        failures += f
    for f in failures:
        print(f)
    print(f"{total} values checked against references, {len(failures)} beyond {MAX_ULPS} ulp")
    return 1 if failures or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
