"""Open text and interviews grouped into themes, with counts and short anonymised quotes.

Three sources of free text feed the evaluation chapter:

* ``evaluasi_l1.komentar`` — free comments on the Level 1 (reaction) questionnaire;
* ``survei_pegawai.kebutuhan_lain`` — the open question of the TNA survey ("other competencies
  needed");
* ``wawancara`` — interview records already *coded* by the interviewer (``tema``) with a short
  summary (``ringkasan``).

Method (documented in ``docs/methods/themes_impact.md``)
--------------------------------------------------------
1. **Normalise and tokenise**: lower case, letters only (``[a-z]+`` after removing digits and
   punctuation); texts that say nothing ("tidak ada", "-", "nihil" …, :data:`NON_ANSWERS`) are
   marked ``tanpa_isi`` and left out of the counts.
2. **Stem** every token with the Indonesian stemmer of PySastrawi (Nazief–Adriani with the
   confix-stripping extensions of Asian et al. 2007 / Arifin et al. 2009); the package ships its
   root-word dictionary, so nothing is downloaded at run time ("pelatihannya" → "latih",
   "menguasai" → "kuasa").
3. **Keyword-seeded theme dictionary** (transparent, the default): each theme of the ASN training
   domain has a short list of keywords, stemmed the same way (:data:`THEMES_EVALUASI` for L1
   comments and interview summaries, :data:`THEMES_KEBUTUHAN` for the TNA open question). A text
   gets the theme with the most distinct matched keyword stems; ties go to the theme with more
   keywords written verbatim in the text ("pemateri" and "materi" share the stem "materi"), then to
   the theme listed first.
   One theme per text, so the counts of a group add up to its number of texts.
4. **Unmatched texts** are clustered: TF-IDF (scikit-learn, on stems with the Sastrawi stop words
   plus :data:`DOMAIN_STOP_WORDS` removed) and non-negative matrix factorisation (NMF, ``nndsvda``
   start, fixed ``random_state``) into at most ``n_clusters`` themes named after their three
   heaviest terms (``lainnya_<k>`` with ``kata_klaster``, read "Lainnya: …"). Clusters are
   ordered by size, then label, so reports do not reshuffle between runs.
5. **Coded interviews** keep the interviewer's code: the theme is ``tema`` (the coding is the
   analysis; it is not redone).
6. **Tone** (``nada``): a small lexicon marks a text ``negatif`` (kurang, terlalu, belum, putus …),
   else ``saran`` (perlu, sebaiknya, tambah …), else ``positif`` (bermanfaat, membantu, menguasai …),
   else ``netral``. It is a reading aid, not a sentiment model.

The results carry theme codes (``tema``), never labels: a code's label, in Indonesian or English,
is :func:`workbook.evaluation.words.theme_label` (the agency's dictionary, then the built-in ones,
:data:`~workbook.evaluation.lexicon.CODED_THEME_LABELS` for interview codes).

The word lists (:data:`~workbook.evaluation.lexicon.THEMES_EVALUASI`, ``THEMES_KEBUTUHAN``,
``NON_ANSWERS``, ``DOMAIN_STOP_WORDS``, the tone lexicon) and the tokeniser and stemmer live in
:mod:`workbook.evaluation.lexicon`; an agency's own dictionary file is read by
:func:`workbook.evaluation.theme_file.load_theme_dictionary` and passed in as ``dictionary``.

Why a dictionary and not topic modelling alone: L1 comments are three to eight words long; on such
texts NMF/LDA topics are unstable and hard to name (Yan et al. 2013, "A biterm topic model for
short texts", WWW '13), whereas a domain dictionary gives the same named theme every year and can be
reviewed by the agency. Topic modelling is kept for the rest, where the dictionary has no word.

Privacy
-------
Counts per group are suppressed when the group has fewer than ``suppression.k_text`` texts
(primary), and a further group is hidden where one hidden group could be recovered from a
published total (complementary; :func:`workbook.core.suppression.suppress_table`). Quotes are never
taken from a hidden group, only from themes with at least ``k_text`` texts in the group, are cut to
a short length. Their text was de-identified at ingest (names, NIP, NIK, telephone numbers,
e-mail addresses: :mod:`workbook.ingest.deidentify`); :func:`anonymise_quote` then replaces the
data's person ids.

References
----------
Asian, J., Williams, H. E., Tahaghoghi, S. M. M. (2007). Stemming Indonesian. *ACM TALIP* 6(4).
Braun, V., Clarke, V. (2006). Using thematic analysis in psychology. *Qual. Res. Psychol.* 3:77–101.
Lee, D. D., Seung, H. S. (1999). Learning the parts of objects by non-negative matrix
factorization. *Nature* 401:788–791.
Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, §5.2.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import require_columns as _require
from workbook.core.exceptions import DataError
from workbook.core.settings import Settings, load_settings
from workbook.core.suppression import k_for, suppress_table
from workbook.evaluation.lexicon import (
    NON_ANSWERS,
    THEMES_EVALUASI,
    THEMES_KEBUTUHAN,
    Theme,
    stem,
    stems,
)
from workbook.evaluation.lexicon import WORD_RE as _WORD_RE
from workbook.evaluation.lexicon import normalise as _normalise
from workbook.evaluation.lexicon import tone as _tone

__all__ = [
    "anonymise_quote",
    "collect_texts",
    "assign_themes",
    "themes_by_group",
    "quotes",
]


# --------------------------------------------------------------------------------------------
# anonymisation
# --------------------------------------------------------------------------------------------

_DEFAULT_ID_RE = r"\b[Pp]\d{4,}\b"
#: the word a person id is replaced by in a quote (named in the report's note on quotes)
ID_PLACEHOLDER = "[ID]"


def anonymise_quote(
    text: Any,
    known_ids: Iterable[str] = (),
    *,
    id_pattern: str | None = _DEFAULT_ID_RE,
) -> str:
    """The thin second layer before a text is quoted: the data's person ids.

    Names (of the employee table and after an honorific), NIP / NI PPPK, NIK, telephone numbers,
    e-mail addresses and other long digit runs were already replaced when the agency was loaded:
    the free-text columns of the clean tables are de-identified at ingest
    (:mod:`workbook.ingest.deidentify`, ``docs/privacy.md``), so they never reach this stage.
    What is left to replace here is what only the loaded data knows: its person ids.

    Parameters
    ----------
    text : str
        The text (anything else is turned into a string; missing gives ``""``).
    known_ids : iterable of str
        Identifiers to remove wherever they occur (``pegawai_id``, responden ids …).
    id_pattern : str or None, default ``r"\\b[Pp]\\d{4,}\\b"``
        A regular expression for further ids (the sample's ``P000123``); ``None`` turns it off.

    Returns
    -------
    str
        The text with ``[ID]`` in place of each id.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    s = str(text)
    ids = sorted({str(i).strip() for i in known_ids if str(i).strip()}, key=len, reverse=True)
    for i in ids:
        s = re.sub(rf"(?<![\w]){re.escape(i)}(?![\w])", ID_PLACEHOLDER, s, flags=re.IGNORECASE)
    if id_pattern:
        s = re.sub(id_pattern, ID_PLACEHOLDER, s)
    return s


# --------------------------------------------------------------------------------------------
# collecting the texts of an agency
# --------------------------------------------------------------------------------------------


def collect_texts(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The free texts of one agency in one long table.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Loaded tables by name (``Agency.tables``); used when present: ``evaluasi_l1`` (``komentar``),
        ``survei_pegawai`` (``kebutuhan_lain``; ``kode_unit`` from ``pegawai``), ``wawancara``
        (``ringkasan`` with its coded ``tema``).

    Returns
    -------
    DataFrame
        One row per non-blank text: ``sumber`` (source table), ``program_id``, ``kode_unit``,
        ``peran`` (interviews), ``tema_kode`` (the interviewer's code, else empty) and ``teks``.
        No person identifier is kept.
    """
    cols = ["sumber", "program_id", "kode_unit", "peran", "tema_kode", "teks"]
    parts: list[pd.DataFrame] = []
    if "evaluasi_l1" in tables and "komentar" in tables["evaluasi_l1"].columns:
        l1 = _require(tables["evaluasi_l1"], ["program_id", "komentar"], "evaluasi_l1")
        parts.append(
            pd.DataFrame(
                {
                    "sumber": "evaluasi_l1",
                    "program_id": l1["program_id"],
                    "kode_unit": pd.NA,
                    "peran": "peserta",
                    "tema_kode": "",
                    "teks": l1["komentar"],
                }
            )
        )
    if "survei_pegawai" in tables and "kebutuhan_lain" in tables["survei_pegawai"].columns:
        sv = _require(tables["survei_pegawai"], ["pegawai_id", "kebutuhan_lain"], "survei_pegawai")
        unit = pd.Series(pd.NA, index=sv.index, dtype="object")
        if "pegawai" in tables and {"pegawai_id", "kode_unit"} <= set(tables["pegawai"].columns):
            m = tables["pegawai"].drop_duplicates("pegawai_id").set_index("pegawai_id")["kode_unit"]
            unit = sv["pegawai_id"].map(m)
        parts.append(
            pd.DataFrame(
                {
                    "sumber": "survei_pegawai",
                    "program_id": pd.NA,
                    "kode_unit": unit,
                    "peran": "peserta",
                    "tema_kode": "",
                    "teks": sv["kebutuhan_lain"],
                }
            )
        )
    if "wawancara" in tables:
        w = _require(tables["wawancara"], ["program_id", "peran", "tema"], "wawancara")
        teks = w["ringkasan"] if "ringkasan" in w.columns else w["tema"]
        parts.append(
            pd.DataFrame(
                {
                    "sumber": "wawancara",
                    "program_id": w["program_id"],
                    "kode_unit": pd.NA,
                    "peran": w["peran"],
                    "tema_kode": w["tema"].fillna("").astype(str),
                    "teks": teks.where(teks.notna(), w["tema"]),
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    out = pd.concat(parts, ignore_index=True)[cols]
    blank = out["teks"].isna() | (out["teks"].astype(str).str.strip() == "")
    out = out[~blank].reset_index(drop=True)
    out["teks"] = out["teks"].astype(str).str.strip()
    for c in ("sumber", "peran", "tema_kode"):
        out[c] = out[c].fillna("").astype(str)
    return out


# --------------------------------------------------------------------------------------------
# theme assignment
# --------------------------------------------------------------------------------------------


def _dictionary(name: str | Sequence[Theme]) -> tuple[Theme, ...]:
    if isinstance(name, str):
        if name == "evaluasi":
            return THEMES_EVALUASI
        if name == "kebutuhan":
            return THEMES_KEBUTUHAN
        raise DataError(
            f"Kamus tema '{name}' tidak dikenal (evaluasi, kebutuhan).",
            f"Unknown theme dictionary '{name}' (evaluasi, kebutuhan).",
        )
    themes = tuple(name)
    if not themes or not all(isinstance(t, Theme) for t in themes):
        raise DataError(
            "Kamus tema harus berupa daftar Theme.", "A theme dictionary must be a list of Theme."
        )
    return themes


def _match(
    st: Sequence[str], themes: Sequence[Theme], tokens: Sequence[str] | None = None
) -> tuple[int, int]:
    """Index of the best theme (−1 if none) and its number of distinct matched keyword stems.

    Two keywords of different themes can share a stem ("pemateri" and "materi" both stem to
    "materi"); such ties are broken by the number of keywords found verbatim among the ``tokens``,
    then by the theme's order.
    """
    present = set(st)
    raw = set(tokens) if tokens is not None else set()
    best, best_key = -1, (0, 0)
    for i, th in enumerate(themes):
        kw = {stem(w) for w in th.keywords} | set(th.keywords)
        score = len(present & kw)
        exact = len(raw & set(th.keywords))
        if (score, exact) > best_key:
            best, best_key = i, (score, exact)
    return best, best_key[0]


def _cluster(
    docs: list[str], n_clusters: int, random_state: int
) -> tuple[np.ndarray, list[list[str]]]:
    """NMF on TF-IDF of space-joined stems; returns labels (−1 = no term) and top terms per cluster."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    nonempty = [d for d in docs if d]
    if len(set(nonempty)) < 2:
        top = [sorted(set(" ".join(nonempty).split()))[:3]] if nonempty else []
        return np.array([0 if d else -1 for d in docs]), top
    vec = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
    x = vec.fit_transform([d if d else "" for d in docs])
    k = int(max(1, min(n_clusters, len(set(nonempty)) - 1, x.shape[1])))
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=500)
    w = model.fit_transform(x)
    terms = np.asarray(vec.get_feature_names_out())
    labels = np.where(w.max(axis=1) > 0, w.argmax(axis=1), -1)
    top = [list(terms[np.argsort(-comp, kind="stable")[:3]]) for comp in model.components_]
    return labels, top


def assign_themes(
    texts: pd.DataFrame,
    *,
    dictionary: str | Sequence[Theme] | None = None,
    n_clusters: int = 3,
    random_state: int = 0,
) -> pd.DataFrame:
    """Give every text one theme.

    Parameters
    ----------
    texts : DataFrame
        With a ``teks`` column; optional ``sumber`` (chooses the dictionary when ``dictionary`` is
        None: ``survei_pegawai`` → :data:`THEMES_KEBUTUHAN`, anything else →
        :data:`THEMES_EVALUASI`) and ``tema_kode`` (an interviewer's code, kept as the theme).
    dictionary : {"evaluasi", "kebutuhan"} or sequence of Theme, optional
        One dictionary for all rows (an agency's CSV is read first with
        :func:`workbook.evaluation.theme_file.load_theme_dictionary`).
    n_clusters : int, default=3
        Most clusters for the texts no keyword matched (per dictionary).
    random_state : int, default=0
        Seed of the NMF start (``nndsvda`` is deterministic; the seed fixes any tie-breaking).

    Returns
    -------
    DataFrame
        ``texts`` with ``stems`` (space-joined), ``tema`` (code; its label is
        :func:`workbook.evaluation.words.theme_label`), ``kata_klaster`` (the top terms of a
        cluster theme ``lainnya_<k>``, ", "-joined; empty otherwise), ``cara`` (``kamus``
        dictionary / ``klaster`` cluster / ``kode`` interviewer's code / ``tanpa_isi`` no
        content), ``skor`` (matched keywords) and ``nada`` (tone).
    """
    _require(texts, ["teks"], "teks")
    if n_clusters < 1:
        raise DataError("n_clusters harus ≥ 1.", "n_clusters must be ≥ 1.", value=n_clusters)
    out = texts.copy().reset_index(drop=True)
    src = out["sumber"].astype(str) if "sumber" in out.columns else pd.Series("", index=out.index)
    coded = (
        out["tema_kode"].fillna("").astype(str).str.strip()
        if "tema_kode" in out.columns
        else pd.Series("", index=out.index)
    )
    norm = out["teks"].map(_normalise)
    toks = norm.map(lambda s: _WORD_RE.findall(s))
    all_stems = toks.map(lambda ts: [stem(w) for w in ts])
    out["stems"] = all_stems.map(" ".join)
    out["nada"] = toks.map(_tone)
    tema = np.array([""] * len(out), dtype=object)
    terms = np.array([""] * len(out), dtype=object)
    cara = np.array([""] * len(out), dtype=object)
    skor = np.zeros(len(out), dtype=int)

    empty = norm.isin(NON_ANSWERS).to_numpy() | (toks.map(len) == 0).to_numpy()
    tema[empty], cara[empty] = "tanpa_isi", "tanpa_isi"
    out.loc[empty, "nada"] = "netral"
    is_coded = (coded != "").to_numpy() & ~empty
    for i in np.flatnonzero(is_coded):
        tema[i], cara[i] = coded.iloc[i], "kode"

    if dictionary is not None:
        families = {"_": (_dictionary(dictionary), np.ones(len(out), dtype=bool))}
    else:
        kb = (src == "survei_pegawai").to_numpy()
        families = {"kebutuhan": (THEMES_KEBUTUHAN, kb), "evaluasi": (THEMES_EVALUASI, ~kb)}
    for fam, (themes, rows) in families.items():
        todo = np.flatnonzero(rows & ~empty & ~is_coded)
        unmatched = []
        for i in todo:
            j, sc = _match(all_stems.iloc[i], themes, toks.iloc[i])
            if j >= 0:
                tema[i], cara[i], skor[i] = themes[j].code, "kamus", sc
            else:
                unmatched.append(i)
        if not unmatched:
            continue
        docs = [" ".join(stems(out["teks"].iloc[i], drop_stop_words=True)) for i in unmatched]
        labels, top = _cluster(docs, n_clusters, random_state)
        # canonical order: by size (desc), then by label text
        sizes = {c: int((labels == c).sum()) for c in set(labels.tolist()) if c >= 0}
        order = sorted(sizes, key=lambda c: (-sizes[c], ", ".join(top[c])))
        rank = {c: r + 1 for r, c in enumerate(order)}
        suffix = "" if fam in ("_", "evaluasi") else f"_{fam}"
        for i, c in zip(unmatched, labels, strict=True):
            if c < 0:
                tema[i] = f"lainnya{suffix}"
            else:
                tema[i], terms[i] = f"lainnya{suffix}_{rank[c]}", ", ".join(top[c])
            cara[i] = "klaster"
    out["tema"], out["kata_klaster"], out["cara"], out["skor"] = tema, terms, cara, skor
    for c in ("tema", "kata_klaster", "cara", "nada", "stems"):
        out[c] = out[c].astype(str)
    return out


def _assigned(texts: pd.DataFrame, **kw: Any) -> pd.DataFrame:
    return (
        texts
        if {"tema", "kata_klaster", "cara"} <= set(texts.columns)
        else assign_themes(texts, **kw)
    )


def _group_key(df: pd.DataFrame, group_cols: Sequence[str]) -> pd.Series:
    if not group_cols:
        return pd.Series("", index=df.index)
    return df[list(group_cols)].astype(str).agg("\x1f".join, axis=1)


def _shown_groups(
    a: pd.DataFrame,
    group_cols: Sequence[str],
    k: int,
    s: Settings,
    parent_cols: Sequence[str] | None,
) -> pd.DataFrame:
    """Group-level table with ``n_group`` and the suppression decision."""
    if group_cols:
        g = (
            a.groupby(list(group_cols), dropna=False, sort=True)
            .size()
            .rename("n_group")
            .reset_index()
        )
    else:
        g = pd.DataFrame({"n_group": [len(a)]})
    sup = suppress_table(
        g, n_col="n_group", value_cols=[], parent_cols=parent_cols, k=k, settings=s
    )
    g["suppressed"] = sup["suppressed"].to_numpy()
    g["suppression_reason"] = sup["suppression_reason"].to_numpy()
    return g


def themes_by_group(
    texts_df: pd.DataFrame,
    group_cols: Sequence[str] = (),
    *,
    settings: Settings | None = None,
    parent_cols: Sequence[str] | None = (),
    **assign_kw: Any,
) -> pd.DataFrame:
    """Counts of texts per theme × group, with small groups suppressed.

    Parameters
    ----------
    texts_df : DataFrame
        Output of :func:`collect_texts` (or any frame with ``teks``), or of :func:`assign_themes`.
    group_cols : sequence of str
        Grouping columns, e.g. ``["sumber", "program_id"]`` or ``["sumber", "kode_unit"]``; ``()``
        gives one group.
    settings : Settings, optional
        ``suppression.k_text`` is the minimum number of texts in a shown group.
    parent_cols : sequence of str or None, default=()
        Passed to :func:`workbook.core.suppression.suppress_table` for the complementary rule (``()``:
        all groups are siblings under one published total; ``None``: no complementary rule).
    **assign_kw
        Passed to :func:`assign_themes` when the texts are not yet assigned.

    Returns
    -------
    DataFrame
        One row per group × theme present (texts ``tanpa_isi`` left out): the group columns,
        ``tema``, ``kata_klaster``, ``n`` (texts with the theme), ``n_group`` (texts in
        the group), ``share`` (n / n_group), ``n_negatif`` (texts with a negative tone),
        ``suppressed`` and ``suppression_reason``. In a suppressed group ``n``, ``n_group``,
        ``share`` and ``n_negatif`` are NaN. Sorted by group, then ``n`` descending, then ``tema``.
    """
    s = settings or load_settings()
    k = k_for("text", s)
    group_cols = list(group_cols)
    a = _assigned(texts_df, **assign_kw)
    _require(a, group_cols, "teks")
    a = a[a["cara"] != "tanpa_isi"].copy()
    for c in group_cols:
        a[c] = a[c].astype("object").where(a[c].notna(), "(tidak diketahui)").astype(str)
    cols = [
        *group_cols,
        "tema",
        "kata_klaster",
        "n",
        "n_group",
        "share",
        "n_negatif",
        "suppressed",
        "suppression_reason",
    ]
    if a.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    g = _shown_groups(a, group_cols, k, s, parent_cols)
    a["_neg"] = (a["nada"] == "negatif").astype(int)
    c = (
        a.groupby([*group_cols, "tema", "kata_klaster"], dropna=False, sort=True)
        .agg(n=("teks", "size"), n_negatif=("_neg", "sum"))
        .reset_index()
    )
    c = c.merge(g, on=group_cols, how="left") if group_cols else c.assign(**g.iloc[0].to_dict())
    c["n"] = c["n"].astype(float)
    c["n_negatif"] = c["n_negatif"].astype(float)
    c["n_group"] = c["n_group"].astype(float)
    c["share"] = c["n"] / c["n_group"]
    hide = c["suppressed"].astype(bool).to_numpy()
    c.loc[hide, ["n", "n_group", "share", "n_negatif"]] = np.nan
    c["suppressed"] = hide
    c["_sort"] = -c["n"].fillna(-1)
    c = c.sort_values([*group_cols, "_sort", "tema"], kind="stable").drop(columns="_sort")
    return c[cols].reset_index(drop=True)


def quotes(
    texts_df: pd.DataFrame,
    group_cols: Sequence[str] = (),
    *,
    n: int = 3,
    max_chars: int = 120,
    min_theme_n: int | None = None,
    known_ids: Iterable[str] = (),
    settings: Settings | None = None,
    parent_cols: Sequence[str] | None = (),
    **assign_kw: Any,
) -> pd.DataFrame:
    """At most ``n`` short anonymised quotes per theme (and group), never from a suppressed group.

    Parameters
    ----------
    texts_df : DataFrame
        As for :func:`themes_by_group`.
    group_cols : sequence of str
        Groups whose size decides whether quotes may be shown (same rules as
        :func:`themes_by_group`, including the complementary rule).
    n : int, default=3
        Most quotes per group × theme.
    max_chars : int, default=120
        Quotes are cut at a word boundary to at most this many characters (plus "…").
    min_theme_n : int, optional
        A theme is quoted only when at least this many texts in the group carry it (default:
        ``suppression.k_text``), so that a remark only one or two people made is not quoted.
    known_ids : iterable of str
        Passed to :func:`anonymise_quote` (the texts themselves come de-identified from ingest).

    Returns
    -------
    DataFrame
        The group columns, ``tema``, ``kata_klaster``, ``rank`` (1 = first shown),
        ``kutipan`` (the anonymised quote), ``n_same`` (texts with the same anonymised wording) and
        ``nada``. Distinct wordings are ranked by how many texts share them, then by closeness to
        the theme's TF-IDF centroid, then alphabetically — deterministic.
    """
    s = settings or load_settings()
    if n < 1 or max_chars < 10:
        raise DataError(
            "n ≥ 1 dan max_chars ≥ 10 diperlukan.", "n ≥ 1 and max_chars ≥ 10 are required."
        )
    k = k_for("text", s)
    m = int(k if min_theme_n is None else min_theme_n)
    group_cols = list(group_cols)
    cols = [*group_cols, "tema", "kata_klaster", "rank", "kutipan", "n_same", "nada"]
    a = _assigned(texts_df, **assign_kw)
    a = a[a["cara"] != "tanpa_isi"].copy()
    if a.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    for c in group_cols:
        a[c] = a[c].astype("object").where(a[c].notna(), "(tidak diketahui)").astype(str)
    g = _shown_groups(a, group_cols, k, s, parent_cols)
    if group_cols:
        shown = g.loc[~g["suppressed"], group_cols]
        a = a.merge(shown, on=group_cols, how="inner")
    elif bool(g["suppressed"].iloc[0]):
        a = a.iloc[0:0]
    ids = list(known_ids)
    a["kutipan"] = a["teks"].map(lambda t: _shorten(anonymise_quote(t, ids), max_chars))
    rows: list[dict[str, Any]] = []
    for key, grp in a.groupby([*group_cols, "tema"], sort=True, dropna=False):
        if len(grp) < m:
            continue
        key = key if isinstance(key, tuple) else (key,)
        centr = _centrality(grp)
        d = (
            grp.assign(_c=centr)
            .groupby("kutipan", sort=False)
            .agg(
                n_same=("kutipan", "size"),
                _c=("_c", "max"),
                nada=("nada", "first"),
                kata_klaster=("kata_klaster", "first"),
            )
            .reset_index()
        )
        d = d.sort_values(
            ["n_same", "_c", "kutipan"], ascending=[False, False, True], kind="stable"
        ).head(n)
        for r, row in enumerate(d.itertuples(index=False), start=1):
            rec = dict(zip([*group_cols, "tema"], key, strict=True))
            rec.update(
                kata_klaster=row.kata_klaster,
                rank=r,
                kutipan=row.kutipan,
                n_same=int(row.n_same),
                nada=row.nada,
            )
            rows.append(rec)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    return pd.DataFrame(rows)[cols]


def _shorten(text: str, max_chars: int) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    if len(t) <= max_chars:
        return t
    cut = t[:max_chars].rsplit(" ", 1)[0].rstrip(",.;:")
    return cut + "…"


def _centrality(grp: pd.DataFrame) -> np.ndarray:
    """Cosine similarity of each text's TF-IDF vector to the group's centroid (0 when undefined)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = (
        grp["stems"].astype(str).tolist()
        if "stems" in grp.columns
        else grp["teks"].astype(str).tolist()
    )
    if not any(d.strip() for d in docs):
        return np.zeros(len(docs))
    x = TfidfVectorizer(analyzer=str.split).fit_transform(docs)
    c = np.asarray(x.mean(axis=0)).ravel()
    norm = np.linalg.norm(c)
    if norm == 0:
        return np.zeros(len(docs))
    return np.asarray(x @ (c / norm)).ravel()
