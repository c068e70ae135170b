"""Stage 03 — evaluation (Kirkpatrick L1–L4) and follow-up, once for the agency.

The run for plan year Y evaluates the programmes of Y−1 (participation and evaluation tables of
the data folder). The reference date for "pending" Level 3 measurements is the end of Y−1
(``reference_date``), so reruns give the same result.

Artefacts (``OUTPUT/<Y>/…``):

- ``03_evaluation/`` (aggregate; programmes and units with fewer than k people suppressed):
  ``level1``, ``level2``, ``level3``, ``level4``, ``followup_units``, ``maturity``,
  ``comparison`` (with Y−1's run when it exists), ``verdicts`` (the Level 2 verdict codes and
  numbers per programme, :func:`workbook.evaluation.verdicts.verdicts_table`, read by the plan), ``themes`` (free texts per theme × programme
  and × unit), ``quotes`` (short anonymised quotes, only from shown groups), ``did`` (Level 4
  difference in differences per indicator), ``roi``, ``roi_lines``, ``roi_intangibles`` (Phillips'
  return on investment, only when the optional ``roi_*`` inputs are given and valid),
  ``evaluation.xlsx`` (the same tables with the words of their codes,
  :func:`workbook.evaluation.words.readable`);
- ``restricted/03_evaluation/``: ``followup`` (person level, pseudonymous), ``carry_over`` —
  the needs carried into next year's run, read by :func:`workbook.needs.stage.run_needs` of the same run
  (the evaluation of Y−1 runs before the needs of Y: ``workbook.pipeline``); for
  :func:`load_result`, the level tables before suppression (``level1_raw``, ``level2_raw``,
  ``level3_raw``), the ROI outcome (``roi_outcome``) and the ``reference_date``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbook.core import artefacts
from workbook.core.context import Context
from workbook.core.i18n import t
from workbook.core.suppression import suppress_table
from workbook.evaluation import followup, impact, realisation, words
from workbook.evaluation import levels as evaluation
from workbook.evaluation import themes as themes_mod
from workbook.evaluation import verdicts as verdicts_mod
from workbook.evaluation.lexicon import Theme
from workbook.evaluation.maturity import compare_years, maturity_ladder
from workbook.evaluation.theme_file import load_theme_dictionary

__all__ = ["EvaluationResult", "RoiOutcome", "run_evaluation", "load_result", "STAGE",
           "carry_over_path", "ROI_ARTEFACTS"]

STAGE = "03_evaluation"


@dataclass
class EvaluationResult:
    ctx: Context
    tables: dict[str, pd.DataFrame]
    level1: pd.DataFrame
    level2: pd.DataFrame
    level3: pd.DataFrame
    level4: pd.DataFrame
    followup: pd.DataFrame
    followup_units: pd.DataFrame
    carry_over: pd.DataFrame
    maturity: pd.DataFrame
    comparison: pd.DataFrame
    reliable_change: pd.DataFrame | None
    reference_date: pd.Timestamp
    written: list = field(default_factory=list)
    #: counts of free texts per theme × programme (``kelompok`` = "program": L1 comments and
    #: interviews) and × unit ("unit": the TNA open question); groups under ``suppression.k_text``
    #: are one row with ``suppressed`` True and no theme (see :func:`_themes_and_quotes`).
    themes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: short anonymised quotes, only from shown groups and themes carried by ≥ k_text texts.
    quotes: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: difference in differences per unit indicator (:func:`workbook.evaluation.impact.did`), with messages.
    did: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Phillips' ROI of the programmes in the optional ``roi_*`` inputs, or why it was not computed.
    roi: RoiOutcome = field(default_factory=lambda: RoiOutcome())
    #: the agency's own theme dictionary (``themes.dictionary_file``) the themes were assigned
    #: with, None for the built-in ones: it names the agency's theme codes.
    theme_dictionary: tuple[Theme, ...] | None = None

    def programme_names(self) -> dict[str, str]:
        k = self.tables["katalog_program"]
        return dict(zip(k["program_id"], k["nama_program"], strict=False))


#: the aggregate ROI artefacts (removed when a rerun no longer computes ROI)
ROI_ARTEFACTS = ("roi", "roi_lines", "roi_intangibles")


@dataclass
class RoiOutcome:
    """Phillips' return on investment in the evaluation stage: computed, or why not.

    Attributes
    ----------
    status : {"computed", "absent", "incomplete", "invalid"}
        ``absent``: no ``roi_*`` file in the data folder (the report has no ROI section);
        ``incomplete``: ``roi_biaya`` or ``roi_manfaat`` is missing; ``invalid``: the ROI files
        have validation errors (or :func:`workbook.evaluation.impact.roi` refused them).
    message_id, message_en : str
        One sentence saying why ROI was not computed (empty when computed), located (file, row,
        column) when the data are invalid.
    result : RoiResult or None
        :func:`workbook.evaluation.impact.roi` on the inputs; ``summary`` carries ``nama_program`` and
        ``lines`` carries ``satuan`` from the conversion table.
    isolation_default, confidence_default
        Settings ``impact.isolation_default`` and ``impact.confidence_discount_default`` used for
        rows without ``isolasi`` / ``keyakinan``.
    """

    status: str = "absent"
    message_id: str = ""
    message_en: str = ""
    result: impact.RoiResult | None = None
    isolation_default: str | None = None
    confidence_default: float | None = None

    @property
    def computed(self) -> bool:
        return self.status == "computed" and self.result is not None

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id


def _roi_files(tables_or_names) -> str:
    return " dan ".join(f"{n}.csv" for n in tables_or_names)


def _roi_validation_errors(ctx: Context) -> pd.DataFrame:
    """Errors of the data check located in a ``roi_*`` file (empty when there is no report)."""
    from workbook.core.schema import ROI_TABLES, TABLES

    p = artefacts.artefact_path(ctx.output_dir, ctx.year, "00_data_check", "validation_report", "restricted")
    if not p.is_file():
        return pd.DataFrame()
    rep = pd.read_parquet(p)
    stems = {n.lower() for t in ROI_TABLES for n in (t, TABLES[t].alias)}
    mine = rep["file"].fillna("").map(lambda f: Path(str(f)).stem.lower() in stems)
    return rep[mine & (rep["severity"] == "error")].reset_index(drop=True)


def _located(row: pd.Series) -> tuple[str, str]:
    """A validation-report row as one located sentence in Indonesian and English."""
    from workbook.core.problems import make_problem

    def clean(v):
        return None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v

    row_no = clean(row.get("row"))
    p = make_problem(str(row["code"]), file=clean(row.get("file")), row=None if row_no is None else int(row_no),
                     column=clean(row.get("column")), value=clean(row.get("value")),
                     expected=clean(row.get("expected")))
    out = []
    for lang in ("id", "en"):
        text = p.location(lang) + ": " + p.message(lang)
        extra = []
        if p.value is not None:
            extra.append(t("evaluation.problem.value", lang, value=p.value))
        if p.expected:
            extra.append(t("evaluation.problem.expected", lang, expected=p.expected))
        out.append(text + (f" ({'; '.join(extra)})" if extra else ""))
    return out[0], out[1]


def _roi(ctx: Context, tables: dict) -> RoiOutcome:
    """Phillips' ROI from the optional ``roi_biaya``, ``roi_manfaat`` and ``roi_konversi`` tables.

    Never raises for bad ROI data: the ROI is optional, so the evaluation stage goes on and the
    outcome says, located, why no ROI was computed (``workbook validate`` lists every problem).
    """
    from workbook.core.exceptions import WorkbookError
    from workbook.core.schema import ROI_REQUIRED, ROI_TABLES, find_table_file

    s = ctx.settings
    iso = s.get("impact.isolation_default")
    iso = impact.ISOLATION_ALIASES.get(iso, iso) if iso else None
    conf = s.get("impact.confidence_discount_default")
    out = RoiOutcome(isolation_default=iso, confidence_default=None if conf is None else float(conf))
    # presence is read from the data folder: the data check does not remove the clean table of a file
    # that was deleted since its last run
    data_dir = Path(ctx.data_dir)
    given = [n for n in ROI_TABLES if data_dir.is_dir() and find_table_file(data_dir, n) is not None]
    if not given:
        out.message_id = (f"ROI (metodologi Phillips) tidak dihitung: berkas opsional {_roi_files(ROI_REQUIRED)} "
                          "(dengan roi_konversi.csv untuk nilai rupiah) tidak ada di folder data.")
        out.message_en = ("ROI (Phillips methodology) was not computed: the optional files roi_biaya.csv and "
                          "roi_manfaat.csv (with roi_konversi.csv for Rupiah values) are not in the data folder.")
        return out
    errors = _roi_validation_errors(ctx)
    missing = [n for n in ROI_REQUIRED if n not in given]
    if missing and not len(errors):
        out.status = "incomplete"
        out.message_id = (f"ROI tidak dihitung: berkas {_roi_files(missing)} tidak ada, padahal "
                          f"{_roi_files([g for g in given if g not in missing])} ada (keduanya diperlukan).")
        out.message_en = (f"ROI was not computed: {' and '.join(m + '.csv' for m in missing)} is missing while "
                          f"{' and '.join(g + '.csv' for g in given if g not in missing)} is given (both are needed).")
        return out
    if len(errors):
        first_id, first_en = _located(errors.iloc[0])
        n = len(errors)
        out.status = "invalid"
        out.message_id = (f"ROI tidak dihitung: data ROI memuat {n} kesalahan, yang pertama {first_id}. "
                          "Jalankan 'workbook validate' untuk daftar lengkapnya.")
        out.message_en = (f"ROI was not computed: the ROI data hold {n} error(s), the first {first_en}. "
                          "Run 'workbook validate' for the full list.")
        return out
    unread = [n for n in given if n not in tables]
    if unread:  # no validation report to quote (the data check did not write one)
        out.status = "invalid"
        out.message_id = (f"ROI tidak dihitung: berkas {_roi_files(unread)} tidak dapat dibaca. Jalankan "
                          "'workbook validate' untuk rinciannya.")
        out.message_en = (f"ROI was not computed: {' and '.join(u + '.csv' for u in unread)} cannot be read. Run "
                          "'workbook validate' for the details.")
        return out
    try:
        res = impact.roi(tables["roi_biaya"], tables["roi_manfaat"], isolation=iso, confidence_discount=conf,
                         conversion=tables.get("roi_konversi") if "roi_konversi" in given else None,
                         estimate_factor=float(s["impact.roi_estimate_sensitivity"]))
    except WorkbookError as exc:
        out.status = "invalid"
        out.message_id = f"ROI tidak dihitung: {exc.message('id')}"
        out.message_en = f"ROI was not computed: {exc.message('en')}"
        return out
    names = dict(zip(tables["katalog_program"]["program_id"], tables["katalog_program"]["nama_program"], strict=False))
    res.summary.insert(1, "nama_program", res.summary["program_id"].map(names).astype("object"))
    units = {}
    if "roi_konversi" in tables and "satuan" in tables["roi_konversi"].columns:
        k = tables["roi_konversi"]
        units = dict(zip(k["ukuran"].astype(str).str.strip(), k["satuan"], strict=False))
    res.lines.insert(2, "satuan", res.lines["ukuran"].map(units).astype("object"))
    out.status, out.result = "computed", res
    return out


def carry_over_path(ctx: Context, year: int) -> object:
    """Where the run of plan year ``year`` leaves its carry-over file."""
    return artefacts.artefact_path(ctx.output_dir, year, STAGE, "carry_over", "restricted")  # == artefacts.path(ctx, STAGE, "carry_over", year=year)


def _gaps(ctx: Context, tables: dict) -> pd.DataFrame | None:
    """The competency gaps the evaluated programmes were planned on: those of the run for Y−1.

    The evaluation of Y−1 runs before this year's needs stage (``workbook.pipeline``); this year's
    gaps reach the carried needs in :func:`workbook.needs.carry_over.merge_carry_over`, which drops
    those now at or above the standard.
    """
    return artefacts.read(ctx, artefacts.NEEDS, "gaps", year=ctx.year - 1, required=False)


#: numbers from the settings or the whole year, not from a programme's people: never hidden
_SETTING_NUMBERS = ("normality_alpha", "meaningful_threshold", "ceiling_limit_pct", "delay_months",
                    "p_adjust_m", "magnitude_threshold", "passing_score_pct", "mde_power", "mde_alpha",
                    "alpha_min_n", "alpha_adequate", "scale_min", "scale_max")


def shown_level2(res: EvaluationResult) -> pd.DataFrame:
    words_and_codes = ("program_id", "nama_program", "n", "suppressed", "suppression_reason",
                       "p_adjust_family", "method", "method_reason", "verdict", "normality_test",
                       "effect_type", "hake_category", "effectiveness", "effectiveness_feeds",
                       "p_adjust_method", "magnitude", "direction", *_SETTING_NUMBERS)
    cols = [c for c in res.level2.columns if c not in words_and_codes]
    num = [c for c in cols if pd.api.types.is_numeric_dtype(res.level2[c])]
    out = suppress_table(res.level2, n_col="n", value_cols=num, parent_cols=None, settings=res.ctx.settings)
    hidden = out["suppressed"]
    for c in ("verdict", "effectiveness", "hake_category", "magnitude", "direction", "significant",
              "meaningful", "ceiling"):
        if c in out:
            out[c] = out[c].astype(object).where(~hidden, None)
    return out


def conflicts_of(res: EvaluationResult) -> pd.DataFrame:
    """Per programme of Level 2: Level 3 and interviews that disagree with it
    (:func:`workbook.evaluation.verdicts.level_conflicts`)."""
    if not len(res.level2):
        return pd.DataFrame()
    return verdicts_mod.level_conflicts(res.level2, res.level3, res.tables.get("wawancara"),
                                        float(res.ctx.settings["evaluation.magnitude_threshold"]))


def verdicts_of(res: EvaluationResult, shown_l2: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``verdicts`` artefact: the suppressed Level 2 verdicts with the level conflicts."""
    l2 = shown_level2(res) if shown_l2 is None else shown_l2
    if not len(l2):
        return verdicts_mod.verdicts_table(pd.DataFrame({"program_id": pd.Series(dtype="str")}))
    return verdicts_mod.verdicts_table(l2, conflicts_of(res))


