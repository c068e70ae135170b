"""De-identification of free text at ingest (workbook.ingest.deidentify; issue 16 item 2).

Recall: distinctive full names and honorific-led names of a generated employee table, planted in
comments in varied positions, cases and punctuation, are all removed. Precision: on a name-free
corpus of real-looking training feedback (``tests/data/komentar_tanpa_nama.txt``) with an employee
list of common Indonesian names — many of them ordinary words — at most 1 % of the words are
replaced. Both figures are printed. Identity-number patterns, the stage's artefacts and the
data-check summary are tested too.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _paths import ROOT, SAMPLE

from workbook.core.settings import load_settings
from workbook.ingest.deidentify import KINDS, build_name_index, deidentify, free_text_columns

CORPUS = ROOT / "tests" / "data" / "komentar_tanpa_nama.txt"
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# common Indonesian given names and family names; many are ordinary words too (bagus, indah, sari …)
FIRST = ["Budi", "Sri", "Dewi", "Agus", "Siti", "Indah", "Putri", "Bagus", "Wahyu", "Rahmat", "Sari",
         "Jaya", "Adi", "Tri", "Nur", "Eka", "Dwi", "Fajar", "Bayu", "Intan", "Citra", "Surya", "Ratna",
         "Ayu", "Rizki", "Muhammad", "Ahmad", "Andi", "Dian", "Yuni", "Wulan", "Cahya", "Teguh", "Suci",
         "Bintang", "Kartika", "Fitri", "Hendra", "Joko", "Slamet", "Heru", "Eko", "Yoga", "Dimas", "Mulia"]
LAST = ["Santoso", "Wahyuni", "Lestari", "Setiawan", "Hidayat", "Prakoso", "Saputra", "Permata",
        "Wulandari", "Kusuma", "Nugroho", "Handayani", "Rahayu", "Ramadhan", "Pratama", "Putra", "Sari",
        "Wijaya", "Susanto", "Kurniawan", "Hartono", "Gunawan", "Purnomo", "Suryani", "Firmansyah",
        "Maulana", "Hakim", "Siregar", "Nasution", "Harahap", "Lubis", "Sinaga", "Ginting", "Tarigan"]


def _common_names(n: int = 2000, seed: int = 1) -> pd.Series:
    """An employee list drawn from common names, some with titles and degrees as SIMPEG writes them."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(FIRST)]
        if rng.random() < 0.3:
            parts.append(rng.choice(FIRST))
        parts.append(rng.choice(LAST))
        name = " ".join(parts)
        r = rng.random()
        if r < 0.1:
            name = "Drs. " + name + ", M.Si."
        elif r < 0.3:
            name += ", S.Pd."
        out.append(name)
    return pd.Series(out, name="nama")


def _distinctive_names(n: int, seed: int = 7) -> list[list[str]]:
    """Names no dictionary has (Evaristus Quxworth style): 2 or 3 words of odd syllables."""
    rng = np.random.default_rng(seed)
    onset = ["qu", "x", "zv", "kr", "th", "vr", "sz", "gw", "pf", "dj", "yv", "bl"]
    vowel = ["a", "e", "i", "o", "u", "ae", "io", "ey"]
    coda = ["x", "rth", "wn", "lk", "stus", "worth", "vik", "zel", "nd", "q"]
    names, seen = [], set()
    while len(names) < n:
        words = ["".join([rng.choice(onset), rng.choice(vowel), rng.choice(onset)[-1], rng.choice(vowel),
                          rng.choice(coda)]).capitalize() for _ in range(int(rng.integers(2, 4)))]
        if words[0] not in seen:
            seen.add(words[0])
            names.append(words)
    return names


def _words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


# --------------------------------------------------------------------------------------------
# recall
# --------------------------------------------------------------------------------------------

FULL_TEMPLATES = [
    "Terima kasih kepada {full}, materinya jelas.",
    "kepada {first} {last}, terima kasih atas bimbingannya",
    "{FULL} SANGAT MEMBANTU KAMI SELAMA PRAKTIK",
    "{full_lower} menjelaskan dengan sabar",
    "Fasilitator ({full}) menguasai materi.",
    "Materi bagus!{full}!!",
    "Saran: libatkan lagi {first} {last} sebagai narasumber",
    "Sesi terbaik dibawakan oleh {full}",
    "{first}\n{last} menjawab semua pertanyaan",
    "Narasumber: {first}-{last}; sangat komunikatif",
]
HON_TEMPLATES = [
    "Pak {first} sangat membantu",
    "PAK {FIRST} SANGAT MEMBANTU",
    "terima kasih bu {first_lower}.",
    "Bapak {first} {last} memberi contoh nyata",
    "Sdr. {first} kurang menguasai aplikasi",
    "Sdri {first} ramah sekali",
    "terima kasih mbak {first_lower} dan mas {first2_lower}",
    "Dr. {last} menjelaskan regulasi",
    "H. {first} {last} membuka acara",
    "Ibu {first}, terima kasih!",
]


