#!/usr/bin/env python3
"""gen_scheme.py: seeded random Rubric schemes and data for the reference test.

Usage (one scheme and its tables, for a look or a regression case):
    python3 gen_scheme.py --seed S --out DIR [--rows N]

writes DIR/scheme.rubric, DIR/entities.csv and, when the scheme needs them,
DIR/periods.csv and DIR/parents.csv, and DIR/job.txt, the options of the job
(`--scheme ID --entities entities.csv ...`). tests/reference/run.py imports
this file and calls generate(seed) itself.

A scheme has inputs of every type (count, money, fraction, rank, yesno,
number), with bounds, `per` a period, `from parent` and every kind of
`missing` rule; scheme-level and part-level lets; file-level and
scheme-level forms and the prelude's; categories, indicators and items
whose rules are drawn from every rule shape: tier lists (< <= > >= == with
`otherwise`, `linear between`, `undefined`, full coverage without
`otherwise`), and/or/not, the built-ins, peer aggregates (also over other
aggregates, up to three stages), arithmetic with
long decimals; `round N`, `round total N`, targets, grades, `peers by
parent`; in a third of the schemes, one or two record tables (fields of every
type) read by `count(T)` and `count(T where COND)` anywhere an expression
may stand, their rows in DIR/T.csv (`--records T=T.csv`), 0 to 6 per
entity. Types and units are tracked so that most schemes check; the
driver keeps only the ones `rubric check` accepts.

The data is full of boundary values: every number of the scheme, exactly
and one unit of 10^-18 (or 1, for counts and ranks) either side; 0, 1, the
ends of each input's range; values with 18 decimals ending in 5 (half-up
rounding); large values near 10^19 and up to 10^20 - 10^-18 (overflow); the
same values in several rows (ties, equal totals); empty cells where a
`missing` rule allows them, absent period rows.
"""

import argparse
import os
import random
import re
from fractions import Fraction as Q

ULP = Q(1, 10 ** 18)
BIG = 10 ** 20 - ULP  # the largest value a cell may hold
TYPE_UNIT = {"count": "count", "money": "money", "fraction": "fraction", "rank": "rank", "number": "plain"}


def dec(q):
    """The exact decimal text of Q (a decimal with at most 18 places)."""
    q = Q(q)
    sign = "-" if q < 0 else ""
    q = abs(q)
    n = q.numerator * 10 ** 18 // q.denominator
    assert Q(n, 10 ** 18) == q, q
    whole, frac = divmod(n, 10 ** 18)
    frac = ("%018d" % frac).rstrip("0")
    return sign + str(whole) + ("." + frac if frac else "")


class E:
    """A generated expression: its text and what the checker will infer."""

    def __init__(self, text, kind, unit=None, per=False, reads=(), peers=False, atom=False, named=False):
        self.text, self.kind, self.unit, self.per = text, kind, unit, per
        self.named = named or bool(reads) or peers  # holds a name: not a constant
        self.reads = frozenset(reads)   # input names it reads
        self.peers = peers              # holds a peer aggregate
        self.atom = atom                # needs no parentheses as an operand

    def op(self):
        return self.text if self.atom else "(" + self.text + ")"


def join(text, kind, unit, parts, atom=False):
    """An expression made of PARTS."""
    return E(text, kind, unit, any(p.per for p in parts), frozenset().union(*[p.reads for p in parts]),
             any(p.peers for p in parts), atom, any(p.named for p in parts))


class Input:
    def __init__(self, name, typ):
        self.name, self.type = name, typ
        self.periodic = self.from_parent = False
        self.lo = self.hi = None        # declared bounds
        self.missing = None             # None, "error", ("value", q), ("points", q), "full"
        self.thresholds = set()         # numbers it is compared with

    def unit(self):
        return TYPE_UNIT.get(self.type)

    def scores_fixed(self):
        return self.missing == "full" or (isinstance(self.missing, tuple) and self.missing[0] == "points")

    def range(self):
        lo = {"count": Q(0), "rank": Q(1), "fraction": Q(0), "money": Q(0), "yesno": Q(0)}.get(self.type)
        hi = {"fraction": Q(1), "yesno": Q(1)}.get(self.type)
        if self.lo is not None:
            lo = self.lo
        if self.hi is not None:
            hi = self.hi
        return lo, hi

    def whole(self):
        return self.type in ("count", "rank", "yesno")

    def fits(self, v):
        lo, hi = self.range()
        return (lo is None or v >= lo) and (hi is None or v <= hi) and (not self.whole() or v.denominator == 1) \
            and abs(v) <= BIG and (v * 10 ** 18).denominator == 1


class Form:
    def __init__(self, name, params, body):
        self.name, self.params, self.body = name, params, body   # params: [(name, kind, unit)]


