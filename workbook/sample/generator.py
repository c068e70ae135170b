"""Sample agency generator: a synthetic kabupaten for demos, tests and benchmarks.

:func:`generate_agency` builds every input table of :mod:`workbook.core.schema` for a fictitious
regional government, *Pemerintah Kabupaten Contoh*: employees in 13 OPD (one deliberately tiny so
that small-group suppression is exercised), the competency dictionary (8 managerial + 1
socio-cultural competencies of PermenPANRB 38/2017 and 13 technical ones), job standards,
assessment results, the AKPK survey (self and supervisor), the programme catalogue, the budget,
last year's participation and the Kirkpatrick L1–L4 evaluation tables.
:func:`~workbook.sample.write.write_agency` writes them as an input folder.

Everything is synthetic: no real names, no real NIP (only the invented ones of
:data:`~workbook.sample.evaluation.FAKE_IDENTIFIERS` in a few free comments); ``pegawai_id`` is
``P`` + a sequence number.
Everything is vectorised with one :class:`numpy.random.Generator` per call, so a seed gives the
same tables on every machine and a million employees take seconds.

Planted structure (what the analysis stages should find)
--------------------------------------------------------
Four latent *need profiles* shape the gap ``actual − standard`` of each employee (shifts of the
latent level on the profile's competencies; on a 1–5 scale the level cannot drop below 1, so the
observed gap of a competency with standard 2 is at most −1):

``digital``
    Digital/technical gap: T.04 SPBE/Transformasi Digital (−2.0), T.01 Analisis Data (−1.8) and
    M.7 Mengelola Perubahan (−1.6). About 80 % of staff aged 40+ in administrative units (Setda,
    Setwan, Inspektorat, BKPSDM, Bappeda, PUPR, Kesbangpol) and of teachers aged 40+ (Dinas
    Pendidikan); rare elsewhere.
``manajerial``
    Managerial gap among new supervisors: M.6 Pengembangan Diri dan Orang Lain (−2.0), M.8
    Pengambilan Keputusan (−1.8), M.2 Kerja Sama (−1.7), M.4 Orientasi pada Hasil (−1.5). About
    85 % of pengawas under 40, some older pengawas and administrators; nobody else.
``pelayanan``
    Service-orientation gap in front-line units: M.5 Pelayanan Publik (−2.0), M.3 Komunikasi
    (−1.8), SK.1 Perekat Bangsa (−1.5), T.03 Pelayanan Kesehatan (−1.6, where in the standard).
    About 80 % of pelaksana and fungsional in Dinkes, RSUD, Disdukcapil, Dinsos and Satpol PP.
``tanpa_kesenjangan``
    No major gap (+0.3 everywhere): the rest.

Membership is drawn per employee from weights tied to the group (so it is strongly, not
perfectly, predictable from unit, position and age); :func:`planted_profiles` returns it for
checking — it is never part of the tables. On the committed sample the needs stage recovers the
four profiles (adjusted Rand index about 0.88 against the planted membership of respondents).

On top: noise (latent level ±0.3 SD around standard + shift, each rating ±0.3 SD around the
latent level, then rounded to a whole level) so that most actual levels are within ±1 of the
standard outside the profile competencies; self-ratings on average about 0.4 above supervisor
ratings; about 3 % blank answers; about 1 % duplicate submissions (same ``pegawai_id``, later
``waktu_isi``, slightly different answers); response rates differing per unit; training
before the survey raising the level of the competencies it addresses.

Level 2 gains are realistic: a person's change is the programme's mean change plus noise of the
same order (standard deviation 7–11 points), so the standardised mean change g_z is about 0.35–1.1
(the programme with most participants about 1.2); three programmes have no real gain and two a
ceiling effect (pre-test around 88 of 100).

Level 4 (``indikator_unit``): five indicators are shared by several units — "Nilai SAKIP perangkat
daerah", "Persentase PNS memenuhi 20 JP (%)" and "Jumlah temuan administrasi keuangan" (lower is
better) in all 13 units, "Indeks kepuasan masyarakat" in six service units, about half of the units
trained for each (``program_id`` set), and "Persentase layanan berbasis elektronik (%)" in five
units that all trained (no comparison group). Their change toward the better direction is
:data:`~workbook.sample.evaluation.L4_TREND` (+1) for every unit plus
:data:`~workbook.sample.evaluation.L4_EFFECT` (+3) for trained units, with noise of standard
deviation :data:`~workbook.sample.evaluation.L4_NOISE_SD` (1.5) — so difference in differences
recovers about +3. Each unit also has one to three indicators of its own.

Free texts: Level 1 comments in 80 wordings across the themes of
:data:`workbook.evaluation.themes.THEMES_EVALUASI` (informal forms such as "gk", "bgt", "mantap" included),
answers that say nothing ("-", "tidak ada"), a few that fit no theme (certificates, parking), and
five comments carrying FAKE identifiers (:data:`~workbook.sample.evaluation.FAKE_IDENTIFIERS`:
invented names after "Pak"/"Bu", NIPs and telephone numbers) so that anonymisation of quotes is exercised; the TNA open question in
about 60 wordings; 8–10 coded interviews (one to three sentences) for each of four programmes.

Return on investment (``roi_biaya``, ``roi_manfaat``, ``roi_konversi``): a Phillips ROI study of three
of last year's programmes (PRG-012 digital transformation, PRG-011 clinical communication and
patient safety, PRG-005 service communication), derived from their participation without any
random draw (so the other tables do not change): fully loaded costs per component, four benefit
measures converted to Rupiah (estimate × confidence, trend line, comparison group) and one intangible
measure without conversion; see :data:`~workbook.sample.roi.ROI_PROGRAMMES`.

Level 2 item scores (``evaluasi_l2_butir``): for three programmes — the largest with a real
gain, the largest without gain and the largest with a ceiling effect — 20 items of 0–5 points
each (skor_maks 100) that sum exactly to ``skor_pre``/``skor_post``, drawn from a logistic
item-response curve, so that Cronbach's alpha and the reliable change index can be shown.

Assumed standard-level ladder (not a regulation; DOMAIN.md §1.5 marks it ❓): JPT pratama 4,
administrator 3, pengawas 2–3, pelaksana 1–2 (2 for integrity, communication, public service,
managing change and national unity), fungsional by jenjang (ahli pertama 2, ahli muda 2–3, ahli
madya 3–4, terampil 1–2 like pelaksana, mahir 2, penyelia 2–3); see
:data:`~workbook.sample.structure.STANDARD_LADDER`.

The tables are built by the modules of this package: :mod:`~workbook.sample.structure`
(competencies, units, positions, profiles), :mod:`~workbook.sample.catalogue`,
:mod:`~workbook.sample.employees`, :mod:`~workbook.sample.survey`,
:mod:`~workbook.sample.participation`, :mod:`~workbook.sample.evaluation`,
:mod:`~workbook.sample.roi`; :mod:`~workbook.sample.write` writes them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

import workbook.sample.planning as pl
from workbook.core.exceptions import SettingsError
from workbook.core.schema import PERSON_TABLES, TABLES
from workbook.sample.arrays import from_codes, person_ids, str_series
from workbook.sample.catalogue import anggaran_table, katalog_table
from workbook.sample.employees import asesmen_table, evolve, new_population, pegawai_table
from workbook.sample.evaluation import evaluation_tables, indikator_table
from workbook.sample.participation import apply_training, participation, realisasi_table
from workbook.sample.planning import BUDGET_LINES, make_cpns_baru
from workbook.sample.roi import roi_tables
from workbook.sample.structure import (
    MIN_EMPLOYEES,
    NAMA_INSTANSI,
    PROFILES,
    UNITS,
    kamus_table,
    standar_table,
)
from workbook.sample.survey import survey_tables

__all__ = [
    "SAMPLE_PARAMETERS",
    "DEFAULT_OPTIONS",
    "UNIT_PRIORITY",
    "check_params",
    "check_options",
    "generate_agency",
    "planted_profiles",
]


#: Options of :func:`generate_agency` for a second agency (issue #17); these defaults give the committed sample.
DEFAULT_OPTIONS: dict[str, Any] = {"units": None, "budget_lines": None, "cpns_baru": 0, "keyed_by_nip": False,
                                   "seed": 0}
#: the units kept by ``units=N``: the first N of this order (central HR agency, RSUD and the tiny unit early)
UNIT_PRIORITY = ("SETDA", "BKPSDM", "DINKES", "DISDIK", "RSUD", "KESBANGPOL", "BAPPEDA", "DPUPR", "DINSOS",
                 "INSPEKTORAT", "DISDUKCAPIL", "SATPOLPP", "SETWAN")
MIN_UNITS = 5

#: Parameters of the committed sample ``data_samples/contoh/``.
SAMPLE_PARAMETERS: dict[str, int] = {"n_employees": 1200, "seed": 2027, "plan_year": 2027, "years": 1}


def _year_tables(rng: np.random.Generator, pop: dict[str, np.ndarray], plan_year: int, width: int,
                 options: dict[str, Any] | None = None) -> dict[str, Any]:
    opt = {**DEFAULT_OPTIONS, **(options or {})}
    rng17 = np.random.default_rng([int(opt["seed"]), 17, int(plan_year)])  # new inputs: own stream
    cpns_latsar = make_cpns_baru(rng17, pop, int(opt["cpns_baru"])) if opt["cpns_baru"] else None
    ids = person_ids(pop["id"], width)
    last = plan_year - 1
    out: dict[str, Any] = {}
    out["pegawai"] = pegawai_table(rng, pop, ids)
    out["kamus_kompetensi"] = kamus_table()
    out["standar_kompetensi"] = standar_table()
    out["hasil_asesmen"] = asesmen_table(rng, pop, ids, plan_year)
    part = participation(rng, pop, last)
    apply_training(rng, pop, part)
    out["survei_pegawai"], out["survei_atasan"] = survey_tables(rng, pop, ids, plan_year)
    out["katalog_program"] = katalog_table()
    out["anggaran"] = anggaran_table(len(ids))
    out["realisasi_pengembangan"] = realisasi_table(part, ids)
    out.update(evaluation_tables(rng, part, ids, last))
    out["indikator_unit"] = indikator_table(rng, part)
    out.update(roi_tables(part))  # no random draw: the other tables stay byte-identical
    _planning_inputs(rng17, out, pop, ids, plan_year, opt, cpns_latsar)
    out = {name: out[name] for name in TABLES if name in out}
    out["instansi"] = {"nama_instansi": NAMA_INSTANSI, "jenis_instansi": "kabupaten", "tahun_rencana": int(plan_year)}
    return out


def _planning_inputs(rng: np.random.Generator, out: dict[str, Any], pop: dict[str, np.ndarray], ids: Any,
                     plan_year: int, opt: dict[str, Any], cpns_latsar: np.ndarray | None) -> None:
    """Add the inputs of issue #17 (:mod:`workbook.sample.planning`) to ``out``, in place: new
    columns appended after the existing ones, new tables; with ``keyed_by_nip`` every person table
    is keyed by a synthetic NIP instead of ``pegawai_id`` (and ``pegawai`` gets ``nama``)."""
    peg = out["pegawai"]
    for col, values in pl.pegawai_extra(rng, pop, plan_year).items():
        peg[col] = values.to_numpy() if col in ("tanggal_lahir", "tmt_cpns", "tmt_jabatan") else values
    for col, values in pl.katalog_extra(out["katalog_program"]["program_id"].tolist()).items():
        out["katalog_program"][col] = values
    codes = sorted(set(peg["kode_unit"]), key=[u.code for u in UNITS].index)
    out["anggaran"] = pl.budget_lines(out["anggaran"], opt["budget_lines"], codes, pl.unit_headcount(pop))
    out["riwayat_pelatihan"] = pl.riwayat_table(rng, pop, ids, plan_year, cpns_latsar)
    out["kesetaraan_pelatihan"] = pl.kesetaraan_table()
    out["formasi_tahun_rencana"] = pl.formasi_table(plan_year, int(opt["cpns_baru"]) or 20, codes)
    out["jf_wajib"] = pl.jf_wajib_table()
    out["komponen_biaya"] = pl.komponen_biaya_table()
    if opt["units"] is not None:
        ind = out["indikator_unit"]
        out["indikator_unit"] = ind[ind["kode_unit"].isin(codes)].reset_index(drop=True)
    if not opt["keyed_by_nip"]:
        return
    nip = pl.make_nips(pop, peg["tanggal_lahir"], plan_year)
    by_id = dict(zip(peg["pegawai_id"], nip, strict=True))
    peg.insert(0, "nama", str_series([f"Nama Sintetis {k:05d}" for k in pop["id"]]))
    peg.insert(0, "nip", nip)
    out["pegawai"] = peg.drop(columns=["pegawai_id", "tanggal_lahir", "tmt_cpns"])  # derived from the NIP on load
    for name in PERSON_TABLES:
        df = out.get(name)
        if name == "pegawai" or df is None or "pegawai_id" not in df.columns:
            continue
        df = df.drop(columns=[c for c in ("atasan_id",) if c in df.columns])
        df.insert(0, "nip", df["pegawai_id"].map(by_id).astype("str"))
        out[name] = df.drop(columns=["pegawai_id"])


def check_params(n_employees: Any, seed: Any, plan_year: Any, years: Any) -> None:
    def bad(name: str, value: Any, exp_id: str, exp_en: str) -> SettingsError:
        return SettingsError(f"parameter {name} tidak sah: {value!r} (harus {exp_id})",
                             f"invalid parameter {name}: {value!r} (must be {exp_en})",
                             column=name, value=value, expected=exp_en)

    if isinstance(n_employees, bool) or not isinstance(n_employees, (int, np.integer)) or n_employees < MIN_EMPLOYEES:
        raise bad("n_employees", n_employees, f"bilangan bulat ≥ {MIN_EMPLOYEES}", f"an integer ≥ {MIN_EMPLOYEES}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise bad("seed", seed, "bilangan bulat ≥ 0", "an integer ≥ 0")
    if isinstance(plan_year, bool) or not isinstance(plan_year, (int, np.integer)) or not 2000 <= plan_year <= 2100:
        raise bad("plan_year", plan_year, "tahun 2000–2100", "a year 2000–2100")
    if years not in (1, 2) or isinstance(years, bool):
        raise bad("years", years, "1 atau 2", "1 or 2")


def check_options(units: Any = None, budget_lines: Any = None, cpns_baru: Any = 0, keyed_by_nip: Any = False,
                  years: Any = 1) -> dict[str, Any]:
    """The second-agency options, checked (bilingual :class:`SettingsError`) and normalised."""
    def bad(name: str, value: Any, exp_id: str, exp_en: str) -> SettingsError:
        return SettingsError(f"parameter {name} tidak sah: {value!r} (harus {exp_id})",
                             f"invalid parameter {name}: {value!r} (must be {exp_en})",
                             column=name, value=value, expected=exp_en)

    if units is not None and (isinstance(units, bool) or not isinstance(units, (int, np.integer))
                              or not MIN_UNITS <= units <= len(UNIT_PRIORITY)):
        raise bad("units", units, f"{MIN_UNITS}–{len(UNIT_PRIORITY)}", f"{MIN_UNITS}–{len(UNIT_PRIORITY)}")
    kinds = None
    if budget_lines is not None:
        items = budget_lines.split(",") if isinstance(budget_lines, str) else list(budget_lines)
        kinds = tuple(k for k in BUDGET_LINES if k in {str(i).strip().lower() for i in items})
        unknown = {str(i).strip().lower() for i in items} - set(BUDGET_LINES)
        if unknown or not kinds:
            raise bad("budget_lines", budget_lines, "gabungan dari " + ",".join(BUDGET_LINES),
                      "a combination of " + ",".join(BUDGET_LINES))
    if isinstance(cpns_baru, bool) or not isinstance(cpns_baru, (int, np.integer)) or not 0 <= cpns_baru <= 1000:
        raise bad("cpns_baru", cpns_baru, "bilangan bulat 0–1000", "an integer 0–1000")
    extra = units is not None or kinds is not None or cpns_baru or keyed_by_nip
    if extra and years != 1:
        raise bad("years", years, "1 bila units/budget_lines/cpns_baru/keyed_by_nip dipakai",
                  "1 when units/budget_lines/cpns_baru/keyed_by_nip are used")
    return {"units": None if units is None else int(units), "budget_lines": kinds, "cpns_baru": int(cpns_baru),
            "keyed_by_nip": bool(keyed_by_nip)}


def _keep_units(rng: np.random.Generator, n: int, units: int, ref_year: int) -> dict[str, np.ndarray]:
    """A population of exactly ``n`` employees in the first ``units`` units of :data:`UNIT_PRIORITY`:
    a larger agency is drawn and the other units' staff left out."""
    from workbook.sample.employees import _unit_sizes

    codes = [u.code for u in UNITS]
    kept = np.array([codes.index(c) for c in UNIT_PRIORITY[:units]])
    total = n
    while _unit_sizes(total)[kept].sum() < n:
        total += 1
    pop = new_population(rng, total, ref_year)
    mask = np.isin(pop["unit"], kept)
    pop = {k: v[mask] for k, v in pop.items()}
    pop["id"] = np.arange(1, int(mask.sum()) + 1, dtype=np.int64)
    return pop


