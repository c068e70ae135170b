"""The attacker's audit of a suppressed table with published margins (test helper).

A reader who knows every published cell and the published row and column totals can bound each
hidden cell by linear programming: minimise and maximise it subject to the totals and to cells
being non-negative. A hidden cell whose interval has (nearly) zero width is recovered by
subtraction. Hundepool et al. (2012), *Statistical Disclosure Control*, Wiley, §5.3 (audit of
secondary suppression by the feasibility interval).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def hidden_intervals(values, hidden, *, rows: bool = True, cols: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """For each hidden cell (row-major order of ``hidden``): the lowest and highest value the
    published cells and totals allow. ``values`` are the true counts; ``rows``/``cols`` say
    whether the row and column totals are published."""
    v = np.asarray(values, dtype=float)
    h = np.asarray(hidden, dtype=bool)
    cells = np.argwhere(h)
    if not len(cells):
        return np.array([]), np.array([])
    a_eq, b_eq = [], []
    lines = ([("r", i) for i in range(v.shape[0])] if rows else []) + \
            ([("c", j) for j in range(v.shape[1])] if cols else [])
    for kind, i in lines:
        member = (cells[:, 0] == i) if kind == "r" else (cells[:, 1] == i)
        if not member.any():
            continue
        a_eq.append(member.astype(float))
        line = v[i, :] if kind == "r" else v[:, i]
        lh = h[i, :] if kind == "r" else h[:, i]
        b_eq.append(float(line[lh].sum()))          # the total minus the published cells
    lo, hi = np.zeros(len(cells)), np.zeros(len(cells))
    for j in range(len(cells)):
        c = np.zeros(len(cells))
        c[j] = 1.0
        kw = {"A_eq": np.array(a_eq), "b_eq": np.array(b_eq)} if a_eq else {}
        lo[j] = linprog(c, bounds=(0, None), method="highs", **kw).fun
        top = linprog(-c, bounds=(0, None), method="highs", **kw)
        hi[j] = np.inf if top.status == 3 else -top.fun
    return lo, hi


def recovered(values, hidden, **kw) -> list[tuple[int, int]]:
    """The hidden cells (row, column) a reader recovers exactly from the published ones."""
    lo, hi = hidden_intervals(values, hidden, **kw)
    cells = np.argwhere(np.asarray(hidden, dtype=bool))
    return [tuple(int(x) for x in cells[j]) for j in range(len(cells)) if hi[j] - lo[j] < 0.5]