class Gen:
    """One scheme under construction."""

    def __init__(self, rng, sid, edgy):
        self.r, self.sid, self.edgy = rng, sid, edgy
        self.inputs, self.forms, self.numbers = [], [], set()
        self.lets = []          # (name, E) in scope
        self.params = None      # in a form body: [(name, kind, unit)]
        self.peers_ok = True
        self.peer_depth = 0   # peer aggregates around the expression being made: staged when > 1
        self.fixed_ok = True    # may read a `missing scores` input
        self.fixed = None       # the one `missing scores` input the current rule reads
        self.undef_ok = False
        self.nper = 1
        self.names = 0
        self.ratios = []        # (a, b): a / b of two names
        self.rules = []         # (path, points, rule) of every part with a rule
        self.leaves_points = []
        self.uses_parent = False
        self.first = 1
        self.tables = []        # record tables: [RecTable]
        self.conditions = set() # the texts of counts with a condition

    def name(self, prefix):
        self.names += 1
        return "%s%d" % (prefix, self.names)

    # ---- literals ------------------------------------------------------
    def number(self, unit="plain", small=False):
        r = self.r
        if unit == "fraction":
            q = r.choice([Q(3, 1000), Q(5, 1000), Q(1, 100), Q(3, 10), Q(1, 2), Q(8, 10), Q(1), Q(1, 8),
                          Q(r.randint(1, 999), 1000), Q(r.randint(1, 10 ** 6), 10 ** 8)])
            self.numbers.add(q)
            text = dec(q * 100) + "%"
            if r.random() < 0.15:
                text = dec(q * 1000) + "‰"
            return E(text, "num", "fraction", atom=True)
        choices = [lambda: Q(r.randint(0, 10)), lambda: Q(r.randint(1, 200), 10), lambda: Q(r.choice([2, 3, 4, 7, 8, 100])),
                   lambda: Q(r.randint(1, 10 ** 6), 10 ** r.randint(0, 6))]
        if not small:
            choices += [lambda: Q(r.randint(1, 10 ** 18 - 1), 10 ** 18), lambda: Q(r.randint(1, 10 ** 18), 10 ** r.randint(5, 18)),
                        lambda: Q(r.choice([10 ** 4, 10 ** 6, 7 * 10 ** 7, 10 ** 8]))]
            if self.edgy:
                choices += [lambda: Q(10 ** 19), lambda: BIG, lambda: Q(r.randint(1, 10 ** 19))]
        q = r.choice(choices)()
        self.numbers.add(q)
        text = dec(q)
        if q.denominator == 1 and q >= 10 ** 4 and r.random() < 0.3:
            text = dec(q / 10 ** 4) + "万" if q % 10 ** 4 == 0 and q < 10 ** 16 else "{:,}".format(int(q))
        return E(text, "num", "plain", atom=True)

    # ---- leaves --------------------------------------------------------
    def leaves(self, kind, unit, per):
        out = []
        if self.params is not None:
            for name, k, u in self.params:
                if k == kind and (unit is None or u == unit):
                    out.append(E(name, k, u, atom=True, named=True))
            return out
        for inp in self.inputs:
            k = "bool" if inp.type == "yesno" else "num"
            if k != kind or (unit is not None and inp.unit() != unit) or (inp.periodic and per == "no"):
                continue
            if inp.scores_fixed() and (not self.fixed_ok or (self.fixed and self.fixed != inp.name)):
                continue
            out.append(E(inp.name, k, inp.unit(), inp.periodic, [inp.name], atom=True))
        for name, e in self.lets:
            if e.kind != kind or (unit is not None and e.unit != unit) or (e.per and per == "no"):
                continue
            if e.peers and not self.peers_ok:
                continue
            fixed = [n for n in e.reads if self.input(n).scores_fixed()]
            if fixed and (not self.fixed_ok or (self.fixed and self.fixed != fixed[0])):
                continue
            out.append(E(name, kind, e.unit, e.per, e.reads, e.peers, atom=True))
        if per == "must":
            out = [e for e in out if e.per]
        return out

    def input(self, name):
        return next(i for i in self.inputs if i.name == name)

    def take(self, e):
        """Notes what E reads (the `missing scores` input of the rule)."""
        for n in e.reads:
            if self.input(n).scores_fixed():
                self.fixed = n
        return e

    # ---- numbers -------------------------------------------------------
    def num(self, unit, per="no", depth=2):
        """A number expression of exactly UNIT (None: any), one value unless PER
        is "ok" (either) or "must" (per period)."""
        r = self.r
        if per == "must" and self.nper < 2:
            return None
        if depth <= 0 or r.random() < 0.25:
            e = self.leaf_num(unit, per)
            if e or depth <= 0:
                return e
        kinds = ["add", "mul", "div", "neg", "minmax", "clamp", "round", "tiers", "leaf"]
        if per != "must":
            kinds += ["reduce", "count", "period", "form", "prelude", "peer", "peer"]
            if self.tables and self.params is None:
                kinds += ["records", "records"]
            if self.nper > 1:
                kinds += ["period", "reduce"]
        r.shuffle(kinds)
        for k in kinds[:4]:
            e = getattr(self, "p_" + k)(unit, per, depth - 1)
            if e is not None:
                return e
        return None

    def leaf_num(self, unit, per):
        r = self.r
        cands = self.leaves("num", unit, per)
        if cands and r.random() < 0.85:
            return self.take(r.choice(cands))
        if per == "must":
            return None
        if unit in (None, "plain", "fraction") and self.params is None or unit in ("plain", "fraction"):
            return self.number(unit or r.choice(["plain", "fraction"]))
        return self.take(r.choice(cands)) if cands else None

    def sub(self, unit, per, depth, must_index=0, n=2):
        """N operands of UNIT; under "must" the one at MUST_INDEX is per period."""
        out = []
        for i in range(n):
            p = per if per != "must" else ("must" if i == must_index else "ok")
            e = self.num(unit, p, depth)
            if e is None:
                return None
            out.append(e)
        return out

    def p_leaf(self, unit, per, depth):
        return self.leaf_num(unit, per)

    def p_add(self, unit, per, depth):
        r = self.r
        if unit is None:
            unit = r.choice(self.units())
        a = self.num(unit, per, depth)
        if a is None:
            return None
        b = self.num(unit, "ok" if per != "no" else "no", depth) if r.random() < 0.6 else self.number("plain", small=True)
        if b is None:
            return None
        ops = [a, b] if r.random() < 0.5 or per == "must" else [b, a]
        op = r.choice(["+", "-"])
        return join("%s %s %s" % (ops[0].op(), op, ops[1].op()), "num", unit, ops)

    def p_mul(self, unit, per, depth):
        r = self.r
        if unit is None:
            unit = r.choice(self.units())
        if unit == "plain" and r.random() < 0.3:
            us = [u for u in self.units() if u not in ("plain", "fraction")]
            if len(us) >= 1:
                a, b = self.num(r.choice(us), per, depth), self.num(r.choice(us), "ok" if per != "no" else "no", depth)
                if a and b:
                    return join("%s * %s" % (a.op(), b.op()), "num", "plain", [a, b])
        a = self.num(unit, per, depth)
        if a is None:
            return None
        scale_unit = "plain" if unit == "fraction" and r.random() < 0.5 else r.choice(["plain", "fraction"])
        if unit != "fraction" and scale_unit == "fraction" and unit == "plain":
            scale_unit = "plain"   # plain * fraction is a fraction
        b = self.num(scale_unit, "ok" if per != "no" else "no", depth) if r.random() < 0.5 else self.number(scale_unit)
        if b is None:
            return None
        ops = [a, b] if r.random() < 0.5 or per == "must" else [b, a]
        return join("%s * %s" % (ops[0].op(), ops[1].op()), "num", unit, ops)

    def p_div(self, unit, per, depth):
        r = self.r
        if unit is None:
            unit = r.choice(self.units())
        if unit == "fraction" and r.random() < 0.6:
            us = [u for u in self.units() if u not in ("plain", "fraction")]
            if us:
                u = r.choice(us)
                a, b = self.num(u, per, depth), self.num(u, "ok" if per != "no" else "no", depth)
                if a and b:
                    if a.atom and b.atom and a.reads and b.reads:
                        self.ratios.append((a.text, b.text))
                    return join("%s / %s" % (a.op(), b.op()), "num", "fraction", [a, b])
        a = self.num(unit, per, depth)
        if a is None:
            return None
        div_unit = "plain" if unit == "fraction" else r.choice(["plain", "plain", "fraction"])
        if unit == "plain":
            div_unit = "plain"
        if r.random() < 0.5:
            b = E(r.choice(["2", "3", "4", "7", "8", "9", "10", "100", "1000", "0.3", "1.5", "0.07", "12.5"]), "num", "plain", atom=True)
        else:
            b = self.num(div_unit, "ok" if per != "no" else "no", depth)
        if b is None:
            return None
        return join("%s / %s" % (a.op(), b.op()), "num", unit, [a, b])

    def p_neg(self, unit, per, depth):
        a = self.num(unit, per, depth)
        return a and join("-" + a.op(), "num", a.unit, [a], atom=False)

    def p_minmax(self, unit, per, depth):
        r = self.r
        if unit is None:
            unit = r.choice(self.units())
        n = r.randint(2, 3)
        args = self.sub(unit, per, depth, r.randrange(n), n)
        if not args:
            return None
        if r.random() < 0.4:
            args[r.randrange(n)] = self.number("plain", small=True) if per != "must" or True else args[0]
            if per == "must" and not any(a.per for a in args):
                return None
        return join("%s(%s)" % (r.choice(["min", "max"]), ", ".join(a.op() for a in args)), "num", unit, args, atom=True)

    def p_clamp(self, unit, per, depth):
        r = self.r
        if unit is None:
            unit = r.choice(self.units())
        x = self.num(unit, per, depth)
        if x is None:
            return None
        lo, hi = self.number("plain", small=True), self.number("plain", small=True)
        if r.random() < 0.3:
            lo = self.num(unit, "no", depth - 1) or lo
        return join("clamp(%s, %s, %s)" % (x.op(), lo.op(), hi.op()), "num", unit, [x, lo, hi], atom=True)

    def p_round(self, unit, per, depth):
        x = self.num(unit, per, depth)
        return x and join("%s(%s)" % (self.r.choice(["ceil", "floor", "abs"]), x.op()), "num", x.unit, [x], atom=True)

    def p_reduce(self, unit, per, depth):
        r = self.r
        if unit is None:
            unit = r.choice(self.units())
        n = r.choice([1, 1, 1, 2, 3])
        args = []
        for i in range(n):
            e = self.num(unit, "must" if i == 0 and self.nper > 1 and r.random() < 0.7 else "ok", depth)
            if e is None:
                e = self.num(unit, "ok", depth)
            if e is None:
                return None
            args.append(e)
        e = join("%s(%s)" % (r.choice(["sum", "mean"]), ", ".join(a.op() for a in args)), "num", unit, args, atom=True)
        e.per = False
        return e

    def p_count(self, unit, per, depth):
        if unit not in (None, "count"):
            return None
        args = [self.cond("ok", depth) for _ in range(self.r.randint(1, 3))]
        if None in args:
            return None
        e = join("count(%s)" % ", ".join(a.op() for a in args), "num", "count", args, atom=True)
        e.per = False
        return e

    def p_records(self, unit, per, depth):
        """`count(T)` or `count(T where COND)` of a record table."""
        if unit not in (None, "count") or not self.tables or self.params is not None:
            return None
        t = self.r.choice(self.tables)
        t.used = True
        if self.r.random() < 0.25:
            text = "count(%s)" % t.name
        else:
            c = rcond(self, t, self.r.randint(1, 3))
            text = "count(%s where %s)" % (t.name, c)
            self.conditions.add(text)
        return E(text, "num", "count", atom=True, named=True)

    def p_period(self, unit, per, depth):
        r = self.r
        if self.nper < 2:
            return None
        fn = r.choice(["latest", "previous", "growth", "min", "max", "latest"])
        if fn == "growth":
            if unit not in (None, "fraction"):
                return None
            x = self.num(r.choice(self.units()), "must", depth)
            unit = "fraction"
        else:
            x = self.num(unit, "must", depth)
        if x is None:
            return None
        e = join("%s(%s)" % (fn, x.op()), "num", unit if fn == "growth" else x.unit, [x], atom=True)
        e.per = False
        return e

    def p_peer(self, unit, per, depth):
        r = self.r
        if not self.peers_ok or self.params is not None:
            return None
        fn = r.choice(["max", "min", "mean", "sum", "rank", "ratio_to_max", "minmax", "share", "rank_ratio", "count"])
        result = {"rank": "rank", "count": "count"}.get(fn, "fraction" if fn in ("ratio_to_max", "minmax", "share", "rank_ratio") else None)
        if result is not None and unit is not None and unit != result:
            return None
        if fn == "count":
            return E("peers.count()", "num", "count", peers=True, atom=True)
        # an aggregate over aggregates (staged statistics), up to three stages
        self.peer_depth += 1
        self.peers_ok, fixed_ok = self.peer_depth < 3, self.fixed_ok
        self.fixed_ok = False
        x = self.num(unit if result is None else None, "no", depth)
        self.peers_ok, self.fixed_ok = True, fixed_ok
        self.peer_depth -= 1
        if x is None:
            return None
        e = join("peers.%s(%s)" % (fn, x.op()), "num", result or x.unit, [x], atom=True)
        e.peers, e.per = True, False
        return e

    def p_form(self, unit, per, depth):
        r = self.r
        forms = [f for f in self.forms if f.body.kind == "num" and (unit is None or f.body.unit == unit)]
        if not forms or self.params is not None:
            return None
        f = r.choice(forms)
        args = []
        for name, k, u in f.params:
            a = self.num(u, "no", depth) if k == "num" else self.cond("no", depth)
            if a is None:
                return None
            args.append(a)
        if r.random() < 0.3:  # named arguments, after the positional ones
            cut = r.randrange(len(args) + 1)
            texts = [a.op() for a in args[:cut]] + ["%s: %s" % (f.params[i][0], args[i].op()) for i in range(cut, len(args))]
        else:
            texts = [a.op() for a in args]
        return join("%s(%s)" % (f.name, ", ".join(texts)), "num", f.body.unit, args, atom=True)

    def p_prelude(self, unit, per, depth):
        r = self.r
        if unit is None:
            unit = r.choice(self.units())
        x = self.num(unit, "no", depth)
        if x is None:
            return None
        x = E(x.op(), x.kind, x.unit, x.per, x.reads, x.peers, True, x.named)
        lit = lambda: self.number("plain", small=True).text
        fn = r.choice(["deduct", "deduct_capped", "award", "shortfall", "proportional", "interpolate"])
        if fn == "deduct":
            text = r.choice(["deduct(%s, %s, %s)" % (lit(), lit(), x.text),
                             "deduct(full: %s, each: %s, count: %s)" % (lit(), lit(), x.text)])
        elif fn == "deduct_capped":
            text = "deduct_capped(%s, %s, %s, %s)" % (lit(), lit(), x.text, lit())
        elif fn == "award":
            text = "award(%s, %s, %s)" % (lit(), x.text, lit())
        elif fn == "shortfall":
            text = "shortfall(%s, %s, %s, each: %s)" % (lit(), lit(), x.text, lit())
        elif fn == "proportional":
            text = "proportional(%s, %s, %s)" % (lit(), x.text, r.choice([lit(), "7", "3"]))
        else:
            a, b = sorted(r.sample(range(0, 20), 2))
            text = "interpolate(%s, %d, %s, %d, %s)" % (x.text, a, lit(), b, lit())
        unit = x.unit
        if fn in ("proportional",):
            unit = x.unit
        return join(text, "num", unit, [x], atom=True)

    def units(self):
        us = {"plain", "fraction", "count"}
        us |= {i.unit() for i in self.inputs if i.type != "yesno"}
        return sorted(us)

    # ---- conditions ----------------------------------------------------
    def cond(self, per="no", depth=2):
        """A yes/no expression; under PER "must", one value per period."""
        r = self.r
        rest = "ok" if per != "no" else "no"
        k = r.random()
        if depth <= 0 or k < 0.45:
            return self.compare(per, min(depth, 1))
        if k < 0.6:
            cands = self.leaves("bool", None, per)
            if cands:
                return self.take(r.choice(cands))
            return self.compare(per, depth)
        if k < 0.7:
            a = self.cond(per, depth - 1)
            return a and join("not " + a.op(), "bool", None, [a])
        a, b = self.cond(per, depth - 1), self.cond(rest, depth - 1)
        if a is None or b is None:
            return None
        if r.random() < 0.5:
            a, b = b, a
        op = r.choice(["==", "!="]) if k < 0.78 else r.choice(["and", "or"])
        return join("%s %s %s" % (a.op(), op, b.op()), "bool", None, [a, b])

    def compare(self, per, depth):
        r = self.r
        unit = r.choice(self.units())
        a = self.num(unit, per, depth - 1)
        if a is None:
            return None
        b = self.threshold(a) if r.random() < 0.6 else None
        if b is None:
            b = self.num(unit, "ok" if per != "no" else "no", depth - 1)
            if b is None:
                return None
        op = r.choice(["<", "<=", ">", ">=", "==", "!="])
        if r.random() < 0.5:
            a, b = b, a
        return join("%s %s %s" % (a.op(), op, b.op()), "bool", None, [a, b])

    def threshold(self, subject):
        """A number to compare SUBJECT with: one of the subject's range when it
        is an input by name, else any."""
        r = self.r
        inp = next((i for i in self.inputs if i.name == subject.text), None)
        if inp is not None and inp.type != "yesno":
            lo, hi = inp.range()
            lo = lo if lo is not None else Q(-100)
            hi = hi if hi is not None else max(lo + 100, Q(100))
            if inp.whole():
                if hi - lo < 2:
                    return None
                q = Q(r.randint(int(lo) + 1, int(hi) - 1 if hi - lo > 2 else int(lo) + 1))
            else:
                q = lo + (hi - lo) * Q(r.randint(1, 999), 1000)
            inp.thresholds.add(q)
            self.numbers.add(q)
            text = dec(q * 100) + "%" if inp.type == "fraction" else dec(q)
            return E(text, "num", "fraction" if inp.type == "fraction" else "plain", atom=True)
        if subject.unit == "fraction":
            return self.number("fraction")
        return self.number("plain", small=r.random() < 0.7)

    # ---- tier lists ----------------------------------------------------
    def p_tiers(self, unit, per, depth):
        r = self.r
        if unit is None:
            unit = r.choice(self.units())
        shape = r.choice(["simple", "simple", "linear", "cover", "general"])
        if shape == "general":
            n = r.randint(1, 3)
            tiers = []
            for i in range(n):
                c, v = self.cond(per if i == 0 else ("ok" if per != "no" else "no"), depth - 1), self.tier_value(unit, per, depth)
                if c is None or v is None:
                    return None
                tiers.append((v, c))
            other = self.tier_value(unit, per, depth)
            if other is None:
                return None
            text = ", ".join("%s if %s" % (v.op(), c.text) for v, c in tiers) + ", %s otherwise" % other.op()
            return join(text, "num", unit, [x for t in tiers for x in t] + [other])
        # one subject compared with numbers
        s = self.num(r.choice(self.units()), per, depth - 1)
        if s is None or s.kind != "num" or not s.named:
            return None
        ths = []
        for _ in range(r.randint(2, 4)):
            t = self.threshold(s)
            if t is None:
                return None
            ths.append(t)
        vals = sorted(set(self.value_of(t) for t in ths))
        if len(vals) < 2:
            return None
        by = {self.value_of(t): t for t in ths}
        ts = [by[v] for v in vals]     # ascending, distinct
        if shape == "linear":
            lo, hi = r.sample(ts, 2) if False else (ts[0], ts[-1])
            y0, y1 = self.tier_value(unit, per, depth), self.tier_value(unit, per, depth)
            if y0 is None or y1 is None:
                return None
            below = "%s if %s %s %s" % (y0.op(), s.op(), r.choice(["<", "<="]), lo.text)
            if r.random() < 0.2:
                below = "%s if %s %s %s" % (y0.op(), lo.text, r.choice([">", ">="]), s.op())
            above = "%s if %s %s %s" % (y1.op(), s.op(), r.choice([">", ">="]), hi.text)
            tiers = [below, above] if r.random() < 0.5 else [above, below]
            return join(", ".join(tiers) + ", linear between", "num", unit, [s, y0, y1])
        if shape == "cover":
            t = r.choice(ts)
            v1, v2 = self.tier_value(unit, per, depth), self.tier_value(unit, per, depth)
            if v1 is None or v2 is None:
                return None
            op1, op2 = r.choice([(">=", "<"), (">", "<="), ("<", ">="), ("<=", ">")])
            return join("%s if %s %s %s, %s if %s %s %s" % (v1.op(), s.op(), op1, t.text, v2.op(), s.op(), op2, t.text),
                        "num", unit, [s, v1, v2])
        # descending (>, >=) or ascending (<, <=) thresholds, maybe an == first
        down = r.random() < 0.5
        order = list(reversed(ts)) if down else ts
        parts, used = [], [s]
        if r.random() < 0.3:
            eq = self.threshold(s)
            if eq is not None and self.value_of(eq) not in vals:
                v = self.tier_value(unit, per, depth)
                if v is None:
                    return None
                parts.append("%s if %s == %s" % (v.op(), s.op(), eq.text))
                used.append(v)
        for t in order:
            v = self.tier_value(unit, per, depth)
            if v is None:
                return None
            op = r.choice([">", ">="] if down else ["<", "<="])
            parts.append("%s if %s %s %s" % (v.op(), s.op(), op, t.text))
            used.append(v)
        other = self.tier_value(unit, per, depth)
        if other is None:
            return None
        parts.append("%s otherwise" % other.op())
        return join(", ".join(parts), "num", unit, used + [other])

    def value_of(self, e):
        t = e.text.replace(",", "")
        if t.endswith("%"):
            return Q(t[:-1]) / 100
        if t.endswith("‰"):
            return Q(t[:-1]) / 1000
        if t.endswith("万"):
            return Q(t[:-1]) * 10 ** 4
        return Q(t)

    def tier_value(self, unit, per, depth):
        r = self.r
        if self.undef_ok and r.random() < 0.08:
            return E(r.choice(['undefined', 'undefined "文件未规定"']), "num", unit, atom=False)
        if r.random() < 0.5:
            if unit in ("plain",) or r.random() < 0.5:
                return self.number("plain", small=True)
        return self.num(unit, "ok" if per != "no" else "no", depth - 1)


