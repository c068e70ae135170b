"""The words of the theme analysis: theme dictionaries, stop words, non-answers, tone lexicon.

Also the reading of a text against them: normalising (lower case, letters only), tokenising,
stemming with PySastrawi (cached), and the tone of a text. :func:`theme_dictionary` turns an
agency's own dictionary table into :class:`Theme` entries (the file itself is read by
:func:`workbook.evaluation.theme_file.load_theme_dictionary`). The method is described in
:mod:`workbook.evaluation.themes` and ``docs/methods/themes_impact.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from workbook.core.checks import require_columns as _require
from workbook.core.exceptions import DataError

__all__ = [
    "Theme",
    "THEMES_EVALUASI",
    "THEMES_KEBUTUHAN",
    "CODED_THEME_LABELS",
    "DOMAIN_STOP_WORDS",
    "NON_ANSWERS",
    "WORD_RE",
    "theme_dictionary",
    "stop_words",
    "normalise",
    "tokenize",
    "stem",
    "stems",
    "tone",
]


@dataclass(frozen=True)
class Theme:
    """One theme of the dictionary: a code, labels in Indonesian and English, and keywords.

    Keywords are written as ordinary words; they are stemmed with the same stemmer as the texts.
    """

    code: str
    label_id: str
    label_en: str
    keywords: tuple[str, ...]


def _theme(code: str, label_id: str, label_en: str, words: str) -> Theme:
    return Theme(code, label_id, label_en, tuple(words.split()))


#: Themes for L1 comments and interview summaries (ASN training domain). Order breaks ties.
THEMES_EVALUASI: tuple[Theme, ...] = (
    _theme(
        "fasilitator",
        "Fasilitator / widyaiswara",
        "Facilitator / trainer",
        "widyaiswara fasilitator narasumber pengajar instruktur pemateri coach mentor "
        "menguasai penyampaian menjelaskan dosen trainer",
    ),
    _theme(
        "materi",
        "Materi dan relevansi",
        "Content and relevance",
        "materi modul teori teoretis teoritis kurikulum substansi relevan sesuai "
        "aplikatif topik bahan isi",
    ),
    _theme(
        "metode",
        "Metode belajar (diskusi, praktik)",
        "Learning methods (discussion, practice)",
        "diskusi praktik praktek simulasi studi kasus kelompok interaktif ceramah "
        "permainan games roleplay",
    ),
    _theme(
        "waktu",
        "Waktu dan jadwal",
        "Time and schedule",
        "waktu jadwal durasi singkat jam padat berbenturan bentrok molor terlambat",
    ),
    _theme(
        "fasilitas",
        "Fasilitas dan konsumsi",
        "Facilities and catering",
        "ruangan ruang fasilitas konsumsi makan makanan snack kursi proyektor asrama "
        "kamar nyaman pendingin ac toilet gedung sarana",
    ),
    _theme(
        "media_daring",
        "Media daring / LMS",
        "Online media / LMS",
        "internet jaringan sinyal koneksi zoom daring online lms aplikasi platform video "
        "terputus elearning web perangkat",
    ),
    _theme(
        "penerapan",
        "Penerapan di tempat kerja",
        "Application at work",
        "penerapan menerapkan diterapkan implementasi bermanfaat manfaat berguna "
        "pekerjaan tugas kantor unit",
    ),
    _theme(
        "dukungan",
        "Dukungan atasan dan lingkungan",
        "Support from supervisors and peers",
        "atasan pimpinan dukungan mendukung kesempatan izin rekan",
    ),
    _theme(
        "beban_kerja",
        "Beban kerja dan hambatan",
        "Workload and barriers",
        "beban sibuk tertunda hambatan kendala",
    ),
)

#: Themes for the TNA survey's open question (topics of development asked for).
THEMES_KEBUTUHAN: tuple[Theme, ...] = (
    _theme(
        "data_digital",
        "Data dan digital",
        "Data and digital",
        "data dasbor dashboard statistik spreadsheet excel aplikasi digital spbe "
        "informasi keamanan komputer sistem srikandi siber teknologi",
    ),
    _theme(
        "komunikasi",
        "Komunikasi dan bahasa",
        "Communication and languages",
        "komunikasi berbicara bahasa inggris presentasi public speaking negosiasi",
    ),
    _theme(
        "pelayanan",
        "Pelayanan publik",
        "Public service",
        "pelayanan melayani layanan pengaduan masyarakat pasien prima etika",
    ),
    _theme(
        "pengembangan_diri",
        "Pengembangan diri",
        "Self-development",
        "waktu motivasi stres kesehatan mental produktivitas",
    ),
    _theme(
        "manajerial",
        "Kepemimpinan dan manajerial",
        "Leadership and management",
        "manajemen konflik coaching membimbing umpan balik keputusan risiko kepemimpinan "
        "memimpin tim strategi bawahan staf",
    ),
    _theme(
        "administrasi",
        "Administrasi dan penulisan",
        "Administration and writing",
        "penulisan laporan naskah dinas surat arsip kearsipan administrasi keuangan "
        "anggaran pengadaan",
    ),
)

#: Labels of the interview codes used in the sample and common coding frames.
CODED_THEME_LABELS: dict[str, tuple[str, str]] = {
    "penerapan": ("Penerapan di tempat kerja", "Application at work"),
    "relevansi_materi": ("Relevansi materi", "Relevance of content"),
    "dukungan_atasan": ("Dukungan atasan", "Supervisor support"),
    "hambatan_waktu": ("Hambatan waktu / beban kerja", "Time barriers / workload"),
    "sarana": ("Sarana dan prasarana kerja", "Equipment and infrastructure"),
    "tidak_diterapkan": ("Belum diterapkan", "Not yet applied"),
}

#: Domain stop words added to Sastrawi's list for clustering (too common in this domain to separate
#: texts): the words for training, programme, participant, agency and staff.
DOMAIN_STOP_WORDS: frozenset[str] = frozenset(
    {
        "latih",
        "pelatihan",
        "program",
        "serta",
        "peserta",
        "kegiatan",
        "bimtek",
        "diklat",
        "asn",
        "pns",
        "pegawai",
        "instansi",
        "dinas",
        "badan",
        "kabupaten",
        "kota",
        "provinsi",
        "pemerintah",
        "daerah",
        "bidang",
        "sangat",
        "terlalu",
        "kurang",
        "lebih",
        "sudah",
        "belum",
        "perlu",
        "tambah",
        "ditambah",
        "bagus",
        "baik",
        "oke",
        "ok",
    }
)

#: Answers that say nothing; after normalisation a text equal to one of these is ``tanpa_isi``.
NON_ANSWERS: frozenset[str] = frozenset(
    {
        "",
        "tidak ada",
        "tidak",
        "ada",
        "tdk ada",
        "tdk",
        "belum ada",
        "nihil",
        "none",
        "no",
        "na",
        "n a",
        "cukup",
        "tidak ada komentar",
        "tidak ada saran",
        "sudah baik",
        "baik",
        "ok",
        "oke",
        "mantap",
    }
)

_NEG = frozenset(
    {
        "kurang",
        "terlalu",
        "belum",
        "tidak",
        "tdk",
        "kendala",
        "terputus",
        "putus",
        "lambat",
        "buruk",
        "sulit",
        "susah",
        "berbenturan",
        "bentrok",
        "tertunda",
        "padat",
        "singkat",
        "sempit",
        "panas",
        "molor",
        "terlambat",
        "gangguan",
        "membosankan",
    }
)
_SUG = frozenset(
    {
        "perlu",
        "sebaiknya",
        "mohon",
        "harap",
        "saran",
        "ditambah",
        "tambah",
        "diperbanyak",
        "ditingkatkan",
        "semoga",
        "agar",
    }
)
_POS = frozenset(
    {
        "sangat",
        "bagus",
        "baik",
        "membantu",
        "bermanfaat",
        "aplikatif",
        "menguasai",
        "jelas",
        "menarik",
        "puas",
        "mantap",
        "senang",
        "sesuai",
        "relevan",
        "menerapkan",
        "sudah",
    }
)

WORD_RE = re.compile(r"[a-z]+")


def theme_dictionary(table: pd.DataFrame, source: str = "kamus_tema") -> tuple[Theme, ...]:
    """An agency's own theme dictionary from its table (all cells as text, blanks as "").

    Columns ``tema`` (code), ``label_id``, ``label_en`` and ``kata_kunci`` (keywords separated by
    spaces, commas or semicolons); one row per theme, in tie-breaking order. ``source`` names the
    file in the errors.
    """
    _require(table, ["tema", "label_id", "label_en", "kata_kunci"], str(source))
    out = tuple(
        Theme(
            r.tema.strip(),
            r.label_id.strip(),
            r.label_en.strip(),
            tuple(w.lower() for w in re.split(r"[\s,;]+", r.kata_kunci) if w),
        )
        for r in table.itertuples(index=False)
        if r.tema.strip()
    )
    if not out:
        raise DataError(
            f"Kamus tema kosong: {source}", f"Theme dictionary is empty: {source}", file=str(source)
        )
    return out


# --------------------------------------------------------------------------------------------
# tokenising and stemming
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Sastrawi's Indonesian stop words (shipped with PySastrawi) plus :data:`DOMAIN_STOP_WORDS`."""
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(StopWordRemoverFactory().get_stop_words()) | DOMAIN_STOP_WORDS