def shown_level1(res: EvaluationResult) -> pd.DataFrame:
    num = [c for c in res.level1.columns if pd.api.types.is_numeric_dtype(res.level1[c]) and c != "n"]
    out = suppress_table(res.level1, n_col="n", value_cols=num, parent_cols=None, settings=res.ctx.settings)
    for c in ("category",):
        if c in out:
            out[c] = out[c].astype(object).where(~out["suppressed"], None)
    return out


def shown_level3(res: EvaluationResult) -> pd.DataFrame:
    """Level 3 per programme with programmes rated for fewer than k people (or pairs) suppressed."""
    l3 = res.level3
    if not len(l3):
        return l3
    d = l3.copy()
    pairs = pd.to_numeric(d["n"], errors="coerce") if "n" in d else d["n_persons"]
    d["n_basis"] = np.minimum(d["n_persons"].astype(float), pairs.fillna(d["n_persons"]).astype(float))
    num = [c for c in d.columns if pd.api.types.is_numeric_dtype(d[c])
           and c not in ("n_basis", *_SETTING_NUMBERS) and not pd.api.types.is_bool_dtype(d[c])]
    out = suppress_table(d, n_col="n_basis", value_cols=num, parent_cols=None, settings=res.ctx.settings)
    for c in ("significant", "meaningful", "magnitude", "direction"):
        if c in out:
            out[c] = out[c].astype(object).where(~out["suppressed"], None)
    return out.drop(columns=["n_basis"])


