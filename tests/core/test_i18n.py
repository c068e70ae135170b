"""The message catalogue (``workbook.core.i18n``): one format, one lookup, one key per message.

Every package that owns words has a ``messages.yaml`` (``key: {id: "…", en: "…"}``); ``t`` reads
them all. These tests check the files (both languages, the same placeholders, no key twice), that
the code asks only for keys that exist, that no ``{"id": …, "en": …}`` switch is left in the
widget pages and the reports, and that the files are packaged.
"""

from __future__ import annotations

import ast
import glob
import os
import re
import string
import tomllib
from pathlib import Path

import pytest

from workbook.core.i18n import (
    CATALOGUES,
    catalogue,
    catalogue_file,
    code_words,
    codes,
    fmt_fixed,
    fmt_significant,
    merge_catalogues,
    read_catalogue,
    t,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "workbook"

#: the key prefixes each package's file may use (core's shared words have no owner prefix)
OWNED = {"workbook.present": ("col.", "bool.", "form.", "criterion."), "workbook.ui": ("ui.", "upload."),
         "workbook.report": ("report.",), "workbook.ingest": ("ingest.",),
         "workbook.needs": ("needs.",), "workbook.plan": ("plan.",),
         "workbook.evaluation": ("evaluation.",)}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_message_has_both_languages_with_the_same_placeholders():
    cat = catalogue()
    assert len(cat) > 300
    for key, entry in cat.items():
        assert set(entry) == {"id", "en"}, key
        assert isinstance(entry["id"], str) and entry["id"].strip(), key
        assert isinstance(entry["en"], str) and entry["en"].strip(), key
        assert _placeholders(entry["id"]) == _placeholders(entry["en"]), key


@pytest.mark.parametrize("package", CATALOGUES)
def test_each_package_file_uses_its_own_prefix(package):
    keys = read_catalogue(catalogue_file(package))
    assert keys, package
    prefixes = OWNED.get(package)
    owned = tuple(p for ps in OWNED.values() for p in ps)
    for key in keys:
        if prefixes:
            assert key.startswith(prefixes), (package, key)
        else:
            assert not key.startswith(owned), (package, key)


def test_a_key_in_two_files_is_refused():
    entry = {"id": "Satu", "en": "One"}
    with pytest.raises(ValueError, match="ui.x .*in a.yaml and b.yaml"):
        merge_catalogues({"a.yaml": {"ui.x": entry}, "b.yaml": {"ui.x": entry, "ui.y": entry}})
    assert merge_catalogues({"a": {"ui.x": entry}, "b": {"ui.y": entry}}) == {"ui.x": entry, "ui.y": entry}


def test_a_key_twice_in_one_file_is_refused(tmp_path):
    p = tmp_path / "messages.yaml"
    p.write_text('ui.x: {id: "a", en: "a"}\nui.x: {id: "b", en: "b"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="ui.x"):
        read_catalogue(p)


def test_lookup_fills_placeholders_falls_back_and_refuses_unknown_keys():
    assert t("ui.hidden_n", "en", k=5) == "suppressed (n < 5)"
    assert t("report.bab", "id") == "BAB"
    assert t("col.kode_unit", "en") == "Unit code"
    assert t("stage.needs", "xx") == t("stage.needs", "id")  # no text in that language: Indonesian
    with pytest.raises(KeyError, match="not in catalogue"):
        t("ui.no_such_message", "id")


def test_codes_are_the_keys_under_a_prefix_in_file_order():
    assert codes("plan.reason") == ["no_need", "no_programme", "budget", "capacity", "pppk_cap",
                                    "lower_priority", "top_up_off", "unavailable",
                                    "no_line"]
    assert codes("evaluation.maturity") == ["0", "1", "2", "3", "4"]
    # a code may hold spaces (the Indonesian label is the code); deeper keys are not codes
    assert "tidak dapat dipercaya" in codes("needs.stability")
    assert codes("evaluation.verdict") and not any("." in c for c in codes("evaluation.verdict"))
    assert "verdict_part" not in codes("evaluation") and "p_adj" not in codes("evaluation.verdict")
    assert codes("no.such.prefix") == []
    assert code_words("plan.reason")["budget"] == ("anggaran habis", "budget exhausted")
    assert list(code_words("plan.reason")) == codes("plan.reason")


def test_fixed_and_significant_numbers_use_the_language_separators():
    assert fmt_fixed(0.85, "id", 2) == "0,85" and fmt_fixed(0.85, "en", 2) == "0.85"
    assert fmt_fixed(-1.5, "id", 2) == "-1,50" and fmt_fixed(1234.5, "id", 1) == "1.234,5"
    assert fmt_fixed(0.9975, "en", 2) == "1.00" and fmt_fixed(3.0, "id", 0) == "3"
    assert fmt_fixed(float("nan"), "id", 2) == "–"
    # as f"{x:.4g}" in English, with the decimal comma in Indonesian, never 1.234e-05
    for x in (0.38941, 0.0054481, 0.05, 1.0, 0.12345678):
        assert fmt_significant(x, "en", 4) == f"{x:.4g}"
    assert fmt_significant(0.38941, "id", 4) == "0,3894"
    assert fmt_significant(1.2341e-5, "en", 4) == "0.00001234"


#: Files of the stages and present that may still hold (Indonesian, English) pairs: the
#: cross-stage document (another change), and the theme dictionaries (keywords with their labels,
#: the built-in default of an agency's own dictionary file).
_PAIRS_ALLOWED = {"present/document.py", "evaluation/lexicon.py"}
#: tables of code pairs, not words: ``jenis_jabatan`` → (next jabatan, training)
_CODE_PAIR_TABLES = {"LEADERSHIP_LADDER"}


def _word_pair(node: ast.AST) -> bool:
    return (isinstance(node, ast.Tuple) and len(node.elts) == 2
            and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts)
            and not {e.value for e in node.elts} <= {"id", "en"})


def test_no_table_of_word_pairs_is_left_in_the_stages():
    """The words of codes are catalogue entries ``<stage>.<column>.<code>``, not dicts of
    (Indonesian, English) tuples or ``("…", "…")[i]`` picks in stage code."""
    found = []
    for path in _python_files("needs", "plan", "evaluation", "present"):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel in _PAIRS_ALLOWED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        codes_only = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.AnnAssign | ast.Assign)
                      and any(getattr(x, "id", None) in _CODE_PAIR_TABLES
                              for x in getattr(n, "targets", [getattr(n, "target", None)]))}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Dict) and id(node) not in codes_only
                    and sum(_word_pair(v) for v in node.values) >= 2):
                found.append(f"{rel}:{node.lineno} dict of pairs")
            if isinstance(node, ast.Subscript) and _word_pair(node.value):
                found.append(f"{rel}:{node.lineno} {ast.unparse(node)[:60]}")
    assert not found, found


