"""Language and formatting: the message catalogue (Indonesian first, English second) and number,
percent, Rupiah and date formatting through babel with explicit patterns.

Messages
--------
Every user-facing sentence is looked up with :func:`t` (``t(key, lang, **placeholders)``) in one
catalogue merged from the ``messages.yaml`` of each package that owns words (:data:`CATALOGUES`):
this package (shared words: stage names, labels, the data check), :mod:`workbook.present` (column
labels, ``col.*``), :mod:`workbook.ui` (``ui.*``, ``upload.*``), :mod:`workbook.report`
(``report.*``) and the stages' report words (``ingest.*``, ``needs.*``, ``plan.*``,
``evaluation.*``). The words of a code written in an artefact are entries
``<stage>.<column>.<code>`` (``plan.reason.budget``); :func:`codes` lists the codes under such a
prefix in file order, so code lists and the code tables of ``docs/data.md`` come from the
catalogue too. Each file holds ``key: {id: "…", en: "…"}`` entries with ``{placeholders}``; a key
may be defined once only, across all files (:func:`catalogue` refuses a duplicate). The files are
read through :mod:`importlib.resources` on the first lookup and kept (tested in
``tests/core/test_i18n.py``).

Formats
-------
What each language shows (tested in ``tests/core/test_core.py``):

=========== ================ =================
value       ``lang="id"``    ``lang="en"``
=========== ================ =================
1500000 Rp  ``Rp1.500.000``  ``IDR 1,500,000``
0.125       ``12,5%``        ``12.5%``
1234.5      ``1.234,5``      ``1,234.5``
0.85 (2)    ``0,85``         ``0.85``          (:func:`fmt_fixed`, fixed decimals)
0.3894 (4)  ``0,3894``       ``0.3894``        (:func:`fmt_significant`, significant digits)
2026-11-28  ``28 November 2026`` ``28 November 2026``
=========== ================ =================

Compute code never formats; only the presentation layer (reports, dashboards, notebooks' display)
calls these functions.
"""

from __future__ import annotations

import datetime as _dt
import math
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml
from babel.dates import format_date as _format_date
from babel.numbers import format_currency, format_decimal, format_percent

__all__ = ["LANGS", "t", "codes", "code_words", "fmt_number", "fmt_int", "fmt_fixed",
           "fmt_significant", "fmt_percent", "fmt_rupiah", "fmt_date", "check_lang", "catalogue", "CATALOGUES",
           "catalogue_file", "read_catalogue", "merge_catalogues", "code_tables_md"]

LANGS = ("id", "en")
_LOCALE = {"id": "id_ID", "en": "en"}


def check_lang(lang: str) -> str:
    from workbook.core.exceptions import SettingsError

    if lang not in LANGS:
        raise SettingsError(
            f"Bahasa '{lang}' tidak didukung; pilih 'id' atau 'en'.",
            f"Language '{lang}' is not supported; choose 'id' or 'en'.",
            column="lang", value=lang, expected="id | en",
        )
    return lang


#: the packages whose ``messages.yaml`` make up the catalogue, shared words first. The files are
#: found under the ``workbook`` package's folder, so loading the catalogue imports none of these
#: packages (core stays below them).
CATALOGUES = ("workbook.core.i18n", "workbook.present", "workbook.ui", "workbook.report",
              "workbook.ingest", "workbook.needs", "workbook.plan", "workbook.evaluation")


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe YAML loader that refuses a key written twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise ValueError(f"message id written twice in one file: {key} ({key_node.start_mark})")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def catalogue_file(package: str):
    """The ``messages.yaml`` of ``package`` (one of :data:`CATALOGUES`) as a resource path."""
    root, *parts = package.split(".")
    return resources.files(root).joinpath(*parts, "messages.yaml")


def read_catalogue(source) -> dict[str, dict[str, str]]:
    """The entries of one ``messages.yaml`` (a path or :mod:`importlib.resources` traversable)."""
    with source.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_UniqueKeyLoader) or {}  # a safe loader


def merge_catalogues(parts: dict[str, dict[str, dict[str, str]]]) -> dict[str, dict[str, str]]:
    """One catalogue from ``{source name: entries}``; a key defined by two sources is refused."""
    merged: dict[str, dict[str, str]] = {}
    owner: dict[str, str] = {}
    for name, entries in parts.items():
        for key, entry in entries.items():
            if key in merged:
                raise ValueError(f"message id defined twice: {key} (in {owner[key]} and {name})")
            merged[key], owner[key] = entry, name
    return merged


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """All message ids with their Indonesian and English text (the files of :data:`CATALOGUES`)."""
    return merge_catalogues({p: read_catalogue(catalogue_file(p)) for p in CATALOGUES})