def test_recall_planted_full_and_honorific_names_all_removed(capsys):
    rng = np.random.default_rng(3)
    odd = _distinctive_names(60)
    common = _common_names(300, seed=5)
    table = pd.concat([pd.Series([" ".join(w) for w in odd]), common], ignore_index=True)
    texts, planted = [], []
    for i, words in enumerate(odd):  # 60 distinctive full names, every template six times
        first, last, full = words[0], words[-1], " ".join(words)
        tpl = FULL_TEMPLATES[i % len(FULL_TEMPLATES)]
        texts.append(tpl.format(full=full, first=first, last=last, FULL=full.upper(), full_lower=full.lower()))
        planted.append({first.casefold(), last.casefold()} | ({w.casefold() for w in words}
                                                                if "{full" in tpl.lower() else set()))
    for i in range(60):  # 60 honorific-led names: common (often ordinary-word) and distinctive ones
        src = common.iloc[i] if i % 2 else " ".join(odd[i])
        words = [w for w in src.split(",")[0].split() if "." not in w]
        first, last = words[0], words[-1]
        first2 = common.iloc[int(rng.integers(0, len(common)))].split()[0]
        first2 = first2 if "." not in first2 else "Sri"
        tpl = HON_TEMPLATES[i % len(HON_TEMPLATES)]
        texts.append(tpl.format(first=first, last=last, FIRST=first.upper(), first_lower=first.lower(),
                                first2_lower=first2.lower()))
        toks = {first.casefold()} if "{first" in tpl.lower() else set()
        if "{last}" in tpl:
            toks.add(last.casefold())
        if "first2" in tpl:
            toks.add(first2.casefold())
        planted.append(toks)
    # honorific-led names that are not in the employee table (trainers, visitors)
    for name in ("Ratna", "Joko Susilo", "Kurniawati", "Hendrawan", "Yohanes Paulus"):
        texts.append(f"Terima kasih Ibu {name} dan Pak {name}.")
        planted.append({w.casefold() for w in name.split()})
    out, counts = deidentify(pd.Series(texts), table, load_settings())
    left = [(t, o, sorted(p & set(_words(o)))) for t, o, p in zip(texts, out, planted, strict=True)
            if p & set(_words(o))]
    n = len(texts)
    recall = 1 - len(left) / n
    with capsys.disabled():
        print(f"\n[deidentify] recall: {n - len(left)}/{n} planted names removed ({recall:.1%}); "
              f"{counts['nama']} [nama] placeholders")
    assert not left, left[:5]
    assert len(odd) >= 50 and n >= 120
    # the honorific stays, the name goes
    assert out.iloc[60 + 1].startswith("PAK [nama]")
    assert "bu [nama]." in out.iloc[60 + 2]


# --------------------------------------------------------------------------------------------
# precision
# --------------------------------------------------------------------------------------------


