"""Words and cells of the plan's chapters that a planner reads without the workbook's codes.

- a mandatory training the catalogue lacks is priced from the settings under the internal id
  ``PERKIRAAN-<CODE>``: tables show no code for it ("—"), its name with "(perkiraan)", and one
  note under the table says what that means (:func:`code_cells`, :func:`estimate_note`);
- a mandatory row's name is marked "Wajib: PKP — Pelatihan Kepemimpinan Pengawas", but not
  "Wajib: PKN II — PKN II" when the name already starts with the training (:func:`wajib_name`);
- the plan's steps name the mandatory trainings actually in the plan (:func:`steps_sentence`);
- who stays below the JP minimum, and why (:func:`below_sentences`): a count under k reads
  "kurang dari k", and when the whole total is under k the reasons are listed without counts
  (a list of "kurang dari 5" says nothing and lets the reader subtract).
"""

from __future__ import annotations

import pandas as pd

import workbook.plan._elig_common as elig_common_
import workbook.plan.mandatory_plan as mandatory_plan_
import workbook.plan.words as words_
from workbook.core.i18n import fmt_int, t
from workbook.core.suppression import k_for

__all__ = ["wrap_label", "is_estimate", "code_cells", "estimate_note", "wajib_name", "wajib_in_plan", "steps_sentence",
           "below_sentences", "AWAY"]

#: what a code cell shows for a programme that has no catalogue code (an estimate)
NO_CODE = "—"
#: why someone owed 20 JP is not sent to training in the plan year (``unavailable_reason``): the
#: words are ``plan.alasan.<code>``
AWAY = ("tugas_belajar", "cuti_dltn", "diberhentikan_sementara", "pensiun_tahun_rencana", "pensiun_bup")


def wrap_label(text: str, width: int = 34, lines: int = 2) -> str:
    r"""A figure's axis label on at most ``lines`` lines of ``width`` characters (an ellipsis when
    longer), so that no label is cut at the figure's edge.

    >>> wrap_label("PRG-035 Mentoring Pelayanan Publik di Unit Layanan Kesehatan Daerah", 20)
    'PRG-035 Mentoring\nPelayanan Publik di…'
    """
    import textwrap

    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def is_estimate(program_id) -> bool:
    """Whether ``program_id`` is a mandatory training priced from the settings (not in the catalogue)."""
    return str(program_id).startswith(mandatory_plan_.ESTIMATE_PREFIX)


def code_cells(ids: pd.Series) -> pd.Series:
    """Programme ids as a table shows them: an estimate's internal id becomes "—"."""
    return pd.Series([NO_CODE if is_estimate(p) else str(p) for p in ids], index=ids.index, dtype=object)


def estimate_note(ids, lang: str = "id") -> str | None:
    """The note under a table with estimated mandatory trainings (None when it has none)."""
    return t("plan.words2.estimate_note", lang) if any(is_estimate(p) for p in ids) else None


def wajib_name(code: str, name: str, lang: str = "id") -> str:
    """A mandatory row's programme name with its mark, without saying the training twice.

    >>> wajib_name("pkn2", "PKN II (perkiraan)"), wajib_name("pkp", "Pelatihan Kepemimpinan Pengawas")
    ('Wajib: PKN II (perkiraan)', 'Wajib: PKP — Pelatihan Kepemimpinan Pengawas')
    """
    short = t(f"plan.wajib.singkat.{code}", lang)
    if str(name).strip().lower().startswith(short.lower()):
        return f"{t('plan.words2.wajib_prefix', lang)} {name}"
    return f"{t('plan.oneplan.wajib_mark', lang, wajib=short)} {name}"


def wajib_in_plan(plan_rows: pd.DataFrame) -> list[str]:
    """The mandatory codes with seats in the per-person plan, in the order of the regulations."""
    if plan_rows is None or "wajib" not in plan_rows:
        return []
    have = set(plan_rows["wajib"].dropna().astype(str)) - {""}
    return [c for c in elig_common_.WAJIB_CODES if c in have]


def steps_sentence(codes: list[str], lang: str = "id") -> str:
    """How the plan is built, naming the mandatory trainings in it (``codes``)."""
    if not codes:
        return t("plan.words2.stages_none", lang)
    names = [t(f"plan.wajib.singkat.{c}", lang) for c in codes]
    return t("plan.oneplan.stages", lang, wajib=words_list(names, lang))


def words_list(items: list[str], lang: str = "id") -> str:
    """ "a, b dan c" / "a, b and c".

    >>> words_list(["Latsar", "PKP", "PKA"]), words_list(["x"], "en")
    ('Latsar, PKP dan PKA', 'x')
    """
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('plan.words2.and', lang)} {items[-1]}"


def below_sentences(res, unit: str | None = None) -> list[str]:
    """Who owed the JP minimum stays below it in the plan and why, from ``below_minimum`` (a unit
    report: the unit's staff): the PNS and the CPNS becoming PNS, those not available in the plan
    year (tugas belajar, CLTN…: excluded, not failures of the plan) and the other reasons. A count
    under k (``suppression.k_count``) reads "kurang dari k"; when the total itself is under k, the
    reasons are listed without counts."""
    lang, s = res.ctx.lang, res.ctx.settings
    b = res.below_minimum
    if b is None or not len(b) or "reason" not in b:
        return []
    if unit:
        b = b[b["kode_unit"].astype(str) == unit]
    b = b.drop_duplicates("pegawai_id")
    if not len(b):
        return []
    k = k_for("count", s)
    small = len(b) < k  # every part would read "kurang dari k": say the parts without counts

    def n_(x: int) -> str:
        return fmt_int(x, lang) if x >= k else t("plan.words.fewer_than", lang, k=k)

    def share(n: int) -> str:
        return (t("plan.words.all_of_them", lang) if n == len(b) else t("plan.words2.some_of_them", lang) if small
                else t("plan.words.of_them", lang, n=n_(n)))

    st = b["status"].astype(str)
    n_cpns = int((st == "CPNS").sum())
    who = (t("plan.words.below_who_pns", lang) if not n_cpns else
           t("plan.words.below_who_cpns", lang) if n_cpns == len(b) else
           t("plan.words2.below_who_both_small", lang) if small else
           t("plan.words.below_who_both", lang, pns=n_(len(b) - n_cpns), cpns=n_(n_cpns)))
    out = [t("plan.words.below", lang, n=fmt_int(len(b), lang), jp=fmt_int(s["jp.minimum_pns"], lang), who=who)]
    away = b["unavailable_reason"].fillna("").astype(str) if "unavailable_reason" in b else pd.Series("", index=b.index)
    is_away = (away != "") & b["reason"].astype(str).str.contains("unavailable")
    if is_away.any():
        per = away[is_away].value_counts()
        order = [c for c in AWAY if c in per.index] + sorted(c for c in per.index if c not in AWAY)
        names = [t(f"plan.alasan.{c}", lang) if c in AWAY else c for c in order]
        what = ", ".join(names) if len(order) == 1 or small else \
            ", ".join(f"{nm} ({n_(int(per[c]))})" for nm, c in zip(names, order, strict=True))
        key = "plan.words.below_away_tb" if "tugas_belajar" in per.index else "plan.words.below_away"
        out.append(t(key, lang, what=what, n=share(int(is_away.sum()))))
    rest = b.loc[~is_away, "reason"].astype(str).str.split(";").explode()
    rest = rest[(rest != "") & (rest != "unavailable")].value_counts()
    for code, n in rest.items():
        out.append(t("plan.words.below_other", lang, reason=words_.reason_text(code, lang), n=share(int(n))))
    return out