_TEXT_GROUPS = {"program": ("program_id", ("evaluasi_l1", "wawancara")), "unit": ("kode_unit", ("survei_pegawai",))}
_THEME_COLS = ["kelompok", "sumber", "program_id", "kode_unit", "tema", "kata_klaster", "n",
               "n_group", "share", "n_negatif", "suppressed", "suppression_reason"]
_QUOTE_COLS = ["kelompok", "sumber", "program_id", "kode_unit", "tema", "kata_klaster", "rank",
               "kutipan", "n_same", "nada"]


def _known_ids(tables: dict, texts: pd.Series) -> list[str]:
    """Person ids of the data (``pegawai_id``, ``responden_id``) that occur in some text."""
    ids: set[str] = set()
    for name, col in (("pegawai", "pegawai_id"), ("evaluasi_l1", "responden_id")):
        if name in tables and col in tables[name].columns:
            ids |= {str(x) for x in tables[name][col].dropna().unique()}
    joined = "\n".join(texts.astype(str)).lower()
    return sorted(i for i in ids if len(i) >= 3 and i.lower() in joined)


def _theme_dictionary(ctx: Context) -> tuple[Theme, ...] | None:
    """The agency's own theme dictionary (``themes.dictionary_file``), None when there is none."""
    path = ctx.settings["themes.dictionary_file"]
    if not path:
        return None
    p = Path(str(path))
    if not p.is_absolute() and not p.is_file() and getattr(ctx.settings, "path", None):
        p = Path(ctx.settings.path).parent / p
    return load_theme_dictionary(str(p))