def normalise(text: Any) -> str:
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return ""
    s = str(text).lower().replace("e-learning", "elearning")
    s = re.sub(r"[^a-z\s]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def tokenize(text: Any) -> list[str]:
    """Lower-case word tokens (letters only; digits and punctuation dropped)."""
    return WORD_RE.findall(normalise(text))


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """The Sastrawi stem of one lower-case word (cached): ``stem("pelatihannya") == "latih"``."""
    out = _stemmer().stem(word)
    return out or word


#: a de-identification placeholder (one word in square brackets, workbook.ingest.deidentify) and
#: the words that announce an identity number ("NIP [NIP]"): never a theme
_PLACEHOLDER = re.compile(r"\[[A-Za-z]{2,12}\]|\b(?:NIP|NIK|NI\s+PPPK)\b", re.IGNORECASE)


def stems(text: Any, *, drop_stop_words: bool = False) -> list[str]:
    """Stems of the tokens of ``text``; with ``drop_stop_words`` the Sastrawi + domain stop words
    are removed (before and after stemming), and so are the de-identification placeholders
    (``[nama]``, ``[NIP]``, ``[telepon]``, ``[ID]`` …): a theme is never "nip, nama".

    >>> stems("Terima kasih [nama] (NIP [NIP]) atas materinya", drop_stop_words=True)
    ['terima', 'kasih', 'materi']
    """
    sw = stop_words() if drop_stop_words else frozenset()
    if drop_stop_words and isinstance(text, str):
        text = _PLACEHOLDER.sub(" ", text)
    out = []
    for w in tokenize(text):
        if w in sw:
            continue
        st = stem(w)
        if st in sw or len(st) < 2:
            continue
        out.append(st)
    return out


def tone(tokens: Sequence[str]) -> str:
    t = set(tokens)
    if t & _NEG:
        return "negatif"
    if t & _SUG:
        return "saran"
    if t & _POS:
        return "positif"
    return "netral"