def _corpus() -> pd.Series:
    lines = [ln for ln in CORPUS.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return pd.Series(lines)


def test_precision_on_a_name_free_corpus(capsys):
    texts = _corpus()
    assert len(texts) >= 300
    names = _common_names()
    out, counts = deidentify(texts, names, load_settings())
    n_words = sum(len(_words(t)) for t in texts)
    # every replaced span leaves one word, "nama"; the rest of the words are the untouched ones
    kept = sum(len(_words(o)) for o in out) - counts["nama"]
    replaced = n_words - kept
    share = replaced / n_words
    changed = [(t, o) for t, o in zip(texts, out, strict=True) if t != o]
    with capsys.disabled():
        print(f"\n[deidentify] precision: {replaced} of {n_words} words replaced ({share:.2%}) in "
              f"{len(texts)} name-free comments, employee list of {len(names)} common names; "
              f"{len(changed)} comments changed")
        for t, o in changed:
            print(f"    {t!r} -> {o!r}")
    assert share <= 0.01
    # ordinary words that are also names stay as written
    for keep in ("Bagus sekali materinya, langsung bisa dipakai di kantor.",
                 "Tempatnya indah dan nyaman, cocok untuk belajar.",
                 "Asrama putri kurang bersih, kamar mandi sering macet airnya.",
                 "Materi tentang budi pekerti ASN dan kode etik sangat penting."):
        assert keep in set(out), keep


def test_single_name_word_needs_context():
    names = pd.Series(["Bagus Prakoso", "Indah Sari"])
    s = load_settings()
    out, n = deidentify(pd.Series(["Bagus sekali materinya", "Bagus Prakoso menjelaskan",
                                   "Prakoso menjelaskan", "materinya bagus, Pak Bagus sabar",
                                   "indah sekali", "Bu Indah hadir"]), names, s)
    assert list(out) == ["Bagus sekali materinya", "[nama] menjelaskan", "[nama] menjelaskan",
                         "materinya bagus, Pak [nama] sabar", "indah sekali", "Bu [nama] hadir"]
    assert n["nama"] == 4
    # without the word list a lone name word goes only with context
    off = s.with_overrides({"privacy.deidentify.single_token_wordlist": False})
    out2, _ = deidentify(pd.Series(["Prakoso menjelaskan", "Bagus Prakoso menjelaskan"]), names, off)
    assert list(out2) == ["Prakoso menjelaskan", "[nama] menjelaskan"]


def test_titles_after_an_honorific_are_not_names_and_names_are_not_stored():
    out, n = deidentify(pd.Series(["Pak Camat hadir, Ibu Kota jauh, Bapak Ibu peserta semangat",
                                   "Kepala Dinas membuka acara"]), None, load_settings())
    assert list(out) == ["Pak Camat hadir, Ibu Kota jauh, Bapak Ibu peserta semangat", "Kepala Dinas membuka acara"]
    assert n["nama"] == 0
    ix = build_name_index(pd.Series(["Drs. H. Evaristus Amadeus Quxworth, M.Si."]), load_settings())
    # the index holds normalised words only, titles and degrees stripped; no name as written
    assert ix.words == frozenset({"evaristus", "amadeus", "quxworth"})
    assert "Evaristus Amadeus Quxworth" not in repr(ix)


def test_missing_values_index_and_dtype_are_kept():
    s = pd.Series(["NIP 198501012010011001", None, "ok"], index=[10, 11, 12], dtype="str", name="komentar")
    out, n = deidentify(s, None, load_settings())
    assert list(out.index) == [10, 11, 12] and out.name == "komentar" and out.dtype == s.dtype
    assert out[10] == "NIP [NIP]" and pd.isna(out[11]) and out[12] == "ok"
    assert n == dict.fromkeys(KINDS, 0) | {"nip": 1}
    # a repeated text counts once per cell
    _, n2 = deidentify(pd.Series(["hubungi 081234567890"] * 3), None, load_settings())
    assert n2["telepon"] == 3


# --------------------------------------------------------------------------------------------
# identity numbers
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("NIP 198711012013012005 hadir", "NIP [NIP] hadir"),
    ("NIP 19871101 201301 2 005", "NIP [NIP]"),
    ("nip: 19871101.201301.2.005,", "nip: [NIP],"),
    ("NIP 19871101-201301-2-005", "NIP [NIP]"),
    ("NI PPPK 199003152023212011", "NI PPPK [NIP]"),
    ("NIK 3301010101010001", "NIK [NIK]"),
    ("NIK 3301 0101 0101 0001.", "NIK [NIK]."),
    ("NIK 330101 010101 0001", "NIK [NIK]"),
    ("hubungi 081234567890", "hubungi [telepon]"),
    ("WA 0812-3456-7890 ya", "WA [telepon] ya"),
    ("telp +62 812 3456 7890", "telp [telepon]"),
    ("telp +6281234567890", "telp [telepon]"),
    ("telp 6281234567890", "telp [telepon]"),
    ("kantor (021) 555-1234", "kantor [telepon]"),
    ("kantor 0274 512345", "kantor [telepon]"),
    ("surel budi.santoso@contoh.go.id.", "surel [email]."),
    ("e-mail: Sari_W+pelatihan@mail.example.co.id", "e-mail: [email]"),
    ("NPWP 12.345.678.9-012.345", "NPWP [angka]"),
    ("rekening 1234567890123", "rekening [angka]"),
])
def test_identity_numbers_are_replaced(text, expected):
    out, _ = deidentify(pd.Series([text]), None, load_settings())
    assert out[0] == expected