# ---- the scheme ---------------------------------------------------------

def points_value(r):
    return r.choice([Q(1), Q(2), Q(3), Q(4), Q(5), Q(10), Q(5, 2), Q(7, 10), Q(5, 4), Q(12, 5), Q(7, 20), Q(1, 3) * 3 + Q(1, 2)])


def make_inputs(g, r):
    n = r.randint(3, 9)
    types = ["count", "money", "fraction", "rank", "yesno", "number"]
    for k in range(n):
        t = r.choice(types) if k >= len(types) or r.random() < 0.4 else types[k]
        inp = Input(g.name("in_"), t)
        if g.nper > 1 and r.random() < 0.35:
            inp.periodic = True
        if g.uses_parent and r.random() < 0.25:
            inp.from_parent = True
        if t != "yesno" and r.random() < 0.35:
            b = r.choice({"count": ["at least 1", "in [0, 20]", "at most 100", "at least 2"],
                          "rank": ["at most 20", "in [1, 9]"],
                          "fraction": ["at most 150%", "in [0, 120%]", "at least 10%"],
                          "money": ["at least -100万", "in [0, 1000]", "at least 1"],
                          "number": ["in [-50, 50]", "at least 0", "at most 0.7", "in [-1, 1]", "at least -1000"]}[t])
            bound(inp, b)
        k2 = r.random()
        if k2 < 0.15:
            lo, hi = inp.range()
            v = lo if lo is not None else Q(0)
            if t == "yesno":
                inp.missing, inp.missing_text = ("value", Q(0)), r.choice(["no", "0", "false"])
            else:
                inp.missing, inp.missing_text = ("value", v), dec(v)
        elif k2 < 0.27 and not inp.from_parent:
            inp.missing = "full"
        elif k2 < 0.35 and not inp.from_parent:
            inp.missing = ("points", Q(r.choice([0, 1, 2, 5]), r.choice([1, 2, 4, 10])))
        elif k2 < 0.4:
            inp.missing = "error"
        g.inputs.append(inp)
    if not any(i.type != "yesno" for i in g.inputs):
        g.inputs.append(Input(g.name("in_"), "count"))


