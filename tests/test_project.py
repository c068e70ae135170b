"""The project's promises about itself: layout, lock, environment.yml, generated docs, Makefile."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml
from _paths import ROOT


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"unpinned line in requirements.lock: {line}"
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_required_layout():
    for p in ("notebooks", "workbook", "data_samples", "environment.yml", "tests", "README.md",
              "pyproject.toml", "requirements.lock", "docs", "bench", ".ci/run", "Makefile"):
        assert (ROOT / p).exists(), p


def test_lock_pins_every_named_and_declared_dependency():
    pins = _lock()
    named = ["jupyterlab", "ipywidgets", "voila", "pandas", "scikit-learn", "matplotlib", "papermill", "nbval",
             "pyarrow", "dask", "distributed", "hypothesis", "weasyprint", "playwright", "pysastrawi", "babel",
             "openpyxl", "defusedxml", "pytest"]
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for dep in named + [re.split(r"[<>=!~ ]", d)[0] for d in declared]:
        assert re.sub(r"[-_.]+", "-", dep).lower() in pins, dep


def test_lock_pins_every_line_of_requirements_in():
    pins = _lock()
    wanted = [line.split("#")[0].strip() for line in (ROOT / "requirements.in").read_text().splitlines()]
    for dep in filter(None, wanted):
        assert re.sub(r"[-_.]+", "-", re.split(r"[<>=!~ \[]", dep)[0]).lower() in pins, dep


def _recipe(target: str) -> str:
    """The command lines of ``target`` in the Makefile."""
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    body = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        body.append(line)
    return "\n".join(body)


def test_make_test_and_lint_check_the_import_contracts_and_near_copies():
    assert "lint-imports" in _recipe("test")  # CI fails on an upward or sideways import
    lint = _recipe("lint")
    for tool in ("ruff check", "lint-imports", "pylint workbook"):
        assert tool in lint, tool
    pylint = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pylint"]
    assert pylint["messages control"]["enable"] == ["duplicate-code"]
    assert pylint["similarities"]["min-similarity-lines"] == 6


def test_environment_yml_installs_exactly_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    pip_section = next(d for d in deps if isinstance(d, dict))["pip"]
    assert pip_section == ["-r requirements.lock", "-e ."]
    conda_pkgs = [d for d in deps if isinstance(d, str)]
    # only python and pip come from conda: nothing there can disagree with the lock
    assert sorted(re.split(r"[=<> ]", d)[0] for d in conda_pkgs) == ["pip", "python"]
    py = next(d for d in conda_pkgs if d.startswith("python"))
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert py.split("=")[1] >= requires.lstrip(">=")


def test_installed_versions_match_the_lock():
    from importlib.metadata import version

    pins = _lock()
    for name in ("pandas", "numpy", "scikit-learn", "voila", "papermill", "nbval", "ipywidgets"):
        assert version(name) == pins[name], name


def test_generated_docs_are_current():
    from workbook.core.settings import settings_md
    from workbook.pipeline import data_md

    # the generated contracts, then the codes of the artefacts from each stage's words.codes_md()
    assert (ROOT / "docs" / "data.md").read_text() == data_md() + "\n"
    assert (ROOT / "docs" / "settings.md").read_text() == settings_md() + "\n"


def test_make_lists_targets():
    out = re.sub(r"\x1b\[[0-9;]*m", "", subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    for target in ("report", "test", "lab", "dashboard", "bench", "lint"):
        assert re.search(rf"\b{target}\b", out), target


def test_cli_help_and_unknown_command():
    run = [sys.executable, "-m", "workbook.cli"]
    ok = subprocess.run(run + ["--help"], capture_output=True, text=True)
    assert ok.returncode == 0 and "validate" in ok.stdout and "report" in ok.stdout
    bad = subprocess.run(run + ["frobnicate"], capture_output=True, text=True)
    assert bad.returncode == 2 and "tidak dikenal" in bad.stderr and "Traceback" not in bad.stderr


def test_no_posix_only_calls_in_package():
    forbidden = re.compile(r"\bos\.(fork|geteuid|getuid|chown|killpg|setsid)\b|\bimport (fcntl|pwd|grp|termios)\b")
    for p in (ROOT / "workbook").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        if "import msvcrt" in text:  # a file with a Windows branch may lock files with fcntl on POSIX
            text = text.replace("import fcntl", "")
        assert not forbidden.search(text), p


def test_public_api_resolves_and_stays_light():
    import workbook

    for name in workbook.__all__:
        assert getattr(workbook, name) is not None, name
    code = "import sys, workbook; print('sklearn' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]  # the CLI's `import workbook` does not pull in the stack
