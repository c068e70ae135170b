"""The words of stage 01's codes: the profile card sentence, the composition and largest-need
texts, the stability labels and the English JPM categories, in Indonesian (first) and English,
looked up in the catalogue (``workbook/needs/messages.yaml``, :func:`workbook.core.i18n.t`).

The kernels (:mod:`~workbook.needs.cards`, :mod:`~workbook.needs.gaps`) write codes and numbers;
this module turns them into words. It is apart from :mod:`workbook.needs.report` because the
stage runner (:mod:`workbook.needs.stage`) writes the profile sheet of ``needs.xlsx`` with words,
and ``report.py`` imports the runner. Every code is listed, with its words, in ``docs/data.md``
("Kode dalam artefak / Codes in the artefacts").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.i18n import code_words, codes, fmt_fixed, fmt_int, t
from workbook.needs.gaps import INDICATIVE_LABEL_ID

#: The words of each code are catalogue entries of ``workbook/needs/messages.yaml``:
#: ``needs.stability.<stability_label>``, ``needs.jpm_category.<jpm_category>`` and the profile
#: card sentence ``needs.card.*``. The tables below are read-only views of them, built on first
#: use (module ``__getattr__``), kept for code that lists codes with their words:
#:
#: - ``STABILITY_LABELS``: ``stability_label`` → (Indonesian, English);
#: - ``STABILITY_LABELS_EN``: ``stability_label`` → English (the Indonesian labels are the codes);
#: - ``JPM_CATEGORIES``: ``jpm_category`` (the regulation's Indonesian category, or the
#:   indicative label :data:`workbook.needs.gaps.INDICATIVE_LABEL_ID`) → English; a label set in
#:   the settings that is not listed is shown as it is;
#: - ``INDICATIVE_LABEL_EN``: the English of the indicative label.
_VIEWS = {
    "STABILITY_LABELS": lambda: code_words("needs.stability"),
    "STABILITY_LABELS_EN": lambda: {c: w[1] for c, w in code_words("needs.stability").items()},
    "JPM_CATEGORIES": lambda: {c: w[1] for c, w in code_words("needs.jpm_category").items()},
    "INDICATIVE_LABEL_EN": lambda: t(f"needs.jpm_category.{INDICATIVE_LABEL_ID}", "en"),
}

__all__ = [
    *_VIEWS,
    "stability_text",
    "jpm_category_text",
    "composition_text",
    "largest_gaps_text",
    "profile_summary",
    "profiles_sheet",
    "profile_number",
    "profile_name",
    "separation_text",
    "competency_maps",
    "codes_md",
]


def __getattr__(name: str) -> Any:
    view = _VIEWS.get(name)
    if view is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return view()


def _items(v: Any) -> list:
    """A list cell (list, array, None or NaN) as a list."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return []
    return list(v)


def _finite(x: Any) -> bool:
    try:
        return bool(np.isfinite(float(x)))
    except (TypeError, ValueError):
        return False


def stability_text(code: Any, lang: str = "id") -> str:
    """Words of a ``stability_label`` (unknown labels as they are)."""
    c = "" if code is None else str(code)
    return t(f"needs.stability.{c}", lang) if c in codes("needs.stability") else c


def jpm_category_text(category: Any, lang: str = "id") -> str | None:
    """``jpm_category`` in ``lang`` (None stays None: no JPM)."""
    if category is None or (isinstance(category, float) and np.isnan(category)):
        return None
    c = str(category)
    return t(f"needs.jpm_category.{c}", lang) if c in codes("needs.jpm_category") else c


def composition_text(names: Any, shares: Any) -> str | None:
    """``["Dinas A", "Dinas B"], [0.6, 0.4]`` → ``"Dinas A 60%; Dinas B 40%"`` (None without
    categories)."""
    ns = _items(names)
    if not ns:
        return None
    return "; ".join(f"{n} {s:.0%}" for n, s in zip(ns, _items(shares), strict=True))


def largest_gaps_text(items: Any, means: Any, lang: str = "id") -> str:
    """``["K01", "K02"], [-1.5, -0.25]`` → ``"K01 (-1,50); K02 (-0,25)"`` (Indonesian)."""
    pairs = zip(_items(items), _items(means), strict=True)
    return "; ".join(f"{k} ({fmt_fixed(m, lang, 2)})" for k, m in pairs)