def generate_agency(n_employees: int = 1200, *, seed: int = 0, plan_year: int = 2027,
                    years: int = 1, units: int | None = None, budget_lines: Any = None, cpns_baru: int = 0,
                    keyed_by_nip: bool = False) -> dict[Any, Any]:
    """Generate the input tables of a synthetic kabupaten.

    Parameters
    ----------
    n_employees : int, default=1200
        Number of employees in the (first) year; at least 100. Seven of them form the tiny unit
        ``KESBANGPOL``, whatever ``n_employees`` is.
    seed : int, default=0
        Seed of the :class:`numpy.random.Generator`; the same seed gives identical tables.
    plan_year : int, default=2027
        Plan year Y (``tahun_rencana``): survey and standards for Y, participation and
        evaluation describing Y−1.
    years : {1, 2}, default=1
        ``2`` gives two consecutive years (Y−1 and Y) of the same agency: about 5 % retire,
        about 5 % new CPNS join, ``pegawai_id`` stays the same for everyone else. Participation
        in the second year targets the largest gaps of the first year's survey, and those trained
        before the survey report higher levels.
    units : int, optional
        Number of units (OPD), 5–13: the first ``units`` of :data:`UNIT_PRIORITY` (default: all 13).
    budget_lines : str or sequence, optional
        A combination of ``central``, ``opd`` and ``blud`` (e.g. ``"central,opd,blud"``): the
        ``anggaran`` lines of :func:`workbook.sample.planning.budget_lines` (default: the two lines
        of the committed sample).
    cpns_baru : int, default=0
        CPNS without Latsar in the plan year (and a CPNS intake of that size in
        ``formasi_tahun_rencana``; default intake 20).
    keyed_by_nip : bool, default=False
        ``pegawai`` has ``nip`` and ``nama`` and no ``pegawai_id``; every other person table is
        keyed by ``nip``.

    Returns
    -------
    dict
        For ``years=1``: table name → :class:`pandas.DataFrame` for every table of
        :data:`workbook.core.schema.TABLES` (canonical Indonesian column names), plus ``"instansi"``:
        the dict written to ``instansi.yaml``. For ``years=2``: ``{Y-1: {...}, Y: {...}}``.

    Raises
    ------
    SettingsError
        If a parameter is out of range.

    Notes
    -----
    The planted need profiles, the standard-level ladder and the other planted features are
    described in the module docstring; the data are entirely synthetic (no real names or NIP).

    Examples
    --------
    >>> tables = generate_agency(200, seed=1)
    >>> sorted(tables)[:3]
    ['anggaran', 'evaluasi_l1', 'evaluasi_l2']
    >>> tables["instansi"]["tahun_rencana"]
    2027
    """
    options = check_options(units, budget_lines, cpns_baru, keyed_by_nip, years)
    return _generate(n_employees, seed, plan_year, years, options)[0]


