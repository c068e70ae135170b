"""Tests of workbook.evaluation.themes (open text → themes, counts, anonymised quotes).

Oracles: known Indonesian stems (Sastrawi's dictionary-based stemmer on words whose root is not in
doubt), hand-built texts whose theme is written in the comment, and invariants (determinism,
counts adding up, nothing shown for groups under k).
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.core.exceptions import DataError
from workbook.core.settings import load_settings
from workbook.evaluation import lexicon as lx
from workbook.evaluation import themes as th
from workbook.evaluation import words
from workbook.evaluation.theme_file import load_theme_dictionary


@pytest.mark.parametrize(
    ("word", "root"),
    [
        ("pelatihannya", "latih"),
        ("menguasai", "kuasa"),
        ("penerapan", "terap"),
        ("menerapkan", "terap"),
        ("pekerjaan", "kerja"),
        ("bermanfaat", "manfaat"),
        ("ruangan", "ruang"),
        ("pelayanan", "layan"),
    ],
)
def test_indonesian_stemming(word, root):
    assert lx.stem(word) == root


def test_stop_words_include_sastrawi_and_domain_lists():
    sw = lx.stop_words()
    assert {"yang", "dan", "dengan"} <= sw  # Sastrawi's list
    assert "latih" in sw and "peserta" in sw  # domain list
    assert lx.stems("Pelatihannya sangat bermanfaat untuk pekerjaan", drop_stop_words=True) == [
        "manfaat"
    ]


def _texts() -> pd.DataFrame:
    # program P1: 6 comments; P2: 5; P3: 2 (small group)
    rows = [
        ("P1", "Widyaiswara menguasai materi dengan baik"),  # fasilitator (widyaiswara, kuasa)
        ("P1", "Narasumber menjelaskan dengan sangat jelas"),  # fasilitator
        ("P1", "Ruangan kurang nyaman dan panas"),  # fasilitas (ruang, nyaman), negative
        ("P1", "Jadwal berbenturan dengan pekerjaan kantor"),  # waktu (jadwal, bentur)
        ("P1", "Waktu terlalu singkat"),  # waktu
        ("P1", "Tidak ada"),  # no content
        ("P2", "Jaringan internet sering terputus"),  # media_daring
        ("P2", "Widyaiswara menguasai materi"),  # fasilitator
        ("P2", "Widyaiswara menguasai materi"),
        ("P2", "Materi sangat aplikatif"),  # materi
        ("P2", "Pemateri hebat, hubungi Pak Budi Santoso 0812-3456-7890"),  # fasilitator
        ("P3", "Konsumsi kurang"),  # fasilitas
        ("P3", "Widyaiswara menguasai materi"),
    ]
    return pd.DataFrame(
        {"sumber": "evaluasi_l1", "program_id": [r[0] for r in rows], "teks": [r[1] for r in rows]}
    )


def test_dictionary_assignment_and_tone():
    a = th.assign_themes(_texts()).set_index("teks")
    assert a.loc["Jadwal berbenturan dengan pekerjaan kantor", "tema"] == "waktu"
    assert a.loc["Ruangan kurang nyaman dan panas", "tema"] == "fasilitas"
    assert a.loc["Ruangan kurang nyaman dan panas", "nada"] == "negatif"
    assert a.loc["Jaringan internet sering terputus", "tema"] == "media_daring"
    assert a.loc["Materi sangat aplikatif", "tema"] == "materi"
    assert a.loc["Materi sangat aplikatif", "nada"] == "positif"
    assert a.loc["Tidak ada", "cara"] == "tanpa_isi"
    assert (a["cara"].isin(["kamus", "tanpa_isi"])).all()


def test_unmatched_texts_are_clustered_deterministically():
    odd = [
        "Sertifikat belum dikirim",
        "Sertifikat belum diterima",
        "Sertifikat hilang",
        "Parkir sulit dicari",
        "Parkir penuh sekali",
        "Parkir jauh dari lokasi",
    ]
    df = pd.DataFrame({"teks": odd * 2})
    a1 = th.assign_themes(df, dictionary="evaluasi", n_clusters=2, random_state=0)
    a2 = th.assign_themes(
        df.sample(frac=1, random_state=3).sort_index(),
        dictionary="evaluasi",
        n_clusters=2,
        random_state=0,
    )
    assert (a1["cara"] == "klaster").all()
    pd.testing.assert_frame_equal(a1, a2)
    # the two clusters separate the two subjects (invariant, not label numbers)
    by = a1.groupby(a1["teks"].str.split().str[0])["tema"].nunique()
    assert (by == 1).all() and a1["tema"].nunique() == 2
    labels = " ".join(a1["kata_klaster"].unique())
    assert "sertifikat" in labels and "parkir" in labels
    assert a1["tema"].str.fullmatch(r"lainnya_\d").all()
    assert set(words.words(a1, "tema", "id").str[:9]) == {"Lainnya: "}
    assert set(words.words(a1, "tema", "en").str[:7]) == {"Other: "}


def test_coded_interviews_keep_their_code():
    w = pd.DataFrame(
        {
            "program_id": ["P1"],
            "peran": ["atasan"],
            "tema": ["dukungan_atasan"],
            "ringkasan": ["Atasan memberi kesempatan menerapkan materi"],
        }
    )
    tx = th.collect_texts({"wawancara": w})
    a = th.assign_themes(tx)
    assert a["tema"].iloc[0] == "dukungan_atasan" and a["cara"].iloc[0] == "kode"
    assert words.theme_label(a["tema"].iloc[0], "en") == "Supervisor support"


def test_anonymise_quote_replaces_the_data_ids_only():
    # names and identity numbers are gone before this stage (tests/ingest/test_deidentify.py);
    # the quote layer replaces the data's person ids
    assert th.anonymise_quote("Responden R-77 puas", known_ids=["R-77"]) == "Responden [ID] puas"
    assert th.anonymise_quote("kode P000123 dan r-77", ["R-77"]) == "kode [ID] dan [ID]"
    assert th.anonymise_quote("kode P000123", id_pattern=None) == "kode P000123"
    assert th.anonymise_quote(None) == "" and th.anonymise_quote(float("nan")) == ""
    # no duplicated de-identification: a text that reached this stage is kept as it is
    assert th.anonymise_quote("Terima kasih Bu [nama] (NIP [NIP])") == "Terima kasih Bu [nama] (NIP [NIP])"


def test_themes_by_group_suppresses_small_groups():
    s = load_settings()
    k = s["suppression.k_text"]
    assert k == 5
    r = th.themes_by_group(_texts(), ["program_id"], settings=s)
    # P1: 5 texts with content (the 'Tidak ada' is left out) → shown; P2: 5 → shown;
    # P3: 2 < 5 → hidden (primary). One hidden group among siblings could be recovered from the
    # theme totals, so the smallest visible sibling is hidden as well (complementary).
    g = r.groupby("program_id")["suppression_reason"].first()
    assert g["P3"] == "primary"
    assert g[["P1", "P2"]].tolist().count("complementary") == 1
    hidden = r[r["suppressed"]]
    assert hidden[["n", "n_group", "share"]].isna().all().all()
    shown = r[~r["suppressed"]]
    # counts add up to the group's texts
    assert (
        shown.groupby("program_id")["n"].sum() == shown.groupby("program_id")["n_group"].first()
    ).all()
    # without the complementary rule only P3 is hidden
    r2 = th.themes_by_group(_texts(), ["program_id"], settings=s, parent_cols=None)
    assert set(r2.loc[r2["suppressed"], "program_id"]) == {"P3"}
    p1 = r2[r2["program_id"] == "P1"].set_index("tema")
    # P1: fasilitator 2, waktu 2, fasilitas 1 of 5
    assert (
        p1.loc["fasilitator", "n"] == 2
        and p1.loc["waktu", "n"] == 2
        and p1.loc["fasilitas", "n"] == 1
    )
    assert p1.loc["waktu", "share"] == pytest.approx(0.4)


def test_quotes_never_from_small_groups_and_anonymised():
    from workbook.ingest.deidentify import deidentify

    s = load_settings()
    # the texts as the stage gets them: de-identified at ingest
    tx = _texts()
    tx["teks"], _ = deidentify(tx["teks"], None, s)
    q = th.quotes(tx, ["program_id"], settings=s, parent_cols=None, min_theme_n=1, n=2)
    assert "P3" not in set(q["program_id"])  # group of 2 < k
    assert not q["kutipan"].str.contains("Budi|0812", regex=True).any()
    assert q["kutipan"].str.contains("Pak [nama] [telepon]", regex=False).any()
    assert (q.groupby(["program_id", "tema"]).size() <= 2).all()
    fas = q[(q["program_id"] == "P2") & (q["tema"] == "fasilitator")]
    # most frequent wording first: "Widyaiswara menguasai materi" twice in P2
    assert fas["kutipan"].iloc[0] == "Widyaiswara menguasai materi" and fas["n_same"].iloc[0] == 2
    # with the default minimum (k_text per theme) no theme in these groups is large enough
    assert th.quotes(_texts(), ["program_id"], settings=s, parent_cols=None).empty
    # one group overall (10 content texts from P1–P3 ≥ 5): fasilitator has 6 texts ≥ 5 → quoted
    q_all = th.quotes(_texts(), settings=s)
    assert set(q_all["tema"]) == {"fasilitator"}
    long = pd.DataFrame({"teks": ["Widyaiswara " + "sangat " * 40 + "baik"] * 5})
    ql = th.quotes(long, settings=s, max_chars=40)
    assert len(ql["kutipan"].iloc[0]) <= 41 and ql["kutipan"].iloc[0].endswith("…")
    with pytest.raises(DataError):
        th.quotes(long, settings=s, n=0)


def test_themes_on_the_sample_agency_are_stable():
    from workbook.ingest import load_agency

    ag = load_agency("data_samples/contoh", strict=False)
    tx = th.collect_texts(ag.tables)
    assert set(tx["sumber"]) == {"evaluasi_l1", "survei_pegawai", "wawancara"}
    r1 = th.themes_by_group(tx, ["sumber", "program_id"])
    r2 = th.themes_by_group(tx.iloc[::-1].reset_index(drop=True), ["sumber", "program_id"])
    pd.testing.assert_frame_equal(r1, r2)
    l1 = th.assign_themes(tx[tx["sumber"] == "evaluasi_l1"])
    # mostly dictionary themes; a few say nothing ("-", "tidak ada") or fit no theme (clustered)
    assert (l1["cara"] == "kamus").mean() >= 0.85
    assert set(l1["cara"]) <= {"kamus", "tanpa_isi", "klaster"} and (l1["cara"] != "kamus").any()


def test_agency_dictionary_from_csv(tmp_path):
    p = tmp_path / "kamus_tema.csv"
    p.write_text(
        "tema,label_id,label_en,kata_kunci\nsertifikat,Sertifikat,Certificates,sertifikat; piagam\n",
        encoding="utf-8",
    )
    a = th.assign_themes(
        pd.DataFrame({"teks": ["Sertifikat belum dikirim", "Piagam hilang"]}),
        dictionary=load_theme_dictionary(str(p)),
    )
    assert (a["tema"] == "sertifikat").all() and (a["cara"] == "kamus").all()
    themes = load_theme_dictionary(str(p))
    assert words.theme_label("sertifikat", "en", dictionary=themes) == "Certificates"