def t(key: str, lang: str = "id", **kwargs: Any) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``kwargs``.

    Falls back to the Indonesian text when ``lang`` has none; an unknown key raises ``KeyError``.

    >>> t("stage.needs", "en")
    'Needs analysis'
    """
    entry = catalogue().get(key)
    if entry is None:
        raise KeyError(f"message id not in catalogue: {key}")
    text = entry.get(lang) or entry["id"]
    return text.format(**kwargs) if kwargs else text


@cache
def _codes(prefix: str) -> tuple[str, ...]:
    head = prefix + "."
    rest = (k[len(head):] for k in catalogue() if k.startswith(head))
    return tuple(c for c in rest if "." not in c)


def codes(prefix: str) -> list[str]:
    """The codes under ``prefix`` in the catalogue, in file order: the last part of each key
    ``<prefix>.<code>`` (keys one level deeper are not codes of ``prefix``).

    >>> codes("plan.reason")[:3]
    ['no_need', 'no_programme', 'budget']
    """
    return list(_codes(prefix))


def code_words(prefix: str) -> dict[str, tuple[str, str]]:
    """``{code: (Indonesian, English)}`` for the codes under ``prefix``, in file order: a view of
    the catalogue for listing codes with their words (code tables, tests). Text is looked up
    with :func:`t`."""
    return {c: (t(f"{prefix}.{c}", "id"), t(f"{prefix}.{c}", "en")) for c in codes(prefix)}


def _missing(x: Any) -> bool:
    try:
        return x is None or (isinstance(x, float) and math.isnan(x)) or x != x
    except (TypeError, ValueError):
        return False


def fmt_number(x: Any, lang: str = "id", decimals: int = 1, *, na: str = "–") -> str:
    """A number with the language's separators and at most ``decimals`` decimals (a value that
    rounds to zero is ``0``, never ``-0``)."""
    if _missing(x):
        return na
    if isinstance(x, (int, float)) and round(float(x), decimals) == 0:
        x = 0
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(x, format=pattern, locale=_LOCALE[lang])


def fmt_int(x: Any, lang: str = "id", *, na: str = "–") -> str:
    if _missing(x):
        return na
    return format_decimal(round(float(x)), format="#,##0", locale=_LOCALE[lang])


def fmt_fixed(x: Any, lang: str = "id", decimals: int = 2, *, na: str = "–") -> str:
    """A number with exactly ``decimals`` decimals and the language's separators (``0,85``
    Indonesian, ``0.85`` English; ``-1,50``)."""
    if _missing(x):
        return na
    if isinstance(x, (int, float)) and round(float(x), decimals) == 0:
        x = 0  # never "-0,00"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(x, format=pattern, locale=_LOCALE[lang])


def fmt_significant(x: Any, lang: str = "id", digits: int = 4, *, na: str = "–") -> str:
    """A number with at most ``digits`` significant digits, trailing zeros dropped, and the
    language's decimal sign (``0,3894`` Indonesian, ``0.3894`` English; as ``f"{x:.4g}"`` but
    never in scientific notation)."""
    if _missing(x):
        return na
    return format_decimal(x, format="@" + "#" * (digits - 1), locale=_LOCALE[lang])


def fmt_percent(x: Any, lang: str = "id", decimals: int = 1, *, na: str = "–") -> str:
    """A share (0.125) as a percentage (``12,5%`` in Indonesian, ``12.5%`` in English)."""
    if _missing(x):
        return na
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "%"
    return format_percent(x, format=pattern, locale=_LOCALE[lang])


def fmt_rupiah(x: Any, lang: str = "id", *, na: str = "–") -> str:
    """Rupiah without decimals: ``Rp1.500.000`` (id), ``IDR 1,500,000`` (en)."""
    if _missing(x):
        return na
    pattern = "¤#,##0" if lang == "id" else "¤\u00a0#,##0"
    return format_currency(round(float(x)), "IDR", format=pattern, locale=_LOCALE[lang],
                           currency_digits=False).replace("\u00a0", " ")


def fmt_date(d: Any, lang: str = "id", *, na: str = "–") -> str:
    """A date as ``28 November 2026`` (both languages use day–month–year)."""
    if _missing(d):
        return na
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d[:10])
    if isinstance(d, _dt.datetime):  # also pandas.Timestamp
        d = d.date()
    return _format_date(d, format="d MMMM y", locale=_LOCALE[lang])


def code_tables_md(heading: str, families) -> str:
    """A part of "Kode dalam artefak / Codes in the artefacts" (``docs/data.md``): under
    ``heading``, one Markdown table per ``(title, where, prefix)`` family — each code of the
    catalogue prefix with its Indonesian and English words."""
    out = [heading, ""]
    for title, where, prefix in families:
        out += [f"#### {title}", "", where + ".", "", "| kode / code | id | en |", "|---|---|---|"]
        out += [f"| `{code}` | {ind} | {eng} |" for code, (ind, eng) in code_words(prefix).items()]
        out.append("")
    return "\n".join(out)
