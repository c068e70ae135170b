"""De-identification of free text, once, at ingest.

:func:`deidentify` replaces in free-text cells (L1 comments, interview summaries, open survey
answers, note columns: the columns marked ``free_text`` in :mod:`workbook.core.schema`) what could
name a person, with a placeholder word from the settings (``privacy.deidentify.placeholders``):

- e-mail addresses → ``[email]``;
- NIP and NI PPPK (18 digits, written 8-6-1-3 with spaces, dots or dashes, or in one run) → ``[NIP]``;
- NIK (16 digits, in one run or written 6-6-4 / 4-4-4-4) → ``[NIK]``;
- Indonesian telephone numbers (``+62``, ``62`` or ``0`` then 8–13 digits, with separators) →
  ``[telepon]``; other runs of ten or more digits (NPWP, account numbers) → ``[angka]``;
- names → ``[nama]``, by three rules applied in one pass over the words of the text:

  1. *full names of the employee table*: the words of every ``pegawai.nama`` (titles and degrees
     stripped) form a trie; a run of two or more words that is a whole employee name goes,
     in any case;
  2. *names beside names*: two or more adjacent words (separated by spaces only) that are all
     name words of the employee table and all look like names (capitalised, or not an ordinary
     word) go together (``Bagus Prakoso``, ``Evaristus Quxworth``);
  3. *honorific-led names*: after an honorific (``privacy.deidentify.honorifics``: Pak, Bu, Sdr.,
     Dr., H. …) the next words go while they look like names — an employee name word in any
     case (``bu sri``), or a capitalised word that is not a title or function word
     (``Pak Camat`` stays);
  4. *a single name word* of the employee table, with none of the context above, goes only when
     it is not an ordinary Indonesian word (``privacy.deidentify.single_token_wordlist``; the
     word list is PySastrawi's root words and stop words, a word counting as ordinary also when
     its Sastrawi stem is a root word). So "Bagus sekali materinya" stays as written, "Prakoso
     menjelaskan" loses its name.

Names are matched on normalised words (case-folded, accents and apostrophes removed) through a
set and a trie — one pass per text whatever the number of employees (see ``bench/deidentify.py``
for the comparison with one regular expression per name). The employee names are read for this
only: they are not stored or returned.

Limits: a name that is not in the employee table and has no honorific before it (a trainer's
name, a relative), a name written with a typo, or an employee name that is also an ordinary word
and stands alone ("Indah") stays. ``docs/privacy.md`` states them for the agency.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

__all__ = ["NameIndex", "build_name_index", "deidentify", "deidentify_tables", "KINDS", "free_text_columns"]

#: kinds of replacement, in the order they are applied and reported
KINDS = ("email", "nip", "nik", "telepon", "angka", "nama")

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SEP = r"[ .\-]?"
# NIP and NI PPPK: 18 digits, 8-6-1-3 (birth date, appointment month, sex, sequence)
_NIP_RE = re.compile(rf"(?<![\d.\-])\d{{8}}{_SEP}\d{{6}}{_SEP}\d{_SEP}\d{{3}}(?![\d])")
# NIK: 16 digits, 6-6-4 (region, birth date, sequence) or 4-4-4-4
_NIK_RE = re.compile(
    rf"(?<![\d.\-])(?:\d{{6}}{_SEP}\d{{6}}{_SEP}\d{{4}}|\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}}{_SEP}\d{{4}})(?![\d])")
# telephone: +62 / 62 / 0, then an operator or area code and groups of digits
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:\+\s?62|62|\(?0)[\s.\-]?\(?\d{2,4}\)?(?:[\s.\-]?\d{2,5}){1,3}(?![\d])")
# any other run of ten or more digits, joined by dots or dashes only (not by spaces: a list of scores)
_DIGITS_RE = re.compile(r"(?<![\d.\-])\d(?:[.\-]?\d){9,}(?![\d])")
_MONEY_RE = re.compile(r"\d{1,3}(?:\.\d{3})+")
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SPACE_GAP = re.compile(r"[ \t\u00a0]+")  # words beside each other: spaces only, no line break
_HON_GAP = re.compile(r"\.?[ \t\u00a0]+")

def _setting(settings: Any, key: str) -> Any:
    if settings is None:
        from workbook.core.settings import load_settings

        settings = load_settings()
    return settings[f"privacy.deidentify.{key}"]


def _norm(word: str) -> str:
    """Case-folded, without accents or apostrophes: the form names are matched on."""
    w = unicodedata.normalize("NFKD", word)
    return "".join(c for c in w if not unicodedata.combining(c) and c not in "'’").casefold()


def _looks_capital(word: str) -> bool:
    return word[:1].isupper()


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    return frozenset(_norm(w) for w in StopWordRemoverFactory().get_stop_words())


@lru_cache(maxsize=1)
def _wordlist() -> frozenset[str]:
    """PySastrawi's Indonesian root words and stop words (shipped with the package, no download)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return frozenset(_norm(w) for w in StemmerFactory().get_words() if w.strip()) | _stopwords()


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