def _themes_and_quotes(ctx: Context, tables: dict
                       ) -> tuple[pd.DataFrame, pd.DataFrame, tuple[Theme, ...] | None]:
    """Themes and quotes of the agency's free texts (L1 comments, TNA open question, interviews).

    Texts come de-identified from ingest (names, NIP, NIK, telephone, e-mail:
    :mod:`workbook.ingest.deidentify`); the data's person ids are replaced
    (:func:`workbook.evaluation.themes.anonymise_quote`) *before* themes are assigned, so that no
    identifier can reach a cluster label. Counts are
    grouped per programme (L1 comments, interviews) and per unit (TNA question), each source its
    own set of siblings for the complementary rule; a suppressed group is kept as one row without
    its themes (which themes a small group mentioned is itself a disclosure).

    Returns
    -------
    themes, quotes : DataFrame
        Columns ``_THEME_COLS`` and ``_QUOTE_COLS``: ``kelompok`` ("program"/"unit"),
        ``sumber`` and the group column (``program_id`` or ``kode_unit``; the other is empty), then
        the columns of :func:`workbook.evaluation.themes.themes_by_group` / :func:`workbook.evaluation.themes.quotes`.
    dictionary : tuple of Theme or None
        The agency's own dictionary the themes were assigned with (None: the built-in ones).
    """
    s = ctx.settings
    empty = (pd.DataFrame({c: pd.Series(dtype="object") for c in _THEME_COLS}),
             pd.DataFrame({c: pd.Series(dtype="object") for c in _QUOTE_COLS}))
    texts = themes_mod.collect_texts(tables)
    if texts.empty:
        return (*empty, None)
    ids = _known_ids(tables, texts["teks"])
    texts["teks"] = texts["teks"].map(lambda t: themes_mod.anonymise_quote(t, ids))
    kw = {"n_clusters": int(s["themes.n_clusters"]), "random_state": int(s["themes.random_state"])}
    dictionary = _theme_dictionary(ctx)
    if dictionary:
        kw["dictionary"] = dictionary
    assigned = themes_mod.assign_themes(texts, **kw)
    t_parts, q_parts = [], []
    for kelompok, (col, sources) in _TEXT_GROUPS.items():
        a = assigned[assigned["sumber"].isin(sources)]
        if a.empty:
            continue
        groups = ["sumber", col]
        t = themes_mod.themes_by_group(a, groups, settings=s, parent_cols=["sumber"])
        hidden = t["suppressed"].astype(bool)
        small = t[hidden].drop_duplicates(groups).assign(tema=None, kata_klaster=None)
        t = pd.concat([t[~hidden], small], ignore_index=True).sort_values(groups, kind="stable")
        q = themes_mod.quotes(a, groups, n=int(s["themes.quotes_per_theme"]),
                              max_chars=int(s["themes.quote_max_chars"]), known_ids=ids, settings=s,
                              parent_cols=["sumber"])
        t_parts.append(t.assign(kelompok=kelompok))
        q_parts.append(q.assign(kelompok=kelompok))
    th = pd.concat(t_parts, ignore_index=True) if t_parts else empty[0]
    qu = pd.concat(q_parts, ignore_index=True) if q_parts else empty[1]
    for df in (th, qu):
        for c in ("program_id", "kode_unit"):
            if c not in df.columns:
                df[c] = None
    th, qu = th[_THEME_COLS].reset_index(drop=True), qu[_QUOTE_COLS].reset_index(drop=True)
    th["suppressed"] = th["suppressed"].astype(bool)
    return th, qu, dictionary