def profile_summary(row: Mapping[str, Any], lang: str = "id") -> str:
    """The sentence of one profile card from its numbers: ``profile``, ``n``, ``share``,
    ``suggested_areas``, ``composition_unit`` / ``composition_unit_share`` (the first is named),
    ``stability_label`` and ``stability``. A hidden count or share (suppressed) shows ``–``."""
    areas = str(row.get("suggested_areas") or "")
    need = t("needs.card.need", lang, areas=areas) if areas else t("needs.card.no_need", lang)
    units = _items(row.get("composition_unit"))
    unit = ""
    if units:
        first = _items(row.get("composition_unit_share"))[0]
        unit = t("needs.card.unit", lang, name=units[0], pct=f"{first:.0%}")
    n, share = row.get("n"), row.get("share")
    return t(
        "needs.card.summary",
        lang,
        p=profile_number(row["profile"]),
        n=fmt_int(int(n), lang) if _finite(n) else "–",
        pct=f"{float(share):.0%}" if _finite(share) else "–",
        need=need,
        unit=unit,
        label=stability_text(row.get("stability_label"), lang),
        stab=fmt_fixed(float(row.get("stability")), lang, 2),
    )


#: the number columns of ``profiles`` that the sheet folds into the text of their list column
_PROFILE_NUMBERS = ("largest_gaps_mean", "composition_unit_share", "composition_jabatan_share")


def profile_number(profile: Any) -> int:
    """The number a person reads for the ``profile`` code: profiles are numbered from 1."""
    return int(profile) + 1


def _kind_words(kinds: list[str], lang: str) -> str:
    words = [t(f"needs.profile_kind.{k}", lang) if k in codes("needs.profile_kind") else k
             for k in kinds]
    return t("needs.profile_name.and", lang).join(words)


def profile_name(
    row: Mapping[str, Any],
    lang: str = "id",
    names: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    *,
    numbered: bool = True,
) -> str:
    """The name of a profile by what it needs: ``Profil 1 — kesenjangan manajerial: Komunikasi,
    Pelayanan Publik`` (``name_gaps``, the largest meaningful needs, at most two named; their
    kind — manajerial, sosial kultural, teknis — from ``kinds``), or ``Profil 1 — tanpa
    kesenjangan berarti`` when the profile has none. ``names`` / ``kinds`` map competency codes
    to names and kinds (``kamus_kompetensi``); without them the codes are shown."""
    gaps = [str(c) for c in _items(row.get("name_gaps"))]
    if not gaps:
        name = t("needs.profile_name.none", lang)
    else:
        items = ", ".join((names or {}).get(c, c) for c in gaps[:2])
        ks = list(dict.fromkeys((kinds or {}).get(c) for c in gaps if (kinds or {}).get(c)))
        name = (t("needs.profile_name.gap", lang, kinds=_kind_words(ks, lang), items=items)
                if ks else t("needs.profile_name.gap_plain", lang, items=items))
    if not numbered:
        return name
    return t("needs.profile_name.title", lang, p=profile_number(row["profile"]), name=name)


def competency_maps(kamus: pd.DataFrame | None, lang: str = "id"
                    ) -> tuple[dict[str, str], dict[str, str]]:
    """Competency code → name in ``lang`` (``nama_id`` / ``nama_en``) and → kind (``jenis``) from
    ``kamus_kompetensi`` (empty maps without it)."""
    if kamus is None or "kode_kompetensi" not in kamus:
        return {}, {}
    col = "nama_id" if lang == "id" else "nama_en"
    codes_ = kamus["kode_kompetensi"].astype(str)
    names = dict(zip(codes_, kamus[col].astype(str), strict=True)) if col in kamus else {}
    kinds = dict(zip(codes_, kamus["jenis"].astype(str), strict=True)) if "jenis" in kamus else {}
    return names, kinds


def separation_text(code: Any, lang: str = "id") -> str:
    """Words of a ``separation`` code (:data:`workbook.needs.cards.SEPARATION_CLASSES`)."""
    c = "" if code is None else str(code)
    return t(f"needs.separation.{c}", lang) if c in codes("needs.separation") else c


