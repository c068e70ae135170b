"""Interactive view of stage 01: unit, competency and number of profiles; charts update.

Changing the number of profiles refits the agency-wide model (profiles are never fitted per unit).
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

from workbook.core.i18n import t
from workbook.needs import report as nr
from workbook.needs.cards import describe_profiles
from workbook.needs.profiles import NeedProfiles
from workbook.needs.stage import NeedsResult, profile_matrix

__all__ = ["NeedsState", "needs_view", "refit_profiles"]


@dataclass
class NeedsState:
    unit: str | None = None
    competency: str | None = None
    n_profiles: int = 0  # 0 = chosen by the data


def refit_profiles(res: NeedsResult, n_profiles: int) -> None:
    """Refit the agency-wide profiles with a fixed number (0 = automatic) and update ``res``."""
    X = profile_matrix(res.gaps, res.tables["survei_pegawai"]["pegawai_id"])
    k_lo, k_hi = res.ctx.settings["profiles.k_range"]
    model = NeedProfiles(n_profiles=n_profiles or None, k_range=(int(k_lo), int(k_hi)),
                         n_bootstrap=int(res.ctx.settings["profiles.n_bootstrap"]), random_state=0).fit(X)
    peg = res.tables["pegawai"].set_index("pegawai_id").reindex(X.index)
    res.model = model
    res.profiles = describe_profiles(model, X, peg[["kode_unit", "nama_unit", "jenis_jabatan"]].reset_index(), lang=res.ctx.lang)


def needs_view(res: NeedsResult, state: NeedsState | None = None) -> widgets.VBox:
    lang = res.ctx.lang
    state = state or NeedsState(unit=res.ctx.unit)
    units = sorted(res.unit_competency["kode_unit"].unique())
    comps = sorted(res.unit_competency["kode_kompetensi"].unique())
    all_label = t("label.all_units", lang)
    unit_w = widgets.Dropdown(options=[(all_label, None)] + [(u, u) for u in units], value=state.unit,
                              description=t("label.unit", lang))
    comp_w = widgets.Dropdown(options=[("—", None)] + [(c, c) for c in comps], value=state.competency,
                              description={"id": "Kompetensi", "en": "Competency"}[lang])
    k_w = widgets.IntSlider(value=state.n_profiles, min=0, max=int(res.ctx.settings["profiles.k_range"][1]),
                            description={"id": "Profil (0=otomatis)", "en": "Profiles (0=auto)"}[lang],
                            style={"description_width": "initial"})
    out_units, out_profiles = widgets.Output(), widgets.Output()

    def render_units(_=None) -> None:
        state.unit, state.competency = unit_w.value, comp_w.value
        out_units.clear_output(wait=True)
        with out_units:
            display(Markdown(nr.summary_markdown(res, state.unit)))
            fig = nr.heatmap_figure(res, state.unit)
            display(fig)
            plt.close(fig)
            display(nr.unit_table(res, state.unit, state.competency))

    def render_profiles(_=None) -> None:
        if k_w.value != state.n_profiles:
            state.n_profiles = k_w.value
            refit_profiles(res, state.n_profiles)
        out_profiles.clear_output(wait=True)
        with out_profiles:
            display(nr.profile_cards(res))
            fig = nr.profile_figure(res)
            if fig is not None:
                display(fig)
                plt.close(fig)

    unit_w.observe(render_units, names="value")
    comp_w.observe(render_units, names="value")
    k_w.observe(render_profiles, names="value")
    render_units()
    render_profiles()
    return widgets.VBox([widgets.HBox([unit_w, comp_w]), out_units, k_w, out_profiles])