def parse_num(text):
    neg = text.startswith("-")
    text = text.lstrip("-")
    if text.endswith("%"):
        v = Q(text[:-1]) / 100
    elif text.endswith("万"):
        v = Q(text[:-1]) * 10 ** 4
    else:
        v = Q(text)
    return -v if neg else v


def input_decl(inp):
    s = "input %s: %s" % (inp.name, "yesno" if inp.type == "yesno" else inp.type)
    if inp.periodic:
        s += " per month"
    if inp.from_parent:
        s += " from parent"
    if getattr(inp, "bound", None):
        s += " " + inp.bound
    m = inp.missing
    if m == "error":
        s += " missing error"
    elif m == "full":
        s += " missing scores full"
    elif isinstance(m, tuple) and m[0] == "value":
        s += " missing " + inp.missing_text
    elif isinstance(m, tuple):
        s += " missing scores " + dec(m[1])
    return s + ' "%s"' % inp.name.replace("in_", "输入 ")


def make_forms(g, r, prefix):
    """File-level and scheme-level forms over their parameters."""
    out = []
    for k in range(r.randint(0, 3)):
        params = []
        for p in range(r.randint(1, 3)):
            kind = "bool" if r.random() < 0.2 else "num"
            params.append(("p%d" % p, kind, None if kind == "bool" else r.choice(g.units())))
        if not any(k == "num" for _, k, _ in params):
            params.append(("p9", "num", "plain"))
        g.params, g.peers_ok = params, False
        nper, undef = g.nper, g.undef_ok
        g.nper, g.undef_ok = 1, False   # the parameters have one value; no `undefined` in a form
        body = None
        for _ in range(5):
            body = g.num(r.choice([u for _, k, u in params if k == "num"]), "no", 2)
            if body is not None:
                break
        g.params, g.peers_ok = None, True
        g.nper, g.undef_ok = nper, undef
        if body is None:
            continue
        f = Form("%s_f%d" % (prefix, k), params, body)
        g.forms.append(f)
        out.append("form %s(%s) = %s" % (f.name, ", ".join(p for p, _, _ in params), body.text))
    return out


