"""Bad input: every case of ``tests/data/bad/cases.csv`` through ``workbook validate``.

Each case folder holds only the file(s) a case breaks; it is laid over the clean base agency
(``tests/data/bad/_base``) in a temporary folder. The oversized file and the zip bomb are built
here, at test time, and never committed. For every case, in Indonesian and in English, the
command must

* exit with the expected code (1 when the case is an error, 0 when it is a warning by design),
* report the expected problem code at the expected file, row and column, with a message in the
  requested language (it starts with the code's standard text in that language),
* print no traceback,
* leave every input byte unchanged (hashes before and after).

Each run is a separate process. To keep ~600 runs within budget they are forked from one
interpreter that has already imported pandas (POSIX); the first case of every other failure class is
also run through the real ``workbook`` console script (alternating the language) and must print
exactly the same output.
``python tests/data/bad/make_cases.py`` rebuilds the committed corpus.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from workbook.core.problems import EXTRA_PROBLEM_CODES
from workbook.core.schema import PROBLEM_CODES

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
BASE = BAD / "_base"
MAX_FILE_MB = 200  # defaults.yaml input.max_file_mb
MAX_XLSX_MB = 500  # defaults.yaml input.max_xlsx_uncompressed_mb
CODE_TEXT = {**EXTRA_PROBLEM_CODES, **PROBLEM_CODES}


def _cases() -> list[dict[str, str]]:
    with open(BAD / "cases.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CASES = _cases()

RUNNER = r'''
import json, os, sys, traceback
import pandas, openpyxl, yaml  # noqa: F401 - preloaded once, shared by the forked runs
import workbook.cli, workbook.ingest.validate, workbook.core.settings, workbook.core.pseudonym  # noqa: F401
from workbook.ingest import raw, tables, mapping, agency  # noqa: F401
jobs = json.load(open(sys.argv[1], encoding="utf-8"))
import contextlib, io
with contextlib.redirect_stdout(io.StringIO()):  # warm up: lazy imports happen once, not per run
    workbook.cli.main(["validate", sys.argv[3], "--output", sys.argv[4]])
codes = []
for job in jobs:
    sys.stdout.flush(); sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        rc = 70
        try:
            fo = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            fe = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(fo, 1); os.dup2(fe, 2)
            rc = workbook.cli.main(["validate", *job["args"]])
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else 1
        except BaseException:
            traceback.print_exc()
            rc = 70
        finally:
            try:
                sys.stdout.flush(); sys.stderr.flush()
            finally:
                os._exit(rc)
    _, status = os.waitpid(pid, 0)
    codes.append(os.waitstatus_to_exitcode(status))
json.dump(codes, open(sys.argv[2], "w", encoding="utf-8"))
'''


def _workbook_cmd() -> list[str]:
    exe = Path(sys.executable).parent / ("workbook.exe" if os.name == "nt" else "workbook")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "workbook.cli"]


def _fingerprint(folder: Path) -> dict[str, str]:
    """SHA-256 of every file; for files above 8 MB (the generated ones) size, mtime and the hash of
    their first and last MB, so that the check stays fast."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        st = p.stat()
        if st.st_size > 8 << 20:
            with open(p, "rb") as fh:
                head = fh.read(1 << 20)
                fh.seek(-(1 << 20), os.SEEK_END)
                tail = fh.read()
            out[str(p.relative_to(folder))] = (f"{st.st_size}:{st.st_mtime_ns}:" +
                                               hashlib.sha256(head + tail).hexdigest())
        else:
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _zip_bomb(path: Path) -> None:
    """A valid-looking XLSX whose one worksheet inflates to more than the uncompressed limit."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                           'package/2006/content-types"/>')
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b" " * (8 << 20)
            for _ in range(MAX_XLSX_MB // 8 + 2):
                fh.write(block)


def _assemble(case: dict[str, str], dest: Path, bomb: Path) -> None:
    shutil.copytree(BASE, dest)
    for name in filter(None, case["remove"].split(";")):
        (dest / name).unlink()
    for p in (BAD / case["case_id"]).iterdir():
        if p.name != "README.txt":
            shutil.copyfile(p, dest / p.name)
    if case["generated"] == "oversized_csv":
        with open(dest / case["file"], "wb") as fh:  # sparse: no disk space used
            fh.truncate((MAX_FILE_MB + 1) << 20)
    elif case["generated"] == "zip_bomb":
        shutil.copyfile(bomb, dest / case["file"])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Assemble every case, run ``workbook validate`` in both languages, collect the results."""
    corpus_before = _fingerprint(BAD)
    root = tmp_path_factory.mktemp("bad")
    bomb = root / "bomb.xlsx"
    _zip_bomb(bomb)
    env = {**os.environ, "XDG_CONFIG_HOME": str(root / "config"), "APPDATA": str(root / "config"),
           "WORKBOOK_PSEUDONYM_KEY": "kunci-uji-bukan-rahasia-0123456789"}
    env.pop("WORKBOOK_SETTINGS", None)
    jobs, before = [], {}
    for case in CASES:
        d = root / "cases" / case["case_id"]
        _assemble(case, d, bomb)
        before[case["case_id"]] = _fingerprint(d)
        for lang in ("id", "en"):
            o = root / "out" / f"{case['case_id']}.{lang}"
            o.parent.mkdir(parents=True, exist_ok=True)
            jobs.append({"case": case["case_id"], "lang": lang, "stdout": f"{o}.stdout", "stderr": f"{o}.stderr",
                         "report": f"{o}.csv", "args": [str(d), "--lang", lang, "--output", f"{o}.csv"]})
    if hasattr(os, "fork"):
        parts = [jobs[k::2] for k in range(2)]
        procs = []
        for k, part in enumerate(parts):
            jf, rf = root / f"jobs{k}.json", root / f"codes{k}.json"
            jf.write_text(json.dumps(part), encoding="utf-8")
            procs.append(subprocess.Popen([sys.executable, "-c", RUNNER, str(jf), str(rf), str(BASE),
                                           str(root / f"warm{k}.csv")], env=env, cwd=root))
        for p in procs:
            p.wait(timeout=1800)  # 684 validate runs; a loaded 2-core machine needs more than 10 minutes
        for k, part in enumerate(parts):
            for job, rc in zip(part, json.loads((root / f"codes{k}.json").read_text()), strict=True):
                job["rc"] = rc
    else:  # pragma: no cover - Windows: one real process per run
        for job in jobs:
            with open(job["stdout"], "wb") as fo, open(job["stderr"], "wb") as fe:
                job["rc"] = subprocess.run(_workbook_cmd() + ["validate", *job["args"]], stdout=fo, stderr=fe,
                                           env=env, cwd=root, timeout=120).returncode
    # the first case of each class again, through the real console script
    firsts: dict[str, str] = {}
    for case in CASES:
        firsts.setdefault(case["failure_class"], case["case_id"])
    langs = {cid: ("id", "en")[k % 2] for k, cid in enumerate(firsts.values()) if k % 2 == 0 or k < 4}
    real_jobs = [j for j in jobs if langs.get(j["case"]) == j["lang"]]

    def real(job: dict) -> tuple[int, str, str]:
        args = [a if a != job["report"] else job["report"] + ".real.csv" for a in job["args"]]
        r = subprocess.run(_workbook_cmd() + ["validate", *args], capture_output=True, text=True, env=env,
                           cwd=root, timeout=120)
        return r.returncode, r.stdout, r.stderr

    with ThreadPoolExecutor(max_workers=2) as pool:
        real_out = dict(zip([(j["case"], j["lang"]) for j in real_jobs], pool.map(real, real_jobs), strict=True))
    after = {cid: _fingerprint(root / "cases" / cid) for cid in before}
    by_case: dict[str, dict] = {}
    for job in jobs:
        job["out"] = Path(job["stdout"]).read_text(encoding="utf-8", errors="replace")
        job["err"] = Path(job["stderr"]).read_text(encoding="utf-8", errors="replace")
        rp = Path(job["report"])
        job["rows"] = (pd.read_csv(rp, dtype=str, keep_default_na=False, encoding="utf-8-sig")
                       if rp.is_file() else None)
        by_case.setdefault(job["case"], {})[job["lang"]] = job
    return {"by_case": by_case, "before": before, "after": after, "real": real_out,
            "corpus_before": corpus_before, "corpus_after": _fingerprint(BAD)}