def _python_files(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (PACKAGE / pkg).rglob("*.py"))


def test_no_language_dict_is_left_in_the_widget_pages_and_reports():
    """Words are in messages.yaml, not in ``{"id": …, "en": …}[lang]`` switches."""
    found = []
    stage_reports = [PACKAGE / f for f in ("ingest/report.py", "needs/report.py", "plan/report.py",
                                           "evaluation/report.py", "evaluation/roi_report.py")]
    for path in _python_files("ui", "report") + stage_reports:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and any(
                    isinstance(k, ast.Constant) and k.value in ("id", "en") for k in node.keys):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found


def test_every_literal_message_id_in_the_code_exists():
    cat = catalogue()
    asked = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                asked.add((node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}"))
    for path in sorted((PACKAGE / "report" / "templates").iterdir()):
        for key in re.findall(r"\bt\('([^']+)'\)", path.read_text(encoding="utf-8")):
            asked.add((key, str(path.relative_to(ROOT))))
    assert len(asked) > 100
    missing = sorted(where for key, where in asked if key not in cat)
    assert not missing, missing


def test_every_catalogue_file_is_package_data():
    """``pyproject.toml`` ships each messages.yaml (setuptools globs: ``*`` stops at ``/``)."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["workbook"]
    shipped = {os.path.normpath(f) for pat in patterns
               for f in glob.glob(os.path.join(PACKAGE, pat), recursive=True)}
    for package in CATALOGUES:
        path = PACKAGE.joinpath(*package.split(".")[1:], "messages.yaml")
        assert path.is_file(), package
        assert os.path.normpath(path) in shipped, package