_AFFIXED = re.compile(r"^(?:me|be|di|ke|pe|te|se)|(?:an|kan|i|nya|lah|kah)$")


def _ordinary(word: str, words: frozenset[str]) -> bool:
    """Whether a (normalised) word is an ordinary Indonesian word: a root or stop word, or an
    affixed form whose Sastrawi stem is a root word."""
    if word in words:
        return True
    if len(word) > 4 and _AFFIXED.search(word):
        stem = _stemmer().stem(word)
        return stem != word and stem in words
    return False


@dataclass(frozen=True)
class NameIndex:
    """What the employee names leave for matching: normalised words only, no name as written.

    Attributes
    ----------
    trie : dict
        Nested ``{word: {word: …, "": True}}``; ``""`` marks the end of a full name (two words or more).
    words : frozenset of str
        Name words of three letters or more.
    ordinary : frozenset of str
        The name words that are ordinary Indonesian words (kept when alone).
    honorifics : dict of str to bool
        Normalised honorific → whether it needs a dot after it (``H.``).
    not_names : frozenset of str
        Capitalised words that follow an honorific without being a name (titles, functions).
    placeholders : dict of str to str
    use_wordlist : bool
    """

    trie: dict
    words: frozenset[str]
    ordinary: frozenset[str]
    honorifics: Mapping[str, bool]
    not_names: frozenset[str]
    placeholders: Mapping[str, str]
    use_wordlist: bool


def _name_words(name: str, honorifics: Iterable[str]) -> list[str]:
    """The normalised words of one name: before the first comma (degrees after it), without
    titles (``Drs.``, ``H.``), initials and degrees with dots (``S.Kom``)."""
    head = str(name).split(",")[0]
    out: list[str] = []
    for piece in head.split():
        if "." in piece:
            continue
        for m in _TOKEN_RE.finditer(piece):
            w = _norm(m.group(0))
            if w and w not in honorifics:
                out.append(w)
    return out


def build_name_index(names: pd.Series | Iterable[str] | None, settings: Any = None) -> NameIndex:
    """The matching index for a list of employee names (``pegawai.nama``); ``None`` = no names."""
    hon = {}
    for h in _setting(settings, "honorifics"):
        h = str(h).strip()
        if h:
            hon[_norm(h.rstrip("."))] = h.endswith(".")
    not_names = frozenset(_norm(w) for w in _setting(settings, "not_names"))
    words = _wordlist()
    trie: dict = {}
    name_words: set[str] = set()
    if names is not None:
        for name in pd.Series(names, dtype="object").dropna().astype(str).unique():
            ws = _name_words(name, hon)
            name_words.update(w for w in ws if len(w) >= 3)
            if len(ws) >= 2:
                node = trie
                for w in ws:
                    node = node.setdefault(w, {})
                node[""] = True
    ordinary = frozenset(w for w in name_words if _ordinary(w, words))
    return NameIndex(trie, frozenset(name_words), ordinary, hon, not_names,
                     dict(_setting(settings, "placeholders")), bool(_setting(settings, "single_token_wordlist")))


# --------------------------------------------------------------------------------------------
# one text
# --------------------------------------------------------------------------------------------