def _generate(n_employees: Any, seed: Any, plan_year: Any, years: Any,
              options: dict[str, Any] | None = None) -> tuple[dict[Any, Any], dict[int, pd.DataFrame]]:
    """The tables (as :func:`generate_agency` returns them) and the planted profile per year."""
    check_params(n_employees, seed, plan_year, years)
    options = {**DEFAULT_OPTIONS, **(options or {}), "seed": int(seed)}
    rng = np.random.default_rng(int(seed))
    n = int(n_employees)
    width = max(6, len(str(int(round(n * 1.06)) + 1)))
    first_year = plan_year - years + 1
    if options["units"] is None:
        pop = new_population(rng, n, first_year - 1)
    else:
        pop = _keep_units(rng, n, options["units"], first_year - 1)
    result: dict[int, dict[str, Any]] = {}
    truth: dict[int, pd.DataFrame] = {}
    names = list(PROFILES)
    for y in range(first_year, plan_year + 1):
        if y > first_year:
            pop = evolve(rng, pop, y - 1)
        result[y] = _year_tables(rng, pop, y, width, options)
        truth[y] = pd.DataFrame({"pegawai_id": from_codes(np.arange(len(pop["id"])), person_ids(pop["id"], width)),
                                 "profil": from_codes(pop["profile"], names)})
    return (result[plan_year] if years == 1 else result), truth