def generate(seed, rows=None):
    """A scheme and its data: (scheme text, scheme id, {file name: text}, job
    options as a list of (option, file name))."""
    r = random.Random(seed)
    sid = "s%d" % seed
    edgy = r.random() < 0.35
    g = Gen(r, sid, edgy)
    g.nper = r.choice([1, 1, 2, 3, 4])
    peers_by_parent = r.random() < 0.2
    g.uses_parent = peers_by_parent or r.random() < 0.25
    g.undef_ok = edgy and r.random() < 0.5
    make_inputs(g, r)
    if random.Random("records %d" % seed).random() < 0.35:
        make_tables(g, r)
    if not g.uses_parent:
        for i in g.inputs:
            i.from_parent = False
    g.uses_parent = peers_by_parent or any(i.from_parent for i in g.inputs)
    file_forms = make_forms(g, r, sid)
    lines = ['scheme %s "随机方案 %d" {' % (sid, seed)]
    body = []
    if g.nper > 1:
        first = r.choice([1, 2020])
        g.first = first
        body.append("period month %d to %d" % (first, first + g.nper - 1))
    else:
        for i in g.inputs:
            i.periodic = False
    body += make_forms(g, r, sid + "_in")   # scheme-level forms
    if peers_by_parent:
        body.append("peers by parent")
    elif r.random() < 0.3:
        body.append("peers all")
    if r.random() < 0.3:
        body.append("round %d" % r.choice([0, 1, 2, 3, 6, 18]))
    if r.random() < 0.3:
        body.append("round total %d" % r.choice([0, 1, 2, 4, 17]))
    for inp in g.inputs:
        body.append(input_decl(inp))
    for t in g.tables:
        body += table_decl(t)
    # scheme-level lets
    for _ in range(r.randint(0, 3)):
        g.fixed = None
        e = g.num(None, r.choice(["no", "ok"]) if g.nper > 1 else "no", 2) if r.random() < 0.8 else g.cond("no", 2)
        if e is None:
            continue
        name = g.name("l_")
        body.append("let %s = %s" % (name, e.text))
        g.lets.append((name, e))
    # parts
    total = Q(0)
    tops = []
    for k in range(r.randint(1, 5)):
        if r.random() < 0.3:
            text, pts, ids = category(g, r, 1)
        else:
            text, pts, ids = indicator(g, r, "indicator", 1)
        body += text
        total += pts
        tops.append(ids)
    for t in g.tables:   # a table no rule counts is a warning (R0352): count it
        if not re.search(r"count\(%s[ )]" % t.name, "\n".join(body)):
            g.fixed = None
            e = E("count(%s where %s)" % (t.name, rcond(g, t, 2)) if r.random() < 0.7 else "count(%s)" % t.name, "num", "count")
            g.conditions.add(e.text)
            t.used = True
            pid = g.name("i")
            pts = points_value(r)
            body += ['indicator %s "indicator %s" points %s {' % (pid, pid, dec(pts)),
                     "  min(%s, %s)" % (e.text, dec(pts)), "}"]
            total += pts
            g.leaves_points.append((pid, pts))
    body.insert(0, "total " + dec(total))
    # targets
    for _ in range(r.randint(0, 2) if r.random() < 0.4 else 0):
        t = target(g, r)
        if t:
            body += t
    # grades
    if r.random() < 0.4:
        body += grade(g, r, "total", total)
    if r.random() < 0.2:
        path, pts = r.choice(g.leaves_points)
        body += grade(g, r, path, pts)
    fix_missing_points(g)
    for i, line in enumerate(body):
        if line.startswith("input "):
            body[i] = input_decl(g.input(line.split()[1].rstrip(":")))
    lines += ["  " + b for b in body] + ["}"]
    text = "\n".join(file_forms + lines) + "\n"
    files, job = make_data(g, r, rows)
    return text, sid, files, job, {"targets": any(b.startswith("target ") for b in body)}