def _patterns(s: str, ph: Mapping[str, str], counts: dict[str, int]) -> str:
    if "@" in s:
        s, n = _EMAIL_RE.subn(ph["email"], s)
        counts["email"] += n
    if not any(c.isdigit() for c in s):
        return s
    s, n = _NIP_RE.subn(ph["nip"], s)
    counts["nip"] += n
    s, n = _NIK_RE.subn(ph["nik"], s)
    counts["nik"] += n

    def phone(m: re.Match[str]) -> str:
        digits = sum(c.isdigit() for c in m.group(0))
        if 9 <= digits <= 15:
            counts["telepon"] += 1
            return ph["telepon"]
        return m.group(0)

    def digits(m: re.Match[str]) -> str:
        if _MONEY_RE.fullmatch(m.group(0)):  # Rp 1.250.000.000 is an amount, not an identifier
            return m.group(0)
        counts["angka"] += 1
        return ph["angka"]

    s = _PHONE_RE.sub(phone, s)
    return _DIGITS_RE.sub(digits, s)


def _name_spans(s: str, ix: NameIndex) -> list[tuple[int, int]]:
    """Character spans of the names in ``s`` (rules 1–4 of the module), merged where adjacent."""
    toks = [(m.start(), m.end(), m.group(0), _norm(m.group(0))) for m in _TOKEN_RE.finditer(s)]
    n = len(toks)
    if not n:
        return []
    if not any(t[3] in ix.words or t[3] in ix.honorifics or t[3] in ix.trie for t in toks):
        return []
    # adj[i]: token i and i+1 are separated by spaces only
    adj = [bool(_SPACE_GAP.fullmatch(s, toks[i][1], toks[i + 1][0])) for i in range(n - 1)] + [False]

    def namelike(i: int) -> bool:  # a name word of the table that looks like a name here
        w = toks[i][3]
        return w in ix.words and (_looks_capital(toks[i][2]) or w not in ix.ordinary)

    hit = [False] * n
    i = 0
    while i < n:
        w = toks[i][3]
        # rule 1: a whole employee name (longest match in the trie)
        node, j, end = ix.trie.get(w), i, -1
        while node is not None:
            if "" in node:
                end = j
            if not adj[j] or j + 1 >= n:
                break
            j += 1
            node = node.get(toks[j][3])
        if end > i:
            for k in range(i, end + 1):
                hit[k] = True
            i = end + 1
            continue
        # rule 3: honorific-led
        if w in ix.honorifics and i + 1 < n:
            gap = s[toks[i][1]:toks[i + 1][0]]
            needs_dot = ix.honorifics[w]
            if (_HON_GAP.fullmatch(gap) and (not needs_dot or gap.startswith("."))
                    and (not needs_dot or _looks_capital(toks[i][2]))):
                j = i + 1
                while j < n and j - i <= 3:
                    tw, raw = toks[j][3], toks[j][2]
                    first = j == i + 1
                    ok = (tw not in ix.honorifics and tw not in ix.not_names and len(tw) >= 2
                          and ((first and tw in ix.words) or namelike(j)
                               or (_looks_capital(raw) and tw not in _stopwords())))
                    if not ok:
                        break
                    hit[j] = True
                    if not adj[j]:
                        break
                    j += 1
                if j > i + 1 or hit[i + 1]:
                    i = max(j, i + 1)
                    continue
        # rule 2: a run of adjacent name-like name words
        if namelike(i):
            j = i
            while adj[j] and j + 1 < n and namelike(j + 1):
                j += 1
            if j > i:
                for k in range(i, j + 1):
                    hit[k] = True
                i = j + 1
                continue
            # rule 4: a single name word that is not an ordinary word
            if ix.use_wordlist and w not in ix.ordinary:
                hit[i] = True
        i += 1
    spans: list[tuple[int, int]] = []
    for k in range(n):
        if not hit[k]:
            continue
        if spans and k > 0 and hit[k - 1] and adj[k - 1]:
            spans[-1] = (spans[-1][0], toks[k][1])
        else:
            spans.append((toks[k][0], toks[k][1]))
    return spans


