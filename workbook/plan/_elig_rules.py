"""The eligibility rules as boolean matrices over (group of identical employees × programme).

Private to :mod:`workbook.plan.eligibility`. Each rule is one ``(code, matrix)``; a pair is
eligible when every matrix is True at (its group, its programme) and the employee's years of
service reach the programme's minimum. The order of :meth:`Context.rule_matrices` is the order
in which :func:`~workbook.plan.eligibility.ineligible_reasons` reports the first failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.plan._elig_common import (
    JF_CODES,
    LEADERSHIP,
    STATUS_MATCHES,
    WAJIB_CODES,
    split_list,
    text,
)

_HAS = [f"has_{c}" for c in WAJIB_CODES]
_KEYS = ["st", "jj", "jenjang", "jf", "unit", "reason", "scope", "orient", "pemicu", "prereq", *_HAS]


def _member(values: np.ndarray, sets: list[tuple[str, ...]], aliases: dict | None = None) -> np.ndarray:
    """(len(values) × len(sets)) True where the value is in the programme's list (empty = any)."""
    cats, inv = np.unique(values.astype(str), return_inverse=True)
    m = np.ones((len(cats), len(sets)), dtype=bool)
    for p, allowed in enumerate(sets):
        if allowed:
            if aliases is None:
                m[:, p] = np.isin(np.char.lower(cats.astype(str)), allowed)
            else:
                m[:, p] = [any(a in allowed for a in aliases.get(c, (c.lower(),))) for c in cats]
    return m[inv]