def _did(ctx: Context, tables: dict) -> pd.DataFrame:
    """Level 4 difference in differences per indicator (``impact.did_treatment``: by default the
    treatment is participation in Y−1 from ``realisasi_pengembangan``); empty without indicators,
    or without participation data when the treatment needs them (the chapter says so)."""
    if "indikator_unit" not in tables or not len(tables["indikator_unit"]):
        return pd.DataFrame()
    treatment = str(ctx.settings["impact.did_treatment"])
    real = tables.get("realisasi_pengembangan")
    if treatment == "realisasi" and real is None:
        return pd.DataFrame()
    return impact.did(tables["indikator_unit"], real, tables["pegawai"], treatment=treatment,
                      year=ctx.year - 1, settings=ctx.settings)


def run_evaluation(ctx: Context, *, write: bool = True, reference_date=None) -> EvaluationResult:
    s = ctx.settings
    tables = artefacts.require_clean_tables(ctx)
    katalog, peg = tables["katalog_program"], tables["pegawai"]
    ref = pd.Timestamp(reference_date) if reference_date is not None else pd.Timestamp(f"{ctx.year - 1}-12-31")
    empty = pd.DataFrame()
    l1 = evaluation.level1(tables["evaluasi_l1"], katalog, settings=s) if "evaluasi_l1" in tables else empty
    l2 = evaluation.level2(tables["evaluasi_l2"], katalog, strict=False, settings=s) if "evaluasi_l2" in tables else empty
    l3 = (evaluation.level3(tables["evaluasi_l3"], tables.get("realisasi_pengembangan"), settings=s, today=ref)
          if "evaluasi_l3" in tables else empty)
    l4 = (evaluation.level4(tables["indikator_unit"], realisasi=tables.get("realisasi_pengembangan"), pegawai=peg,
                            year=ctx.year - 1, settings=s) if "indikator_unit" in tables else empty)
    rci = None
    if "evaluasi_l2" in tables:
        try:
            rci = evaluation.reliable_change(tables["evaluasi_l2"], butir=tables.get("evaluasi_l2_butir"), settings=s)
        except Exception:  # noqa: BLE001 — optional; the reason is stated in the chapter
            rci = None
    gaps = _gaps(ctx, tables)
    jp = realisation.jp_realisation(tables.get("realisasi_pengembangan"), peg, year=ctx.year - 1, settings=s,
                                    katalog=katalog)
    fu = followup.still_below_standard(tables.get("evaluasi_l2"), gaps, jp, katalog,
                                       realisasi=tables.get("realisasi_pengembangan"), pegawai=peg, settings=s)
    fu_units = followup.followup_counts_by_unit(fu, peg, settings=s, tests=tables.get("evaluasi_l2"))
    carry = followup.carry_over(fu, gaps, year=ctx.year)
    # A plan document exists: the Y−1 plan when its artefacts are on disk, and in any case the plan
    # of Y that this cycle writes (stage 02 runs after this one and is part of the same report).
    # Reading only what is on disk would make the ladder depend on the order stages ran in.
    has_plan = True
    # step 4 needs recorded follow-up actions with status (optional table tindak_lanjut), not a list
    maturity = maturity_ladder(has_plan, "realisasi_pengembangan" in tables and len(tables["realisasi_pengembangan"]) > 0,
                               len(l2) > 0 or len(l1) > 0, len(fu) > 0, actions=tables.get("tindak_lanjut"))
    prev_path = artefacts.artefact_path(ctx.output_dir, ctx.year - 1, STAGE, "level2")
    prev = pd.read_parquet(prev_path) if prev_path.is_file() else None
    comparison = compare_years(l2, prev, year_current=ctx.year, year_previous=ctx.year - 1) if len(l2) else empty
    res = EvaluationResult(ctx, tables, l1, l2, l3, l4, fu, fu_units, carry, maturity, comparison, rci, ref)
    res.themes, res.quotes, res.theme_dictionary = _themes_and_quotes(ctx, tables)
    res.did = _did(ctx, tables)
    res.roi = _roi(ctx, tables)
    if write:
        res.written = _write(res)
    return res


