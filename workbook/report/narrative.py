"""The parts of the yearly report that belong to no single stage: chapter I (legal basis, purpose,
scope, data) and the unit's display name. Their words — with the cover, chapter titles, approval
block and appendices of :mod:`workbook.report.render` — are ``report.*`` in
``workbook/report/messages.yaml``, looked up with :func:`workbook.core.i18n.t`.

The findings of each stage — including the unit-level sentences, whose every number is read from
the agency's *suppressed* tables filtered to the unit — are written by the stage's own
``report.py`` (its ``chapter`` function).
"""

from __future__ import annotations

from workbook.core.i18n import t
from workbook.core.suppression import k_for

__all__ = ["intro_paragraphs", "unit_display_name"]


def intro_paragraphs(bundle, unit: str | None) -> dict[str, list[str]]:
    """Paragraphs of chapter I (background, purpose, scope, data) for the agency or one unit.

    The words are ``report.intro.*`` in ``workbook/report/messages.yaml``.
    """
    ctx = bundle.ctx
    lang, s = ctx.lang, ctx.settings
    agency, year = ctx.agency_name, ctx.year
    k, kd = k_for("count", s), k_for("distribution", s)
    bg = [t("report.intro.background.1", lang, jp=s["jp.minimum_pns"]),
          t("report.intro.background.2", lang)]
    purpose = [t("report.intro.purpose", lang, agency=agency, year=year)]
    if not unit:
        scope = [t("report.intro.scope.agency", lang, agency=agency)]
    else:
        scope = [t("report.intro.scope.unit", lang, unit_name=unit_display_name(bundle, unit), unit=unit,
                   agency=agency) + " " + t("report.agency_note", lang)]
    data = [t("report.intro.data", lang, agency=agency, year=year),
            t("report.hidden_note", lang, k=k, kd=kd)]
    return {"background": bg, "purpose": purpose, "scope": scope, "data": data}


def unit_display_name(bundle, unit: str) -> str:
    """The unit's name from the data check's overview (its code when unknown)."""
    u = bundle.dc.units
    row = u[u["kode_unit"] == unit]
    return str(row["nama_unit"].iloc[0]) if len(row) else unit