@dataclass
class Context:
    """Employees grouped by identical attributes, programmes as arrays, and the rules."""

    ids: np.ndarray            # pegawai_id per person (N)
    gid: np.ndarray            # group of each person (N)
    groups: pd.DataFrame       # one row per group (G), columns _KEYS
    masa: np.ndarray           # years of service per person (N)
    reason: np.ndarray         # unavailable_reason per person (N)
    prog: pd.DataFrame         # one row per programme (P)
    prog_ids: np.ndarray
    min_masa: np.ndarray       # min_masa_kerja_th per programme (P), 0 = none
    jf_wajib: pd.DataFrame | None
    settings: object
    _rules: list | None = field(default=None, repr=False)

    # -- rules -------------------------------------------------------------------------------
    def rule_matrices(self) -> list[tuple[str, np.ndarray]]:
        """[(alasan code, G × P bool: passes)], in reporting order."""
        if self._rules is not None:
            return self._rules
        g, p = self.groups, self.prog
        n_g, n_p = len(g), len(p)
        scope = g["scope"].to_numpy()
        long_p = p["long"].to_numpy()
        avail = np.ones((n_g, n_p), dtype=bool)
        avail[scope == "all", :] = False
        avail[np.ix_(scope == "long", long_p)] = False
        out = [
            ("tidak_tersedia", avail),
            ("status_tidak_sesuai", _member(g["st"].to_numpy(), list(p["s_status"]), STATUS_MATCHES)),
            ("jenis_jabatan_tidak_sesuai", _member(g["jj"].to_numpy(), list(p["s_jj"]))),
            ("jenjang_tidak_sesuai", _member(g["jenjang"].to_numpy(), list(p["s_jenjang"]))),
            ("jf_tidak_sesuai", _member(g["jf"].to_numpy(), list(p["s_jf"]))),
            ("unit_tidak_sesuai", _member(g["unit"].to_numpy(), list(p["s_unit"]))),
        ]
        out += self._wajib_rules()
        out.append(("prasyarat_belum", self._prerequisites()))
        self._rules = out
        return out

    def _wajib_rules(self) -> list[tuple[str, np.ndarray]]:
        g, p = self.groups, self.prog
        n_g, wajib = len(g), p["wajib"].to_numpy()
        st, jj = g["st"].to_numpy(), g["jj"].to_numpy()
        mapping = self.settings["eligibility.wajib_jenis_jabatan"]
        bukan_cpns, bukan_pppk, window, jabatan, pemicu, sudah = (
            np.ones((n_g, len(p)), dtype=bool) for _ in range(6))
        cpns = np.isin(st, ["CPNS", "CPNS_jadi_PNS"])
        for j, code in enumerate(wajib):
            if not code:
                continue
            if code != "jf_penjenjangan":
                sudah[:, j] = ~g[f"has_{code}"].to_numpy(dtype=bool)
            if code == "latsar":
                bukan_cpns[:, j] = cpns
            elif code == "orientasi_pppk":
                bukan_pppk[:, j] = st == "PPPK"
                window[:, j] = g["orient"].to_numpy(dtype=bool)
            elif code in LEADERSHIP:
                jabatan[:, j] = np.isin(jj, [str(x).lower() for x in mapping.get(code, [])])
            elif code in JF_CODES:
                pemicu[:, j] = self._jf_trigger(j, code)
        return [("bukan_cpns", bukan_cpns), ("bukan_pppk", bukan_pppk), ("jenis_jabatan_tidak_sesuai", jabatan),
                ("pemicu_jf_tidak_ada", pemicu), ("sudah_memiliki", sudah), ("lewat_masa_orientasi", window)]

    def _jf_trigger(self, j: int, code: str) -> np.ndarray:
        """Groups whose JF, jenjang and planned trigger match a `jf_wajib` row of programme j
        (without rows: pembentukan ← pengangkatan_pertama of a fungsional, penjenjangan ←
        kenaikan_jenjang)."""
        g = self.groups
        triggers = [set(s.split(";")) - {""} for s in g["pemicu"]]
        rows = None
        if self.jf_wajib is not None and len(self.jf_wajib):
            jw = self.jf_wajib
            rows = jw[jw["program_id"].astype(str) == self.prog_ids[j]]
        if rows is None or rows.empty:
            need = "pengangkatan_pertama" if code == "jf_pembentukan" else "kenaikan_jenjang"
            base = np.array([need in t for t in triggers], dtype=bool)
            return base & (g["jj"].to_numpy() == "fungsional") if code == "jf_pembentukan" else base
        ok = np.zeros(len(g), dtype=bool)
        jf, jenjang = g["jf"].to_numpy(), g["jenjang"].to_numpy()
        for r_jf, r_jenjang, r_pemicu in zip(text(rows["jf_nama"], rows.index).str.lower(),
                                             text(rows.get("jenjang"), rows.index).str.lower(),
                                             text(rows["pemicu"], rows.index).str.lower(), strict=True):
            hit = (jf == r_jf) & ((jenjang == r_jenjang) if r_jenjang else True)
            ok |= hit & np.array([r_pemicu in t for t in triggers], dtype=bool)
        return ok

    def _prerequisites(self) -> np.ndarray:
        g, p = self.groups, self.prog
        m = np.ones((len(g), len(p)), dtype=bool)
        done = [set(s.split(";")) - {""} for s in g["prereq"]]
        for j, items in enumerate(p["prasyarat"]):
            for item in items:
                if item in WAJIB_CODES:
                    m[:, j] &= g[f"has_{item}"].to_numpy(dtype=bool)
                else:
                    m[:, j] &= np.array([item in d for d in done], dtype=bool)
        return m

    def ok_matrix(self) -> np.ndarray:
        """G × P: the group passes every rule for the programme (service years apart)."""
        ok = np.ones((len(self.groups), len(self.prog)), dtype=bool)
        for _, m in self.rule_matrices():
            ok &= m
        return ok

    def reasons(self, ids: np.ndarray, pids: np.ndarray) -> pd.Series:
        """The first failing rule per (pegawai_id, program_id) pair; "" when eligible."""
        person = pd.Index(self.ids).get_indexer(ids)
        progi = pd.Index(self.prog_ids).get_indexer(pids)
        out = np.full(len(ids), "", dtype=object)
        out[person < 0] = "pegawai_tidak_dikenal"
        out[(progi < 0) & (person >= 0)] = "program_tidak_dikenal"
        ok = (person >= 0) & (progi >= 0)
        gi, pi = self.gid[person[ok]], progi[ok]
        code = np.full(len(gi), "", dtype=object)
        for name, m in self.rule_matrices():
            fail = (code == "") & ~m[gi, pi]
            if name == "tidak_tersedia":
                code[fail] = self.reason[person[ok]][fail]
            else:
                code[fail] = name
        short = (code == "") & (self.masa[person[ok]] < self.min_masa[pi])
        code[short] = "masa_kerja_kurang"
        out[ok] = code
        return pd.Series(out, name="alasan", dtype=object)