_ROI_TOTALS = ("costs", "benefits", "net_benefits", "roi_pct", "bcr", "benefits_estimated",
               "benefits_estimates_scaled", "roi_pct_estimates_scaled")


def _roi_facts(roi: RoiOutcome) -> pd.DataFrame:
    """The ROI outcome as one row: status, the sentences, the defaults used and the totals
    (``total_*``, empty when ROI was not computed); its tables are the ``roi*`` artefacts."""
    total = roi.result.total if roi.computed else {}
    row = {"status": roi.status, "message_id": roi.message_id, "message_en": roi.message_en,
           "isolation_default": roi.isolation_default, "confidence_default": roi.confidence_default,
           **{f"total_{k}": float(total.get(k, np.nan)) for k in _ROI_TOTALS}}
    return pd.DataFrame([row]).astype({"isolation_default": "object",
                                       "confidence_default": "float64"})


def _load_roi(ctx: Context) -> RoiOutcome:
    row = artefacts.read(ctx, STAGE, "roi_outcome").iloc[0]

    def value(v):
        return None if v is None or (isinstance(v, float) and v != v) else v

    out = RoiOutcome(str(row["status"]), str(row["message_id"]), str(row["message_en"]),
                     isolation_default=value(row["isolation_default"]),
                     confidence_default=value(row["confidence_default"]))
    if out.status == "computed":
        summary, lines, intangibles = (artefacts.read(ctx, STAGE, n) for n in ROI_ARTEFACTS)
        # the names and units the stage added (_roi) are object columns (Parquet reads them as str)
        summary["nama_program"] = summary["nama_program"].astype("object")
        lines["satuan"] = lines["satuan"].astype("object")
        out.result = impact.RoiResult(summary, lines, intangibles,
                                      total={k: float(row.get(f"total_{k}", np.nan)) for k in _ROI_TOTALS})
    return out