def category(g, r, depth):
    cid = g.name("c")
    inner, pts = [], Q(0)
    for _ in range(r.randint(1, 3)):
        t, p, _ = indicator(g, r, "indicator", depth + 1)
        inner += ["  " + x for x in t]
        pts += p
    return ['category %s "类别 %s" points %s {' % (cid, cid, dec(pts))] + inner + ["}"], pts, cid


def indicator(g, r, kw, depth, parent=""):
    pid = g.name("i" if kw == "indicator" else "t")
    path = parent + "." + pid if parent else pid
    lines = []
    saved = len(g.lets)
    for _ in range(r.choice([0, 0, 1, 2])):
        g.fixed = None
        e = g.num(None, r.choice(["no", "ok"]) if g.nper > 1 else "no", 2)
        if e is not None:
            name = g.name("l_")
            lines.append("let %s = %s" % (name, e.text))
            g.lets.append((name, e))
    if depth < 3 and r.random() < 0.25:   # items
        pts = Q(0)
        for _ in range(r.randint(1, 3)):
            t, p, _ = indicator(g, r, "item", depth + 1, path)
            lines += t
            pts += p
    else:
        pts = points_value(r)
        rule = None
        for _ in range(10):
            g.fixed = None
            rule = g.num(None, "no", r.choice([2, 3, 3, 4]))
            if rule is not None and not rule.per:
                break
            rule = None
        if rule is None:
            rule = E(dec(pts), "num", "plain")
        g.rules.append((path, pts, rule))
        g.leaves_points.append((path, pts))
        # a line that starts with `-` continues the line before it (a let): parenthesized
        lines.append("(%s)" % rule.text if rule.text.startswith("-") else rule.text)
    del g.lets[saved:]
    ind = "  "
    return ['%s %s "%s %s" points %s {' % (kw, pid, kw, pid, dec(pts))] + [ind + x for x in lines] + ["}"], pts, pid


def fix_missing_points(g):
    """`missing scores N` may not exceed the points of a part that reads it."""
    for inp in g.inputs:
        if isinstance(inp.missing, tuple) and inp.missing[0] == "points":
            pts = [p for path, p, rule in g.rules if inp.name in rule.reads]
            if pts and inp.missing[1] > min(pts):
                inp.missing = ("points", min(pts) * Q(g.r.choice([0, 1, 1, 2]), 2))


def target(g, r):
    g.fixed_ok, g.fixed = False, None
    unit = r.choice(g.units())
    v = g.num(unit, "no", 2)
    goal = g.threshold(v) if v is not None and r.random() < 0.6 else g.num(unit, "no", 1)
    g.fixed_ok = True
    if v is None or goal is None:
        return None
    tid = g.name("goal")
    return ['target %s "目标 %s" {' % (tid, tid), "  %s %s %s" % (v.op(), r.choice([">=", ">", "<=", "<"]), goal.op()), "}"]


def grade(g, r, subject, pts):
    cuts = sorted(set(Q(r.randint(1, 19), 20) * pts for _ in range(r.randint(1, 3))))
    cuts = [c for c in cuts if 0 < c < pts]
    if not cuts:
        cuts = [pts / 2]
    gid = g.name("g")
    lines = ['grade %s "等级 %s" on %s {' % (gid, gid, subject)]
    bands = []
    lo_open = [r.random() < 0.5 for _ in cuts]  # the band above cut k excludes it
    for k in range(len(cuts) + 1):
        conds = []
        if k > 0:
            conds.append("%s %s %s" % (subject, ">" if lo_open[k - 1] else ">=", dec(cuts[k - 1])))
        if k < len(cuts):
            conds.append("%s %s %s" % (subject, "<=" if lo_open[k] else "<", dec(cuts[k])))
        if not conds:
            conds = ["%s >= 0" % subject]
        bands.append(conds)
    # a veto (一票否决, spec/semantics.md#vetoes): a yes/no input, or a count
    # above a number, puts the entity in the lowest band whatever its score
    vetoes = [i for i in g.inputs if not i.periodic and i.missing not in ("full",) and
              not (isinstance(i.missing, tuple) and i.missing[0] == "points") and i.type in ("yesno", "count")]
    if vetoes and r.random() < 0.5:
        v = r.choice(vetoes)
        low = v.range()[0] if v.type != "yesno" and v.range()[0] is not None else Q(0)
        veto = v.name if v.type == "yesno" else "%s > %s" % (v.name, dec(low + r.choice([0, 1, 3])))
        bands = [c + ["not %s" % veto if v.type == "yesno" else "not (%s)" % veto] for c in bands]
        bands[0] = ["(%s) or %s" % (" and ".join(bands[0][:-1]), veto)]
    out = []
    for k, conds in enumerate(bands):
        treat = ' "措施 %d"' % k if r.random() < 0.5 else ""
        out.append('  "档 %d" if %s%s' % (k, " and ".join(conds), treat))
    return lines + out + ["}"]


# ---- record tables (spec/semantics.md#records) ---------------------------

DAY0 = 19723   # 2024-01-01 as a day number
LABELS = [["甲", "乙", "丙"], ["A级", "B级", '"A+"', "D级"], ["是的", "否的"]]


class RecTable:
    def __init__(self, name, fields):
        self.name, self.fields, self.used = name, fields, False
        self.day_gaps = set()      # days_between thresholds: a record's later date that far, +-1
        self.days = set()          # date literals of the conditions


def bound(inp, b):
    inp.bound = b
    for word, lo in [("at least", True), ("at most", False)]:
        if b.startswith(word):
            v = parse_num(b[len(word):].strip())
            if lo:
                inp.lo = v
            else:
                inp.hi = v
    if b.startswith("in ["):
        a, c = b[4:-1].split(",")
        inp.lo, inp.hi = parse_num(a.strip()), parse_num(c.strip())


def make_tables(g, r):
    """One or two record tables, fields of several types."""
    for _ in range(r.choice([1, 1, 2])):
        fields = []
        types = ["count", "money", "fraction", "number", "yesno", "label", "date", "date"]
        r.shuffle(types)
        for t in types[:r.randint(1, 6)] + (["date"] if r.random() < 0.4 else []):
            f = Input(g.name("f_"), t)
            if t in ("count", "money", "fraction", "number") and r.random() < 0.5:
                bound(f, r.choice({"count": ["at least 1", "in [0, 20]", "at most 100"],
                                   "fraction": ["at most 150%", "in [0, 120%]", "at least 10%"],
                                   "money": ["in [0, 1000]", "at least 1", "at most 10万"],
                                   "number": ["in [-50, 50]", "at least 0", "at most 0.7", "in [-1, 1]"]}[t]))
            if t == "label":
                f.labels = r.choice(LABELS)
            fields.append(f)
        g.tables.append(RecTable(g.name("rt"), fields))


def field_decl(f):
    if f.type == "label":
        return 'input %s: one of { %s } "字段 %s"' % (f.name, ", ".join(f.labels), f.name)
    s = "input %s: %s" % (f.name, f.type)
    if getattr(f, "bound", None):
        s += " " + f.bound
    if f.name.endswith("7") and f.type != "date":
        s += " missing error"
    return s + ' "字段 %s"' % f.name


