"""The words of stage 01's codes: the profile card sentence, the composition and largest-need
texts, the stability labels and the English JPM categories, in Indonesian (first) and English.

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

__all__ = [
    "STABILITY_LABELS",
    "STABILITY_LABELS_EN",
    "JPM_CATEGORIES",
    "INDICATIVE_LABEL_EN",
    "stability_text",
    "jpm_category_text",
    "composition_text",
    "largest_gaps_text",
    "profile_summary",
    "profiles_sheet",
    "codes_md",
]

#: ``stability_label`` of a profile (the model's label, :attr:`NeedProfiles.stability_label_`)
#: → (Indonesian, English).
STABILITY_LABELS: dict[str, tuple[str, str]] = {
    "stabil": ("stabil", "stable"),
    "ragu": ("ragu", "doubtful"),
    "tidak dapat dipercaya": ("tidak dapat dipercaya", "not trustworthy"),
}
#: English renderings of the stability labels (the Indonesian ones are the codes).
STABILITY_LABELS_EN = {k: v[1] for k, v in STABILITY_LABELS.items()}

#: Category printed instead of an official JPM category when any level is not from assessment
#: (the Indonesian label is :data:`workbook.needs.gaps.INDICATIVE_LABEL_ID`).
INDICATIVE_LABEL_EN = "indicative JPM (survey)"
#: ``jpm_category`` (the Indonesian category of the regulation, or the indicative label) →
#: English; a label set in the settings that is not listed here is shown as it is.
JPM_CATEGORIES: dict[str, str] = {
    "Memenuhi Syarat": "Meets requirements",
    "Masih Memenuhi Syarat": "Still meets requirements",
    "Kurang Memenuhi Syarat": "Does not meet requirements",
    "Optimal": "Optimal",
    "Cukup Optimal": "Fairly optimal",
    "Kurang Optimal": "Less than optimal",
    "JPM indikatif (survei)": INDICATIVE_LABEL_EN,
}

_SUMMARY = {
    "id": (
        "Profil {p} beranggotakan {n} responden ({pct} dari yang terpetakan) "
        "dengan {need}{unit}; profil ini {label} (Jaccard bootstrap {stab})."
    ),
    "en": (
        "Profile {p} has {n} respondents ({pct} of those assigned); {need}"
        "{unit}; the profile is {label} (bootstrap Jaccard {stab})."
    ),
}
_NEED = {
    "id": ("kebutuhan terbesar pada {areas}", "rata-rata tidak ada butir yang di bawah standar"),
    "en": ("the largest needs are in {areas}", "no item shows a shortfall on average"),
}
_UNIT = {"id": "; terbanyak dari {name} ({pct})", "en": "; mostly from {name} ({pct})"}


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


def _dec2(value: float, lang: str) -> str:
    """Two decimals for texts; Indonesian uses a decimal comma."""
    txt = f"{value:.2f}"
    return txt.replace(".", ",") if lang == "id" else txt


def stability_text(code: Any, lang: str = "id") -> str:
    """Words of a ``stability_label`` (unknown labels as they are)."""
    c = "" if code is None else str(code)
    return STABILITY_LABELS.get(c, (c, c))[1 if lang == "en" else 0]


def jpm_category_text(category: Any, lang: str = "id") -> str | None:
    """``jpm_category`` in ``lang`` (None stays None: no JPM)."""
    if category is None or (isinstance(category, float) and np.isnan(category)):
        return None
    c = str(category)
    return JPM_CATEGORIES.get(c, c) if lang == "en" else c


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
    return "; ".join(f"{k} ({_dec2(m, lang)})" for k, m in pairs)


def profile_summary(row: Mapping[str, Any], lang: str = "id") -> str:
    """The sentence of one profile card from its numbers: ``profile``, ``n``, ``share``,
    ``suggested_areas``, ``composition_unit`` / ``composition_unit_share`` (the first is named),
    ``stability_label`` and ``stability``. A hidden count or share (suppressed) shows ``–``."""
    areas = str(row.get("suggested_areas") or "")
    need = _NEED[lang][0].format(areas=areas) if areas else _NEED[lang][1]
    units = _items(row.get("composition_unit"))
    unit = ""
    if units:
        first = _items(row.get("composition_unit_share"))[0]
        unit = _UNIT[lang].format(name=units[0], pct=f"{first:.0%}")
    n, share = row.get("n"), row.get("share")
    n_txt = f"{int(n):,}" if _finite(n) else "–"
    stab = float(row.get("stability"))
    return _SUMMARY[lang].format(
        p=int(row["profile"]),
        n=n_txt.replace(",", ".") if lang == "id" else n_txt,
        pct=f"{float(share):.0%}" if _finite(share) else "–",
        need=need,
        unit=unit,
        label=stability_text(row.get("stability_label"), lang),
        stab=_dec2(stab, lang),
    )


#: the number columns of ``profiles`` that the sheet folds into the text of their list column
_PROFILE_NUMBERS = ("largest_gaps_mean", "composition_unit_share", "composition_jabatan_share")


def profiles_sheet(profiles: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """``profiles`` as a person reads it: the largest needs and compositions as text, the
    stability label and the sentence (``summary``, before ``suggested_areas``) in ``lang``."""
    rows = profiles.to_dict("records")
    out = profiles.drop(columns=[c for c in _PROFILE_NUMBERS if c in profiles])
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
        *[f"| `{c}` | {ind} | {eng} |" for c, (ind, eng) in STABILITY_LABELS.items()],
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
        *[f"| `{c}` | {c} | {eng} |" for c, eng in JPM_CATEGORIES.items()],
        "",
        "#### Kartu profil / Profile card",
        "",
        "`01_needs/profiles` carries numbers, no sentence: `largest_gaps` (item codes, largest need "
        "first) with `largest_gaps_mean`, `composition_unit` / `composition_jabatan` (top "
        "categories, largest first) with `composition_unit_share` / `composition_jabatan_share`, "
        "`stability`, `stability_label`, `suggested_areas`. The profile sheet of `needs.xlsx` and "
        "the report's profile cards show them as text: *K01 (-1,50); K02 (-0,25)* (two decimals, "
        "decimal comma in Indonesian), *Dinas A 60%; Dinas B 40%*, and the sentence `summary`:",
        "",
        "| bagian / part | id | en |",
        "|---|---|---|",
        f"| `summary` | {_SUMMARY['id']} | {_SUMMARY['en']} |",
        f"| `{{need}}` with `suggested_areas` | {_NEED['id'][0]} | {_NEED['en'][0]} |",
        f"| `{{need}}` without | {_NEED['id'][1]} | {_NEED['en'][1]} |",
        f"| `{{unit}}` (first of `composition_unit`) | {_UNIT['id']} | {_UNIT['en']} |",
        "",
        "`{n}` and `{pct}` show `–` when the profile's count is suppressed; `{label}` is the "
        "stability label in words, `{stab}` the Jaccard with two decimals.",
        "",
    ]
    return "\n".join(out)