def _write(res: EvaluationResult) -> list:
    ctx = res.ctx
    agg = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE)
    rst = artefacts.stage_dir(ctx.output_dir, ctx.year, STAGE, "restricted")
    l1, l2 = shown_level1(res), shown_level2(res)
    l3, verdicts = shown_level3(res), verdicts_of(res, l2)
    written = [
        artefacts.write_parquet(l1, agg / "level1.parquet"),
        artefacts.write_parquet(l2, agg / "level2.parquet"),
        artefacts.write_parquet(l3, agg / "level3.parquet"),
        artefacts.write_parquet(res.level4, agg / "level4.parquet"),
        artefacts.write_parquet(res.followup_units, agg / "followup_units.parquet"),
        artefacts.write_parquet(res.maturity, agg / "maturity.parquet"),
        artefacts.write_parquet(res.comparison, agg / "comparison.parquet"),
        artefacts.write_parquet(res.themes, agg / "themes.parquet"),
        artefacts.write_parquet(res.quotes, agg / "quotes.parquet"),
        artefacts.write_parquet(res.did, agg / "did.parquet"),
        artefacts.write_parquet(verdicts, agg / "verdicts.parquet"),
    ]
    sheets = {"L1_reaksi": ("level1", l1), "L2_pembelajaran": ("level2", l2),
              "L2_kesimpulan": ("verdicts", verdicts),
              "L3_perilaku": ("level3", l3), "L4_hasil": ("level4", res.level4),
              "L4_pembanding": ("did", res.did), "tema_teks": ("themes", res.themes),
              "kutipan": ("quotes", res.quotes),
              "tindak_lanjut_unit": ("followup_units", res.followup_units),
              "tangga_merit": ("maturity", res.maturity)}
    roi = getattr(res, "roi", None)
    if roi is not None and roi.computed:
        r = roi.result
        written += [artefacts.write_parquet(r.summary, agg / "roi.parquet"),
                    artefacts.write_parquet(r.lines, agg / "roi_lines.parquet"),
                    artefacts.write_parquet(r.intangibles, agg / "roi_intangibles.parquet")]
        sheets.update({"ROI": ("roi", r.summary), "ROI_manfaat": ("roi_lines", r.lines),
                       "ROI_tak_berwujud": ("roi_intangibles", r.intangibles)})
    else:  # a rerun without (valid) ROI inputs leaves no stale ROI behind
        for name in ROI_ARTEFACTS:
            (agg / f"{name}.parquet").unlink(missing_ok=True)
    readable = {sheet: words.readable(df, name, dictionary=res.theme_dictionary)
                for sheet, (name, df) in sheets.items()}
    written.append(artefacts.write_xlsx(
        readable, agg / "evaluation.xlsx", lang=ctx.lang,
        rupiah_cols=("costs", "benefits", "net_benefits", "value_per_unit", "benefit"),
        banner="Agregat (boleh dibagikan) / Aggregate (shareable)"))
    artefacts.write_manifest(agg, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=written)
    rwritten = [artefacts.write_parquet(res.followup, rst / "followup.parquet"),
                artefacts.write_parquet(res.carry_over, rst / "carry_over.parquet"),
                artefacts.write_parquet(res.level1, rst / "level1_raw.parquet"),
                artefacts.write_parquet(res.level2, rst / "level2_raw.parquet"),
                artefacts.write_parquet(res.level3, rst / "level3_raw.parquet"),
                artefacts.write_parquet(_roi_facts(res.roi), rst / "roi_outcome.parquet"),
                artefacts.write_parquet(pd.DataFrame({"reference_date": [res.reference_date]}),
                                        rst / "reference_date.parquet")]
    if res.reliable_change is not None:
        rwritten.append(artefacts.write_parquet(res.reliable_change, rst / "reliable_change.parquet"))
    artefacts.write_manifest(rst, stage=STAGE, settings=ctx.settings, params=ctx.params(), files=rwritten)
    return written + rwritten


def load_result(ctx: Context) -> EvaluationResult:
    """Stage 03's result rebuilt from the artefacts it wrote (read through the registry).

    Nothing is tested or clustered again: the level tables before suppression come from their
    ``*_raw`` files (the ``shown_*`` functions suppress them as the stage did), the ROI outcome
    from ``roi_outcome`` and the ``roi*`` tables, the reference date from ``reference_date``. A
    missing artefact raises a bilingual :class:`~workbook.core.exceptions.DataError`.
    """
    def read(name: str, required: bool = True) -> pd.DataFrame | None:
        return artefacts.read(ctx, STAGE, name, required=required)

    ref = pd.Timestamp(read("reference_date")["reference_date"].iloc[0])
    res = EvaluationResult(ctx, artefacts.require_clean_tables(ctx), read("level1_raw"),
                           read("level2_raw"), read("level3_raw"), read("level4"), read("followup"),
                           read("followup_units"), read("carry_over"), read("maturity"),
                           read("comparison"), read("reliable_change", False), ref)
    res.themes, res.quotes, res.did = read("themes"), read("quotes"), read("did")
    res.roi = _load_roi(ctx)
    return res
