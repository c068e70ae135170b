"""One way to resolve data, output and settings paths under JupyterLab, papermill, nbval and Voilà.

Those runners start kernels in different working directories (nbval and Voilà in the notebook's
folder, papermill in the caller's), so notebooks never build paths themselves. Every path
parameter defaults to ``None`` and is resolved in this order:

1. the value given (absolute; or relative — tried against the working directory, then the
   repository root);
2. an environment variable (``WORKBOOK_DATA_DIR``, ``WORKBOOK_OUTPUT_DIR``, ``WORKBOOK_SETTINGS``);
3. the repository's sample folder ``data_samples/contoh`` and output folder ``outputs``.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbook.core.exceptions import SettingsError

__all__ = ["repo_root", "resolve_data_dir", "resolve_output_dir", "resolve_settings_file",
           "notebooks_dir", "ENV_DATA", "ENV_OUTPUT", "ENV_SETTINGS"]

ENV_DATA = "WORKBOOK_DATA_DIR"
ENV_OUTPUT = "WORKBOOK_OUTPUT_DIR"
ENV_SETTINGS = "WORKBOOK_SETTINGS"


def repo_root() -> Path:
    """The repository root: the folder holding ``pyproject.toml`` above the package, else the cwd."""
    here = Path(__file__).resolve().parent
    for p in (here, *here.parents):
        if (p / "pyproject.toml").is_file() and (p / "workbook").is_dir():
            return p
    return Path.cwd()


def notebooks_dir() -> Path:
    return repo_root() / "notebooks"


def _resolve(value: str | os.PathLike | None, env: str, default: Path | None) -> Path | None:
    if value is None or str(value) == "":
        value = os.environ.get(env) or None
    if value is None:
        return default
    p = Path(value).expanduser()
    if p.is_absolute():
        return p
    for base in (Path.cwd(), repo_root()):
        if (base / p).exists():
            return (base / p).resolve()
    return (repo_root() / p).resolve()


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The agency's input folder (must exist)."""
    p = _resolve(data_dir, ENV_DATA, repo_root() / "data_samples" / "contoh")
    if p is None or not p.is_dir():
        raise SettingsError(
            f"Folder data tidak ditemukan: {p}", f"Data folder not found: {p}",
            column="data_dir", value=str(p),
        )
    return p


def resolve_output_dir(output_dir: str | os.PathLike | None = None) -> Path:
    """The output root (created when needed); never inside the data folder."""
    p = _resolve(output_dir, ENV_OUTPUT, repo_root() / "outputs")
    assert_not_input = os.environ.get(ENV_DATA)
    if assert_not_input and Path(assert_not_input).resolve() in (p.resolve(), *p.resolve().parents):
        raise SettingsError(
            "Folder keluaran tidak boleh berada di dalam folder data masukan.",
            "The output folder must not be inside the input data folder.",
            column="output_dir", value=str(p),
        )
    return p


def resolve_settings_file(settings_file: str | os.PathLike | None = None) -> Path | None:
    p = _resolve(settings_file, ENV_SETTINGS, None)
    if p is not None and not p.is_file():
        raise SettingsError(
            f"Berkas pengaturan tidak ditemukan: {p}", f"Settings file not found: {p}",
            column="settings_file", value=str(p),
        )
    return p