def table_decl(t):
    return ['records %s "记录 %s" {' % (t.name, t.name)] + ["  " + field_decl(f) for f in t.fields] + ["}"]


def date_text(day, r=None):
    import datetime
    d = datetime.date(1970, 1, 1) + datetime.timedelta(days=int(day))
    if r is None or r.random() < 0.6:
        return d.isoformat()
    if r.random() < 0.5:
        return "%d/%d/%d" % (d.year, d.month, d.day)
    return "%d年%d月%d日" % (d.year, d.month, d.day)


def rnum(g, t, depth):
    """A number over T's fields: (text, unit, atom) or None."""
    r = g.r
    nums = [f for f in t.fields if f.type in ("count", "money", "fraction", "number")]
    dates = [f for f in t.fields if f.type == "date"]
    k = r.random()
    if len(dates) >= 2 and k < 0.3:
        a, b = r.sample(dates, 2)
        return "days_between(%s, %s)" % (a.name, b.name), "count", True, None
    if not nums:
        return None
    f = r.choice(nums)
    if depth <= 0 or k < 0.6:
        return f.name, f.unit(), True, f
    same = [x for x in nums if x.unit() == f.unit()]
    h = r.choice(same)
    op = r.choice(["+", "-", "*", "/", "lit*", "lit/"])
    if op == "lit*":
        return "%s * %s" % (f.name, r.choice(["2", "0.5", "3", "1.5", "100"])), f.unit(), False, None
    if op == "lit/":
        return "%s / %s" % (f.name, r.choice(["2", "3", "7", "0.3"])), f.unit(), False, None
    if op in ("+", "-"):
        return "%s %s %s" % (f.name, op, h.name), f.unit(), False, None
    if op == "/":
        return None   # no quotient of two fields: a zero divisor fails every condition (see record_data)
    if f.unit() in ("plain",) or h.unit() == "plain":
        return "%s * %s" % (f.name, h.name), f.unit() if h.unit() == "plain" else h.unit(), False, None
    return None


def rthreshold(g, t, unit, f):
    """A number written out to compare with a value of UNIT (of field F)."""
    r = g.r
    if f is not None:
        lo, hi = f.range()
        lo = lo if lo is not None else Q(-100)
        hi = hi if hi is not None else max(lo + 100, Q(100))
        if f.whole():
            q = Q(r.randint(int(lo), int(hi)))
        else:
            q = lo + (hi - lo) * Q(r.choice([0, 1, 250, 500, 999, 1000, r.randint(0, 1000)]), 1000)
        f.thresholds.add(q)
    else:
        q = r.choice([Q(0), Q(1), Q(r.randint(-10, 30)), Q(r.randint(1, 2000), 10)])
    g.numbers.add(q)
    if unit == "fraction":
        return dec(q * 100) + "%"
    return dec(q) if q >= 0 else "(%s)" % dec(q) if r.random() < 0.5 else dec(q)


def rcompare(g, t):
    r = g.r
    dates = [f for f in t.fields if f.type == "date"]
    labels = [f for f in t.fields if f.type == "label"]
    yes = [f for f in t.fields if f.type == "yesno"]
    k = r.random()
    if labels and k < 0.15:
        f = r.choice(labels)
        lab = r.choice([x for x in f.labels if not x.startswith('"')])   # a string label is no operand
        a, b = f.name, lab
        if r.random() < 0.3:
            a, b = b, a
        return "%s %s %s" % (a, r.choice(["==", "!="]), b)
    if yes and k < 0.3:
        return r.choice(yes).name
    if dates and k < 0.45:
        f = r.choice(dates)
        if len(dates) >= 2 and r.random() < 0.5:
            h = r.choice([d for d in dates if d is not f])
            return "%s %s %s" % (f.name, r.choice(["<", "<=", ">", ">=", "==", "!="]), h.name)
        day = DAY0 + r.randint(0, 400)
        t.days.add(day)
        return "%s %s %s" % (f.name, r.choice(["<", "<=", ">", ">=", "==", "!="]), date_text(day))
    for _ in range(4):
        x = rnum(g, t, 1)
        if x is None:
            continue
        text, unit, atom, f = x
        if text.startswith("days_between"):
            n = r.randint(-3, 20)
            t.day_gaps.add(n)
            lit = dec(Q(n)) if n >= 0 else "(%d)" % n
        else:
            lit = rthreshold(g, t, unit, f)
        a, b = text, lit
        if r.random() < 0.3:
            a, b = b, a
        return "%s %s %s" % (a, r.choice(["<", "<=", ">", ">=", "==", "!="]), b)
    if yes:
        return r.choice(yes).name
    f = r.choice(t.fields)
    if f.type == "date":
        return "%s == %s" % (f.name, f.name)
    if f.type == "label":
        return "%s != %s" % (f.name, f.labels[0])
    return "%s >= %s" % (f.name, f.name)


def rcond(g, t, depth):
    """A yes/no over T's fields and numbers written out."""
    r = g.r
    k = r.random()
    if depth <= 0 or k < 0.45:
        return rcompare(g, t)
    if k < 0.6:
        return "not (%s)" % rcond(g, t, depth - 1)
    return "(%s) %s (%s)" % (rcond(g, t, depth - 1), r.choice(["and", "or"]), rcond(g, t, depth - 1))


def record_data(g, r, t, ents):
    """The rows of T: 0 to 6 records per entity, boundary values, shuffled."""
    pools = {f.name: pool(g, f, r) for f in t.fields if f.type not in ("yesno", "label", "date")}
    days = sorted(t.days | {DAY0, DAY0 + 1, DAY0 + 59, DAY0 + 365})
    gaps = sorted(t.day_gaps | {0})
    rows = [["id"] + [f.name if r.random() < 0.7 else "字段 %s" % f.name for f in t.fields]]
    head_title = rows[0]
    body = []
    for e in ents:
        n = 0 if r.random() < 0.25 else r.randint(0, 6)
        for _ in range(n):
            row = [e["id"]]
            first_day = None
            for f in t.fields:
                if f.type == "yesno":
                    row.append(cell(f, Q(r.randint(0, 1)), r))
                elif f.type == "label":
                    lab = r.choice(f.labels).strip('"')
                    row.append(lab if r.random() < 0.9 else " %s " % lab)
                elif f.type == "date":
                    if first_day is None or r.random() < 0.3:
                        d = r.choice(days) + r.choice([-1, 0, 0, 1])
                        first_day = d if first_day is None else first_day
                    else:
                        d = first_day + r.choice(gaps) + r.choice([-1, 0, 0, 1])
                    row.append(date_text(d, r))
                else:
                    v = r.choice(pools[f.name]) if r.random() < 0.7 else typical(f, r)
                    row.append(cell(f, v, r))
            body.append(row)
    r.shuffle(body)
    return csv_text([head_title] + body)


# ---- data ---------------------------------------------------------------