@pytest.mark.parametrize("text", [
    "Pelatihan 20 JP selama 3 hari pada 12-08-2024",
    "Nilai 80 85 90 75 88 92 70 65 77 81",
    "Biaya Rp 1.250.000.000 untuk 131 peserta × Rp 3.500.000",
    "Tahun 2023 2024 2025 target naik 10%",
    "Skor 4,5 dari 5; ruang 0.12; 62 peserta hadir",
    "Versi 2.0.1, modul 3 halaman 120-135",
])
def test_ordinary_numbers_stay(text):
    out, n = deidentify(pd.Series([text]), None, load_settings())
    assert out[0] == text and sum(n.values()) == 0


# --------------------------------------------------------------------------------------------
# the stage: restricted/ holds only de-identified text; counts in the summary
# --------------------------------------------------------------------------------------------


def _cells(path: Path) -> str:
    if path.suffix == ".parquet":
        df = pd.read_parquet(path)
        return "\n".join(df[c].astype(str).str.cat(sep="\n") for c in df.columns)
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        return "\n".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None)
    return path.read_text(encoding="utf-8", errors="replace")


def test_stage_writes_only_deidentified_text(tmp_path):
    from workbook.core.context import open_context
    from workbook.ingest.report import summary_markdown
    from workbook.ingest.stage import load_result, run_data_check

    data = tmp_path / "agency"
    shutil.copytree(SAMPLE, data)
    peg = pd.read_csv(data / "pegawai.csv", dtype=str)
    odd = [" ".join(w) for w in _distinctive_names(len(peg), seed=11)]
    peg.insert(1, "nama", odd)
    peg.to_csv(data / "pegawai.csv", index=False)
    name, nip = odd[0], "198711012013012005"
    l1 = pd.read_csv(data / "evaluasi_l1.csv", dtype=str)
    # a formula-like comment is also quoted by the validation report (restricted): de-identified there too
    l1.loc[:7, "komentar"] = f"=Terima kasih kepada {name} (NIP {nip}) atas materinya"
    l1.to_csv(data / "evaluasi_l1.csv", index=False)
    wa = data / "wawancara.csv"
    if wa.is_file():
        w = pd.read_csv(wa, dtype=str)
        w.loc[0, "ringkasan"] = f"Atasan {odd[1]} mendukung; hubungi 0812-3456-7890"
        w.to_csv(wa, index=False)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in data.iterdir() if p.is_file()}

    ctx = open_context(data_dir=str(data), output_dir=str(tmp_path / "out"), interactive=False)
    dc = run_data_check(ctx)
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in data.iterdir() if p.is_file()} == before
    files = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert any("restricted" in p.parts and p.name == "evaluasi_l1.parquet" for p in files)
    planted = [w for n in odd[:2] for w in n.split()] + [nip, "0812-3456-7890"]
    for p in files:
        text = _cells(p)
        for x in planted:
            assert x not in text, (p.relative_to(tmp_path), x)
    clean = pd.read_parquet(next(p for p in files if p.name == "evaluasi_l1.parquet"))
    assert (clean["komentar"] == "=Terima kasih kepada [nama] (NIP [NIP]) atas materinya").sum() == 8
    assert "nama" not in pd.read_parquet(next(p for p in files if p.name == "pegawai.parquet")).columns

    # counts per free-text column and kind (no value) in the aggregate class and the summary
    d = pd.read_parquet(tmp_path / "out" / str(ctx.year) / "00_data_check" / "deidentification.parquet")
    assert list(d.columns) == ["table", "column", "kind", "n"]
    assert set(d["kind"]) == set(KINDS)
    assert set(zip(d["table"], d["column"], strict=True)) >= {("evaluasi_l1", "komentar"),
                                                              ("survei_pegawai", "kebutuhan_lain")}
    l1n = d[(d["table"] == "evaluasi_l1")].set_index("kind")["n"]
    assert l1n["nama"] >= 8 and l1n["nip"] >= 8
    md = summary_markdown(dc)
    assert "dide-identifikasi" in md and f"{int(d.loc[d['kind'] == 'nama', 'n'].sum())} nama" in md
    assert load_result(ctx).deidentified.equals(d)


def test_free_text_columns_are_marked_in_the_contracts():
    assert free_text_columns("evaluasi_l1") == ["komentar"]
    assert free_text_columns("wawancara") == ["ringkasan"]
    assert free_text_columns("survei_pegawai") == ["kebutuhan_lain"]
    assert free_text_columns("roi_biaya") == ["keterangan"] and free_text_columns("roi_manfaat") == ["keterangan"]
    assert free_text_columns("pegawai") == [] and free_text_columns("nope") == []