def test_corpus_is_large_and_covers_every_table_and_class():
    from workbook.core.schema import TABLES

    assert len(CASES) >= 60
    tables = {c["table"] for c in CASES}
    assert set(TABLES) | {"instansi"} <= tables
    classes = {c["failure_class"] for c in CASES}
    assert {"missing_column", "renamed_column", "text_in_number", "out_of_range", "duplicate_id", "unmatched_id",
            "empty_file", "header_only", "wrong_encoding", "excel_merged_formula", "csv_injection", "oversized",
            "zip_bomb", "xml_attack", "invalid_value", "missing_file"} <= classes
    for name in TABLES:  # every table meets the classes that apply to any table
        got = {c["failure_class"] for c in CASES if c["table"] == name}
        assert {"missing_column", "renamed_column", "empty_file", "header_only", "wrong_encoding",
                "excel_merged_formula", "csv_injection"} <= got, name
    for cls in ("oversized", "zip_bomb"):  # built at test time: CSV-only and preset-detected tables
        assert {"pegawai", "survei_pegawai", "katalog_program"} <= {c["table"] for c in CASES
                                                                    if c["failure_class"] == cls}
    assert len({c["case_id"] for c in CASES}) == len(CASES)
    for c in CASES:
        assert (BAD / c["case_id"]).is_dir(), c["case_id"]
        assert c["generated"] or any((BAD / c["case_id"]).iterdir())
    # the generated files are never committed
    assert not [p for p in BAD.rglob("*") if p.is_file() and p.stat().st_size > 1 << 20]


