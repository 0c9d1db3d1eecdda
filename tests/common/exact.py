"""Exact numbers for the test oracles.

This is spec/semantics.md#numbers written in Python, once, for the seed
oracles (tests/<seed>/oracle.py) and the table comparers: every value is an
exact decimal (a fractions.Fraction, never a binary float); + - and
comparisons are exact; inside a rule a quotient, and a product with more
than 36 decimals, is rounded half up (away from zero) to 36 decimals, once
per operation, in the order the rule is written (div36, mul36; mean36 is the
exact sum divided once); a result (a score, a total, a target's value and
goal, the value a peer statistic is taken over) is rounded half up to 18
decimals (round18).

And the cell grammar of spec/data.md ("Cell values"): read_cell reads a
table cell (sign, digits with optional thousands groups, fraction,
exponent, %) as the exact decimal it is written as, and refuses one with
more than 18 decimals or of 10^20 or more in magnitude.  fmt prints an exact
decimal as an output table does; table_number reads such a number back.

What a scheme means by each number (its rules, the document's quotes)
stays in each oracle; only the number semantics they all share is here.
Python standard library only.
"""

import re
from fractions import Fraction

ZERO = Fraction(0)
INNER = 36                           # decimals carried inside a rule
RESULT = 18                          # decimals of a result (and of every input)
LIMIT = 10 ** 20                     # every value is below 10^20 in magnitude


# ---------------------------------------------------------------- arithmetic

def round_to(x, places):
    """x rounded half up (away from zero on a tie) to PLACES decimals."""
    x = Fraction(x)
    n = abs(x) * 10 ** places
    whole = n.numerator // n.denominator
    if n - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole if x >= 0 else -whole, 10 ** places)


def round18(x):
    """A result: x rounded half up to 18 decimals."""
    return round_to(x, RESULT)


def div36(a, b):
    """a / b inside a rule: the quotient rounded half up to 36 decimals.
    A divisor of 0 raises ZeroDivisionError("division by zero")."""
    if b == 0:
        raise ZeroDivisionError("division by zero")
    return round_to(Fraction(a) / Fraction(b), INNER)


def mul36(a, b):
    """a * b inside a rule: exact, rounded half up to 36 decimals only past
    36 of them."""
    return round_to(Fraction(a) * Fraction(b), INNER)


def mean36(values):
    """mean(...): the exact sum divided (rounded as /) by the count."""
    values = list(values)
    return div36(sum(values, ZERO), len(values))


# ---------------------------------------------------------------- text

def fmt(x):
    """An exact decimal as an output table prints it: no exponent, no
    trailing zeros, "0" for zero (89.1, 6.5, 0.000001, -0.2).  A value with
    more than 18 decimals is not a result: ValueError."""
    x = Fraction(x)
    scaled = x * 10 ** RESULT
    if scaled.denominator != 1:
        raise ValueError("%r has more than 18 decimals (not a result)" % x)
    whole, frac = divmod(abs(scaled.numerator), 10 ** RESULT)
    text = str(whole)
    if frac:
        text += "." + ("%018d" % frac).rstrip("0")
    return "-" + text if x < 0 else text


TABLE_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def table_number(text):
    """The exact value of a number written in an output table (a decimal,
    optionally with an exponent), or None for an empty, missing or other
    cell."""
    if text is None:
        return None
    text = text.strip()
    if not TABLE_NUMBER.fullmatch(text):
        return None
    return Fraction(text)


# ---------------------------------------------------------------- cells

CELL = re.compile(r"([+-]?)((?:\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d*)?|\.\d+)"
                  r"((?:[eE][+-]?\d+)?)(%?)")

NOT_A_NUMBER = "not a number"
OUT_OF_RANGE = "out of range"


class CellError(ValueError):
    """A cell that is not a number of the data contract.  kind is
    NOT_A_NUMBER (the grammar refuses it) or OUT_OF_RANGE (more than 18
    decimals, or 10^20 or more in magnitude); text is the cell's text as
    given.  str(err): "'1e400' has more than 18 decimals or is too large",
    "'abc' is not a number"."""

    def __init__(self, kind, text):
        self.kind = kind
        self.text = text
        if kind == NOT_A_NUMBER:
            message = "%r is not a number" % (text,)
        else:
            message = "%r has more than 18 decimals or is too large" % (text,)
        ValueError.__init__(self, message)


def read_cell(text):
    """The exact value of a number cell (spec/data.md, "Cell values"):
    optional sign, digits with optional thousands groups ("1,000,000"),
    optional fraction and exponent, optional % (0.3% is exactly 3/1000);
    spaces and tabs around it are ignored.  Raises CellError for text the
    grammar refuses (an empty cell included: what it means is the input's
    `missing` rule, which the caller decides) and for a value with more than
    18 decimals or of 10^20 or more in magnitude."""
    m = CELL.fullmatch(text.strip(" \t"))
    if not m:
        raise CellError(NOT_A_NUMBER, text)
    sign, mantissa, exp, pct = m.groups()
    x = Fraction(sign + mantissa.replace(",", "") + exp)
    if pct:
        x /= 100
    if (x * 10 ** RESULT).denominator != 1 or abs(x) >= LIMIT:
        raise CellError(OUT_OF_RANGE, text)
    return x