def _one(text: str, ix: NameIndex, counts: dict[str, int]) -> str:
    s = _patterns(text, ix.placeholders, counts)
    spans = _name_spans(s, ix)
    if not spans:
        return s
    counts["nama"] += len(spans)
    out, last = [], 0
    for a, b in spans:
        out.append(s[last:a])
        out.append(ix.placeholders["nama"])
        last = b
    out.append(s[last:])
    return "".join(out)


# --------------------------------------------------------------------------------------------
# public
# --------------------------------------------------------------------------------------------


def deidentify(texts: pd.Series, names: pd.Series | None = None, settings: Any = None, *,
               index: NameIndex | None = None) -> tuple[pd.Series, dict[str, int]]:
    """Replace names and identity numbers in free texts by placeholders.

    Parameters
    ----------
    texts : Series
        Free texts; missing values stay missing, the index and name are kept.
    names : Series, optional
        Employee names (``pegawai.nama``), used for matching only.
    settings : Settings, optional
        Read: ``privacy.deidentify.honorifics``, ``not_names``, ``placeholders``,
        ``single_token_wordlist`` (defaults when absent).
    index : NameIndex, optional
        A prebuilt :func:`build_name_index` (to de-identify several columns with one index);
        ``names`` is then ignored.

    Returns
    -------
    texts : Series
        The de-identified texts (``str`` dtype, same index).
    counts : dict of str to int
        Replacements per kind (:data:`KINDS`), counted over every cell (a repeated text counts
        once per cell). No value is returned.

    Examples
    --------
    >>> import pandas as pd
    >>> out, n = deidentify(pd.Series(["Bagus sekali, Bagus Prakoso menjelaskan; NIP 198501012010011001"]),
    ...                     pd.Series(["Bagus Prakoso"]))
    >>> out[0]
    'Bagus sekali, [nama] menjelaskan; NIP [NIP]'
    >>> n["nama"], n["nip"]
    (1, 1)
    """
    ix = index if index is not None else build_name_index(names, settings)
    counts = dict.fromkeys(KINDS, 0)
    s = pd.Series(texts)
    present = s.notna()
    if not present.any():
        return s, counts
    values = s[present].astype(str)
    codes, uniques = pd.factorize(values)
    mult = pd.Series(codes).value_counts()
    out_u = []
    for k, text in enumerate(uniques):
        c = dict.fromkeys(KINDS, 0)
        out_u.append(_one(text, ix, c))
        m = int(mult.get(k, 0))
        for kind, v in c.items():
            counts[kind] += v * m
    result = s.astype("object").copy()
    result[present] = [out_u[c] for c in codes]
    return result.astype(s.dtype if s.dtype != "object" else "object"), counts


def free_text_columns(table: str) -> list[str]:
    """The columns of one table marked ``free_text`` in the contracts."""
    from workbook.core.schema import TABLES

    t = TABLES.get(table)
    return [c.name for c in t.columns if getattr(c, "free_text", False)] if t is not None else []


def deidentify_tables(tables: Mapping[str, pd.DataFrame], names: pd.Series | None, settings: Any = None, *,
                      index: NameIndex | None = None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """De-identify every free-text column of every table (new frames; the input is not modified).

    ``names``, ``settings`` and ``index`` are as for :func:`deidentify`.

    Returns
    -------
    tables : dict of str to DataFrame
    counts : DataFrame
        ``table``, ``column``, ``kind``, ``n``: replacements per column and kind (zeros kept, so
        the summary shows which columns were checked). No text value.
    """
    ix = index if index is not None else build_name_index(names, settings)
    out = dict(tables)
    rows = []
    for name, df in tables.items():
        cols = [c for c in free_text_columns(name) if c in df.columns]
        if not cols:
            continue
        df = df.copy()
        for col in cols:
            df[col], counts = deidentify(df[col], index=ix)
            rows += [{"table": name, "column": col, "kind": k, "n": int(v)} for k, v in counts.items()]
        out[name] = df
    frame = pd.DataFrame(rows, columns=["table", "column", "kind", "n"])
    frame["n"] = frame["n"].astype("int64")
    return out, frame