def test_xlsx_parsing_uses_defusedxml():
    """openpyxl parses XLSX XML through defusedxml (no entity expansion, no external entities)."""
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True


def test_base_agency_is_clean():
    from workbook.ingest.validate import validate

    rep = validate(BASE)
    assert rep.problems == []


@pytest.mark.parametrize("case", CASES, ids=[c["case_id"] for c in CASES])
def test_case(case, runs):
    res = runs["by_case"][case["case_id"]]
    want_exit = int(case["exit"])
    for lang in ("id", "en"):
        job = res[lang]
        text = job["out"] + job["err"]
        assert "Traceback" not in text, text
        assert job["rc"] == want_exit, (lang, job["rc"], text)
        rows = job["rows"]
        assert rows is not None, text
        # the saved report escapes formula-like text (the injected values are echoed in it)
        assert not [v for v in rows.to_numpy().ravel() if str(v).startswith(("=", "+", "-", "@"))]
        if not case["expected_code"]:
            assert not (rows["severity"] == "error").any(), rows
            continue
        hit = rows[(rows["code"] == case["expected_code"]) & (rows["file"] == case["file"]) &
                   (rows["row"] == case["row"]) & (rows["column"] == case["column"])]
        assert len(hit) >= 1, (lang, rows[["code", "file", "row", "column"]].to_string())
        assert set(hit["severity"]) == {case["severity"]}
        base_text = CODE_TEXT[case["expected_code"]][1 if lang == "id" else 2]
        assert all(m.startswith(base_text.split(";")[0]) for m in hit["message"]), (base_text, hit["message"].tolist())
        label = {"id": {"error": "KESALAHAN", "warning": "PERINGATAN"},
                 "en": {"error": "ERROR", "warning": "WARNING"}}[lang][case["severity"]]
        loc = ((f" | {'baris' if lang == 'id' else 'row'} {case['row']}" if case["row"] else "") +
               (f" | {'kolom' if lang == 'id' else 'column'} {case['column']}" if case["column"] else ""))
        line = f"{label} [{case['expected_code']}] | {'berkas' if lang == 'id' else 'file'} {case['file']}{loc}"
        assert line in job["out"], (line, job["out"])
    if case["expected_code"]:
        assert res["id"]["rows"]["message"].tolist() != res["en"]["rows"]["message"].tolist()
    assert runs["after"][case["case_id"]] == runs["before"][case["case_id"]], "input bytes changed"


def test_real_console_script_agrees_with_forked_runs(runs):
    assert len(runs["real"]) >= 8 and {lang for _, lang in runs["real"]} == {"id", "en"}
    for (cid, lang), (rc, out, err) in runs["real"].items():
        job = runs["by_case"][cid][lang]
        assert "Traceback" not in out + err
        assert (rc, out) == (job["rc"], job["out"]), cid


def test_committed_corpus_unchanged(runs):
    assert runs["corpus_after"] == runs["corpus_before"]


def test_print_coverage_matrix(runs, capsys):
    tables = list(dict.fromkeys(c["table"] for c in CASES))
    classes = list(dict.fromkeys(c["failure_class"] for c in CASES))
    n = Counter((c["table"], c["failure_class"]) for c in CASES)
    runs_total = sum(len(v) for v in runs["by_case"].values())
    lines = ["| table | " + " | ".join(classes) + " | total |", "|---" * (len(classes) + 2) + "|"]
    for t in tables:
        lines.append(f"| {t} | " + " | ".join(str(n[(t, k)] or "–") for k in classes) +
                     f" | {sum(n[(t, k)] for k in classes)} |")
    lines.append("| **total** | " + " | ".join(str(sum(n[(t, k)] for t in tables)) for k in classes) +
                 f" | {len(CASES)} |")
    sev = Counter(c["severity"] for c in CASES)
    with capsys.disabled():
        print(f"\nbad-input corpus: {len(CASES)} cases ({sev['error']} errors, {sev['warning']} warnings, "
              f"{sev['none']} accepted), {runs_total} validate runs (id + en), "
              f"{len(runs['real'])} through the console script")
        print("\n".join(lines))
    assert sum(n.values()) == len(CASES)