def planted_profiles(n_employees: int = 1200, *, seed: int = 0, plan_year: int = 2027,
                     years: int = 1) -> pd.DataFrame | dict[int, pd.DataFrame]:
    """The planted need profile of every employee of :func:`generate_agency` with the same arguments.

    The ground truth for checking that the profile analysis recovers the planted structure. It is
    deliberately *not* part of the generated tables (real data have no such column) and is never
    written by :func:`~workbook.sample.write.write_agency`.

    Parameters
    ----------
    n_employees, seed, plan_year, years
        As in :func:`generate_agency`.

    Returns
    -------
    DataFrame or dict
        ``pegawai_id`` and ``profil`` (one of :data:`~workbook.sample.structure.PROFILES`: ``digital``, ``manajerial``,
        ``pelayanan``, ``tanpa_kesenjangan``) for every employee of the plan year; for
        ``years=2`` a dict year → DataFrame.

    Raises
    ------
    SettingsError
        If a parameter is out of range.

    Examples
    --------
    >>> truth = planted_profiles(200, seed=1)
    >>> sorted(truth["profil"].unique())[:2]
    ['digital', 'manajerial']
    """
    truth = _generate(n_employees, seed, plan_year, years)[1]
    return truth[int(plan_year)] if years == 1 else truth
