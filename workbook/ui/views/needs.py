"""Interactive view of stage 01: unit, competency and number of profiles; charts update.

Changing the number of profiles refits the agency-wide model (profiles are never fitted per unit)
into a new result; the result the view was built with is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from workbook.core.i18n import t
from workbook.needs import report as nr
from workbook.needs.cards import describe_profiles
from workbook.needs.profiles import NeedProfiles
from workbook.needs.stage import NeedsResult, profile_matrix
from workbook.ui.views.output import show

__all__ = ["NeedsState", "UnitsContent", "ProfilesContent", "units_content", "profiles_content",
           "refit_profiles", "NeedsView", "needs_view"]


@dataclass
class NeedsState:
    """What the analyst chose: unit and competency (filters) and the number of profiles."""

    unit: str | None = None
    competency: str | None = None
    n_profiles: int = 0  # 0 = chosen by the data


@dataclass
class UnitsContent:
    """The upper part of the view: summary (Markdown), heat map and unit table."""

    summary: str
    heatmap: Figure
    table: pd.DataFrame

    def items(self) -> list[object]:
        return [self.summary, self.heatmap, self.table]


@dataclass
class ProfilesContent:
    """The lower part of the view: profile cards and the profile figure (None below 2 profiles)."""

    cards: pd.DataFrame
    figure: Figure | None

    def items(self) -> list[object]:
        return [self.cards, self.figure]


def refit_profiles(res: NeedsResult, n_profiles: int) -> NeedsResult:
    """A copy of ``res`` with the agency-wide profiles refitted for a fixed number (0 = automatic).

    The model, the profile cards and the profile members are replaced; ``res`` is not changed.
    """
    X = profile_matrix(res.gaps, res.tables["survei_pegawai"]["pegawai_id"])
    s = res.ctx.settings
    k_lo, k_hi = s["profiles.k_range"]
    model = NeedProfiles(n_profiles=n_profiles or None, k_range=(int(k_lo), int(k_hi)),
                         n_bootstrap=int(s["profiles.n_bootstrap"]), random_state=0,
                         missing=str(s["profiles.missing"])).fit(X)
    peg = res.tables["pegawai"].set_index("pegawai_id").reindex(X.index)
    meta = peg[["kode_unit", "nama_unit", "jenis_jabatan"]].reset_index()
    profiles = describe_profiles(model, X, meta, min_n=int(s["suppression.k_count"]),
                                 name_gap=float(s["profiles.name_gap"]))
    members = pd.DataFrame({"pegawai_id": X.index, "profile": model.labels_,
                            "certainty": model.certainty_})
    return replace(res, model=model, profiles=profiles, profile_members=members)


def units_content(res: NeedsResult, state: NeedsState) -> UnitsContent:
    """Summary, heat map and unit table for ``state.unit`` and ``state.competency`` (pure)."""
    return UnitsContent(nr.summary_markdown(res, state.unit), nr.heatmap_figure(res, state.unit),
                        nr.unit_table(res, state.unit, state.competency))


def profiles_content(res: NeedsResult) -> ProfilesContent:
    """Profile cards and figure of ``res`` (pure)."""
    return ProfilesContent(nr.profile_cards(res), nr.profile_figure(res))


class NeedsView:
    """The widgets of the stage 01 view; ``state`` is plain data, every callback one line.

    ``res`` is the result shown: the one given, or a refitted copy once the number of profiles
    has changed.
    """

    def __init__(self, res: NeedsResult, state: NeedsState | None = None) -> None:
        self.res = res
        lang = res.ctx.lang
        self.state = state or NeedsState(unit=res.ctx.unit)
        units = sorted(res.unit_competency["kode_unit"].unique())
        comps = sorted(res.unit_competency["kode_kompetensi"].unique())
        all_units = (t("label.all_units", lang), None)
        self.unit_w = widgets.Dropdown(options=[all_units] + [(u, u) for u in units],
                                       value=self.state.unit, description=t("label.unit", lang))
        self.comp_w = widgets.Dropdown(options=[("—", None)] + [(c, c) for c in comps],
                                       value=self.state.competency,
                                       description=t("ui.view.competency", lang))
        k_label = t("ui.view.n_profiles", lang)
        self.k_w = widgets.IntSlider(value=self.state.n_profiles, min=0,
                                     max=int(res.ctx.settings["profiles.k_range"][1]),
                                     description=k_label, style={"description_width": "initial"})
        self.out_units, self.out_profiles = widgets.Output(), widgets.Output()
        self.units: UnitsContent | None = None
        self.profiles: ProfilesContent | None = None
        self.unit_w.observe(lambda ch: self.set_unit(ch["new"]), names="value")
        self.comp_w.observe(lambda ch: self.set_competency(ch["new"]), names="value")
        self.k_w.observe(lambda ch: self.set_n_profiles(ch["new"]), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.unit_w, self.comp_w]), self.out_units,
                                    self.k_w, self.out_profiles])
        self.render_units()
        self.render_profiles()

    def set_unit(self, unit: str | None) -> None:
        self.state.unit = unit
        self.render_units()

    def set_competency(self, competency: str | None) -> None:
        self.state.competency = competency
        self.render_units()

    def set_n_profiles(self, n_profiles: int) -> None:
        """Refit the profiles with ``n_profiles`` (0 = automatic) when it changed; redraw them."""
        if n_profiles != self.state.n_profiles:
            self.state.n_profiles = n_profiles
            self.res = refit_profiles(self.res, n_profiles)
        self.render_profiles()

    def render_units(self) -> None:
        self.units = show(self.out_units, lambda: units_content(self.res, self.state))

    def render_profiles(self) -> None:
        self.profiles = show(self.out_profiles, lambda: profiles_content(self.res))


def needs_view(res: NeedsResult, state: NeedsState | None = None) -> widgets.VBox:
    """The stage 01 view as one widget (what ``notebooks/01_needs_analysis.ipynb`` displays)."""
    return NeedsView(res, state).widget