def _programmes(katalog: pd.DataFrame, wajib: np.ndarray, settings) -> pd.DataFrame:
    idx = katalog.index
    jp = pd.to_numeric(katalog.get("jp", pd.Series(np.nan, index=idx)), errors="coerce")
    hari = pd.to_numeric(katalog.get("hari", pd.Series(np.nan, index=idx)), errors="coerce")
    long = (jp >= settings["eligibility.long_training_min_jp"]) | (
        jp.isna() & (hari >= settings["eligibility.long_training_min_days"]))
    mk = pd.to_numeric(katalog.get("min_masa_kerja_th", pd.Series(np.nan, index=idx)), errors="coerce")

    def lists(col: str) -> list[tuple[str, ...]]:
        return [split_list(v) for v in katalog[col]] if col in katalog else [()] * len(katalog)

    return pd.DataFrame({
        "program_id": katalog["program_id"].astype(str).to_numpy(),
        "wajib": np.asarray(wajib, dtype=object),
        "long": long.fillna(False).to_numpy(dtype=bool),
        "min_masa": mk.fillna(0.0).to_numpy(dtype=float),
        "s_status": lists("sasaran_status"),
        "s_jj": lists("sasaran_jenis_jabatan"),
        "s_jenjang": lists("sasaran_jenjang"),
        "s_jf": lists("sasaran_jf"),
        "s_unit": lists("sasaran_unit"),
        "prasyarat": lists("prasyarat"),
    })


def _joined_sets(ids: pd.Series, pairs: pd.DataFrame | None, column: str, keep: set | None = None) -> pd.Series:
    """Per person: the sorted `;`-joined values of ``column`` in ``pairs`` (pegawai_id, column)."""
    if pairs is None or not len(pairs) or column not in pairs:
        return pd.Series("", index=ids.index, dtype=object)
    vals = pairs[["pegawai_id", column]].astype(str)
    vals[column] = vals[column].str.strip()
    if keep is not None:
        vals = vals[vals[column].isin(keep)]
    joined = vals.drop_duplicates().sort_values(column).groupby("pegawai_id")[column].agg(";".join)
    return ids.map(joined).fillna("").astype(object)


def prepare(status, pegawai, katalog, wajib, settings, jf_wajib=None, pemicu=None, realisasi=None) -> Context:
    """Group the employees, read the programmes' rules (``wajib``: the code of each programme,
    from :func:`~workbook.plan.eligibility.programme_wajib`); nothing is evaluated yet."""
    peg = pegawai.set_index(pegawai["pegawai_id"].astype(str))
    ids = status["pegawai_id"].astype(str)
    peg = peg.reindex(ids.to_numpy())
    idx = status.index
    prog = _programmes(katalog, wajib, settings)
    universe = {i for items in prog["prasyarat"] for i in items if i not in WAJIB_CODES}
    prog_lower = {pid.lower(): pid for pid in prog["program_id"]}
    universe = {prog_lower.get(i, i) for i in universe}
    triggers = status["pemicu_jf"].astype(object).fillna("") if pemicu is None else _joined_sets(
        ids, pemicu.assign(pemicu=pemicu["pemicu"].astype(str).str.lower()), "pemicu")
    done = _joined_sets(ids, realisasi, "program_id", universe) if universe else pd.Series("", index=idx)
    prog["prasyarat"] = [tuple(prog_lower.get(i, i) for i in items) for items in prog["prasyarat"]]
    attrs = pd.DataFrame({
        "st": status["status_pada_tahun_rencana"].astype(str).to_numpy(),
        "jj": text(peg.get("jenis_jabatan"), peg.index).to_numpy(),
        "jenjang": text(peg.get("jenjang"), peg.index).str.lower().to_numpy(),
        "jf": text(peg.get("jf_nama"), peg.index).str.lower().to_numpy(),
        "unit": text(peg.get("kode_unit"), peg.index).str.lower().to_numpy(),
        "reason": status["unavailable_reason"].astype(str).to_numpy(),
        "scope": status["unavailable_scope"].astype(str).to_numpy(),
        "orient": status["dalam_masa_orientasi"].astype(bool).to_numpy(),
        "pemicu": np.asarray(triggers, dtype=object),
        "prereq": np.asarray(done, dtype=object),
    })
    for h in _HAS:
        attrs[h] = status[h].astype(bool).to_numpy()
    attrs["jj"] = attrs["jj"].str.lower()
    gid = attrs.groupby(_KEYS, sort=False, dropna=False).ngroup().to_numpy()
    _, first = np.unique(gid, return_index=True)
    groups = attrs.iloc[first].reset_index(drop=True)
    return Context(
        ids=ids.to_numpy(), gid=gid, groups=groups,
        masa=status["masa_kerja_th"].astype(float).fillna(0.0).to_numpy(),
        reason=attrs["reason"].to_numpy(), prog=prog, prog_ids=prog["program_id"].to_numpy(),
        min_masa=prog["min_masa"].to_numpy(), jf_wajib=jf_wajib, settings=settings,
    )