def profiles_sheet(
    profiles: pd.DataFrame,
    lang: str = "id",
    names: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """``profiles`` as a person reads it: numbered from 1, named by what it needs (``name``,
    after ``profile``; :func:`profile_name` with ``names`` / ``kinds``), the largest needs and
    compositions as text, the stability label and the sentence (``summary``, before
    ``suggested_areas``, named from ``names`` when given) in ``lang``."""
    rows = profiles.to_dict("records")
    out = profiles.drop(columns=[c for c in (*_PROFILE_NUMBERS, "name_gaps") if c in profiles])
    if "suggested_areas" in out and names:
        # the areas by their names (a reader does not know the codes of the competency dictionary)
        for r in rows:
            codes_ = [c.strip() for c in str(r.get("suggested_areas") or "").split(",") if c.strip()]
            r["suggested_areas"] = "; ".join(names.get(c, c) for c in codes_)
        out["suggested_areas"] = [r["suggested_areas"] for r in rows]
    if "profile" in out:
        out["profile"] = [profile_number(r["profile"]) for r in rows]
        out.insert(1, "name", [profile_name(r, lang, names, kinds, numbered=False) for r in rows])
    if "largest_gaps" in out:
        out["largest_gaps"] = [
            largest_gaps_text(r["largest_gaps"], r.get("largest_gaps_mean"), lang) for r in rows
        ]
    for c in ("composition_unit", "composition_jabatan"):
        if c in out:
            out[c] = [composition_text(r[c], r.get(f"{c}_share")) for r in rows]
    if "stability_label" in out:
        out["stability_label"] = [stability_text(r["stability_label"], lang) for r in rows]
    summary = [profile_summary(r, lang) for r in rows]
    pos = out.columns.get_loc("suggested_areas") if "suggested_areas" in out else len(out.columns)
    out.insert(pos, "summary", summary)
    return out


# --------------------------------------------------------------------------------------------
# docs/data.md: "Kode dalam artefak / Codes in the artefacts"
# --------------------------------------------------------------------------------------------


#: the parts of the profile card sentence, as the docs name them, and their catalogue entries
_CARD_PARTS = (
    ("`summary`", "needs.card.summary"),
    ("`{need}` with `suggested_areas`", "needs.card.need"),
    ("`{need}` without", "needs.card.no_need"),
    ("`{unit}` (first of `composition_unit`)", "needs.card.unit"),
)


def _code_rows(prefix: str) -> list[str]:
    return [f"| `{c}` | {ind} | {eng} |" for c, (ind, eng) in code_words(prefix).items()]


def codes_md() -> str:
    """The stage-01 part of "Kode dalam artefak / Codes in the artefacts" in ``docs/data.md``."""
    out = ["### 01_needs — analisis kebutuhan / needs analysis", ""]
    out += [
        "#### Label stabilitas profil / Profile stability label",
        "",
        "`stability_label` of `01_needs/profiles` (the model's label from the bootstrap Jaccard "
        "`stability` and `profiles.stability_*`).",
        "",
        "| kode / code | id | en |",
        "|---|---|---|",
        *_code_rows("needs.stability"),
        "",
        "#### Kategori JPM / JPM category",
        "",
        "`jpm_category` of `restricted/01_needs/jpm` and `01_needs/jpm_units`: the Indonesian "
        "category of the regulation as named in `jpm.categories_uji` / `jpm.categories_pemetaan` "
        "(a label set there that is not listed here is shown as it is), or the indicative label "
        "when a level is not from assessment.",
        "",
        "| kode / code | id | en |",
        "|---|---|---|",
        *_code_rows("needs.jpm_category"),
        "",
        "#### Kartu profil / Profile card",
        "",
        "`01_needs/profiles` carries numbers, no sentence: `largest_gaps` (item codes, largest need "
        "first) with `largest_gaps_mean`, `composition_unit` / `composition_jabatan` (top "
        "categories, largest first) with `composition_unit_share` / `composition_jabatan_share`, "
        "`stability`, `stability_label`, `suggested_areas`, `name_gaps` (the largest needs of at "
        "least `profiles.name_gap` levels, each answered by at least k members: what the profile "
        "is named by). The code `profile` counts from 0; people read it from 1 (*Profil 1*), with "
        "the name `name` (*kesenjangan manajerial: Komunikasi, Pelayanan Publik*, or *tanpa "
        "kesenjangan berarti*). The profile sheet of `needs.xlsx` and "
        "the report's profile cards show them as text: *K01 (-1,50); K02 (-0,25)* (two decimals, "
        "decimal comma in Indonesian), *Dinas A 60%; Dinas B 40%*, and the sentence `summary`:",
        "",
        "| bagian / part | id | en |",
        "|---|---|---|",
        *[f"| {part} | {t(key, 'id')} | {t(key, 'en')} |" for part, key in _CARD_PARTS],
        "",
        "`{n}` and `{pct}` show `–` when the profile's count is suppressed; `{label}` is the "
        "stability label in words, `{stab}` the Jaccard with two decimals.",
        "",
        "#### Pemisahan profil / Profile separation",
        "",
        "The report's word for the mean silhouette of the chosen partition "
        "(`silhouette` of `01_needs/profile_selection` where `chosen`; thresholds "
        "`profiles.silhouette_weak`, `profiles.silhouette_reasonable`, Kaufman & Rousseeuw 1990).",
        "",
        "| kode / code | id | en |",
        "|---|---|---|",
        *_code_rows("needs.separation"),
        "",
        *_gap_codes_md(),
    ]
    return "\n".join(out)


#: the needs chapter's recap artefacts (needs-gap) and their columns, for docs/data.md
_RECAP_DOCS = (
    ("jp_baseline", "last year's JP against 20 JP by `status` (PNS, CPNS, PPPK, PNS+CPNS): `n` "
     "(denominator), `jp_target`, `n_reached`, `share_reached`, `n_zero`, `mean_jp`, `jp_cap` (PPPK)"),
    ("jp_baseline_units", "the same per `kode_unit` × `status`, suppressed (parent: status), and hidden "
     "(`suppression_reason` `status_cell`) wherever the staff overview's unit × status cross-tab hides the cell"),
    ("jpm_recap", "per `dimension` (`kode_unit`, `jenis_jabatan`, `jabatan`) and `group`: `n_staff`, "
     "`n_assessed`, `assessment_coverage`, `n_jpm`, `n_official`, `n_indicative`, `mean_jpm_pct`, "
     "`median_jpm_pct` (raw), `mean_jpm_capped_pct` (mean of min(100, JPM)), `n_jpm_low`, `share_jpm_low`, `low_cut`; suppressed on `n_jpm`"),
    ("target_gaps", "per `kode_kompetensi`, gaps against the position to be held (Pasal 206): "
     "`n_target`, `n_assessed`, `n_below`, `share_below`, `mean_gap_target`"),
    ("response_units", "per `kode_unit`: `headcount`, `n_respondents`, `response_rate`, `low_response` "
     "(< `survey.response_rate_low`)"),
    ("nonresponse", "`group` (`responden`, `bukan_responden`): `n`, `n_with_predikat`, "
     "`share_performance_gap`, `mean_jp_last_year`"),
    ("data_quality", "duplicate submissions resolved at load: `file`, `n`"),
)


def _gap_codes_md() -> list[str]:
    """The performance class codes and the recap artefacts of the needs chapter (needs-gap)."""
    return [
        "#### Kelas kinerja / Performance class",
        "",
        "`performance_class` of `restricted/01_needs/performance` (PermenPANRB 6/2022; which predikat "
        "falls in which class: `skp.predikat_classes`). `below_target` is the performance gap "
        "(`kesenjangan_hasil_kerja`), `behaviour_issue` the class `perilaku`; both are NA without a "
        "predikat. `skp_ratio` and `below_target_ratio` are the old realisasi/target logic, kept as a "
        "supplementary column only. `01_needs/performance_units`: `headcount`, `n` (with predikat), "
        "`n_missing`, `n_below`, `share_below`, `n_behaviour`, `share_behaviour`, `n_expected`, "
        "`n_ratio`, `n_below_ratio` (a census: no interval).",
        "",
        "| kode / code | id | en |",
        "|---|---|---|",
        *_code_rows("needs.performance_class"),
        "",
        "#### Rekap kebutuhan / Needs recaps",
        "",
        "`01_needs/<name>` (suppressed) and `restricted/01_needs/<name>_raw` (before suppression). "
        "`01_needs/unit_competency` also has `census` (every staff member counted: no interval) and "
        "`share_bound_low` / `share_bound_high`, the worst-case (Manski) bounds of `share_below` for the "
        "staff without a known level (`n_below / n_staff`, `(n_below + n_staff − n_assessed) / n_staff`), "
        "which the report prints instead of a sampling interval.",
        "",
        "| artefak / artefact | kolom / columns |",
        "|---|---|",
        *[f"| `{name}` | {text} |" for name, text in _RECAP_DOCS],
        "",
    ]