def pool(g, inp, r):
    """Values for INP: boundary values first."""
    lo, hi = inp.range()
    vals = {Q(0), Q(1), Q(2), Q(10), Q(1000)}
    for v in (lo, hi):
        if v is not None:
            vals |= {v, v + 1, v - 1, v + ULP, v - ULP}
    nums = sorted(g.numbers)
    for t in inp.thresholds | set(r.sample(nums, min(40, len(nums)))):
        step = Q(1) if inp.whole() else ULP
        vals |= {t, t - step, t + step}
        if inp.type == "fraction" and t > 1:
            vals.add(t / 100)
    vals |= {Q(r.randint(0, 10 ** 18), 10 ** 18) + r.randint(0, 5), Q(5, 10 ** 18), Q(r.randint(0, 10 ** 17) * 10 + 5, 10 ** 18),
             Q(r.randint(1, 1000), 8)}
    if g.edgy:
        vals |= {Q(10 ** 19), Q(10 ** 19) - ULP, BIG, Q(r.randint(1, 10 ** 19)), Q(5 * 10 ** 19) + Q(1, 2)}
    vals |= {-v for v in list(vals)}
    out = sorted(v for v in vals if inp.fits(v))
    return out or [lo if lo is not None else Q(0)]


def typical(inp, r):
    lo, hi = inp.range()
    lo = lo if lo is not None else Q(-1000)
    hi = hi if hi is not None else lo + r.choice([10, 100, 10 ** 4, 10 ** 8])
    if inp.whole():
        return Q(r.randint(int(lo), int(hi)))
    return lo + (hi - lo) * Q(r.randint(0, 10 ** 6), 10 ** 6)


def cell(inp, v, r):
    if v is None:
        return ""
    if inp.type == "yesno":
        return r.choice({1: ["1", "yes", "true", "YES", "是"], 0: ["0", "no", "false", "No", "否"]}[int(v)])
    text = dec(v)
    k = r.random()
    if k < 0.05 and (v * 100).denominator <= 10 ** 18 and inp.type == "fraction":
        text = dec(v * 100) + "%"
    elif k < 0.08:
        text = " %s " % text
    elif k < 0.1 and v.denominator == 1 and v != 0:
        text = "%se0" % text
    return text


def make_data(g, r, rows):
    n = rows or r.choice([1, 2, 3, 5, 8, 12, 20, 30])
    pools = {i.name: pool(g, i, r) for i in g.inputs if i.type != "yesno"}

    def value(inp, allow_empty=True):
        if allow_empty and inp.missing not in (None, "error") and r.random() < 0.15:
            return None
        if inp.type == "yesno":
            return Q(r.randint(0, 1))
        return r.choice(pools[inp.name]) if r.random() < 0.55 else typical(inp, r)

    own = [i for i in g.inputs if not i.from_parent]
    par = [i for i in g.inputs if i.from_parent]
    nparents = r.randint(1, 3) if g.uses_parent else 0
    parent_ids = ["P%d" % k for k in range(nparents)]
    ents = []
    for k in range(n):
        if ents and r.random() < 0.15:   # a copy: ties in every column, equal totals
            e = dict(ents[r.randrange(len(ents))])
            e["id"] = "E%03d" % k
        else:
            e = {"id": "E%03d" % k}
            for inp in own:
                e[inp.name] = [value(inp) for _ in range(g.nper)] if inp.periodic else value(inp)
            e["parent"] = r.choice(parent_ids) if parent_ids else ""
        e["name"] = r.choice(["甲镇", "乙镇", "丙镇, 开发区", " 丁 ", "town %d" % k, ""])
        ents.append(e)
    parents = []
    used = {e["parent"] for e in ents}
    for pid in [p for p in parent_ids if p in used and par]:  # a parent row no entity names would be an entity
        p = {"id": pid}
        for inp in par:
            p[inp.name] = [value(inp) for _ in range(g.nper)] if inp.periodic else value(inp)
        parents.append(p)
    # tables
    files, job = {}, [("--scheme", g.sid), ("--entities", "entities.csv")]
    ent_inputs = [i for i in own if not i.periodic]
    head = ["id", "name"] + (["parent"] if g.uses_parent else []) + [i.name for i in ent_inputs]
    lines = [head]
    separate = r.random() < 0.5
    for e in ents:
        lines.append([e["id"], e["name"]] + ([e["parent"]] if g.uses_parent else []) + [cell(i, e[i.name], r) for i in ent_inputs])
    par_inputs = [i for i in par if not i.periodic]
    needs_parent_rows = bool(par)
    if needs_parent_rows and not separate:
        extra = [i.name for i in par_inputs]
        lines[0] += extra
        for row in lines[1:]:
            row += [""] * len(extra)
        for p in parents:
            lines.append([p["id"], "上级 " + p["id"]] + ([""] if g.uses_parent else []) + [""] * len(ent_inputs)
                         + [cell(i, p[i.name], r) for i in par_inputs])
    if needs_parent_rows and separate:
        files["parents.csv"] = csv_text([["id", "name"] + [i.name for i in par_inputs]] +
                                        [[p["id"], p["id"]] + [cell(i, p[i.name], r) for i in par_inputs] for p in parents])
        job.append(("--parents", "parents.csv"))
    files["entities.csv"] = csv_text(lines)
    per_inputs = [i for i in g.inputs if i.periodic]
    if per_inputs:
        head = ["id", "month"] + [i.name for i in per_inputs]
        prow = [head]
        can_skip_own = all(i.missing not in (None, "error") for i in per_inputs if not i.from_parent)
        can_skip_par = all(i.missing not in (None, "error") for i in per_inputs if i.from_parent)
        for owners, src, skip in [(ents, own, can_skip_own), (parents, par, can_skip_par)]:
            for o in owners:
                for p in range(g.nper):
                    if skip and r.random() < 0.1:
                        continue
                    prow.append([o["id"], str(g.first + p)] +
                                [cell(i, o[i.name][p], r) if i in src else "" for i in per_inputs])
        body = prow[1:]
        r.shuffle(body)
        files["periods.csv"] = csv_text([head] + body)
        job.append(("--periods", "periods.csv"))
    for t in g.tables:
        files[t.name + ".csv"] = record_data(g, r, t, ents)
        job.append(("--records", "%s=%s.csv" % (t.name, t.name)))
    return files, job


def csv_text(rows):
    def field(s):
        if any(c in s for c in ',"\r\n') or s[:1] in (" ", "\t") or s[-1:] in (" ", "\t"):
            return '"' + s.replace('"', '""') + '"'
        return s
    return "".join(",".join(field(c) for c in row) + "\n" for row in rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int)
    a = ap.parse_args()
    text, sid, files, job, meta = generate(a.seed, a.rows)
    if meta["targets"]:
        job.append(("--targets", "targets.csv"))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "scheme.rubric"), "w", encoding="utf-8") as f:
        f.write(text)
    for name, t in files.items():
        with open(os.path.join(a.out, name), "w", encoding="utf-8") as f:
            f.write(t)
    with open(os.path.join(a.out, "job.txt"), "w", encoding="utf-8") as f:
        f.write(" ".join("%s %s" % kv for kv in job) + "\n")


if __name__ == "__main__":
    main()
