"""The parameter set every notebook shares, validated, and the resolved run context.

Notebooks' first code cell (tagged ``parameters``) holds exactly these literals::

    data_dir: str | None = None       # folder data instansi (None: WORKBOOK_DATA_DIR atau data_samples/contoh)
    output_dir: str | None = None     # folder keluaran (None: WORKBOOK_OUTPUT_DIR atau outputs/)
    year: int | None = None           # tahun rencana (None: dari instansi.yaml)
    unit: str | None = None           # kode unit kerja untuk tampilan (None: seluruh instansi)
    lang: str = "id"                  # bahasa: "id" atau "en"
    interactive: bool = True          # widget (JupyterLab/Voilà) atau keluaran statis (papermill)
    settings_file: str | None = None  # berkas pengaturan instansi (None: bawaan)

Unknown or ill-typed parameters are rejected (:func:`check_params`) before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from workbook.core.exceptions import SettingsError
from workbook.core.i18n import check_lang
from workbook.core.paths import resolve_data_dir, resolve_output_dir, resolve_settings_file
from workbook.core.settings import Settings, load_settings

__all__ = ["PARAMETERS", "check_params", "Context", "open_context", "read_instansi"]

# name: (allowed python types, default, description id, description en)
PARAMETERS: dict[str, tuple[tuple[type, ...], Any, str, str]] = {
    "data_dir": ((str, type(None)), None, "folder data instansi", "agency data folder"),
    "output_dir": ((str, type(None)), None, "folder keluaran", "output folder"),
    "year": ((int, type(None)), None, "tahun rencana", "plan year"),
    "unit": ((str, type(None)), None, "kode unit kerja (kosong: seluruh instansi)", "work unit code (none: whole agency)"),
    "lang": ((str,), "id", "bahasa: id atau en", "language: id or en"),
    "interactive": ((bool,), True, "widget interaktif atau keluaran statis", "interactive widgets or static output"),
    "settings_file": ((str, type(None)), None, "berkas pengaturan instansi", "agency settings file"),
}


def check_params(params: dict[str, Any], extra: dict[str, tuple] | None = None) -> dict[str, Any]:
    """Refuse unknown or ill-typed notebook parameters (an error, never a warning)."""
    spec = {**PARAMETERS, **(extra or {})}
    for name, value in params.items():
        if name not in spec:
            raise SettingsError(
                f"Parameter tidak dikenal: '{name}'. Parameter yang sah: {', '.join(spec)}.",
                f"Unknown parameter: '{name}'. Valid parameters: {', '.join(spec)}.",
                column=name, value=value,
            )
        types = spec[name][0]
        if isinstance(value, bool) and bool not in types:
            ok = False
        else:
            ok = isinstance(value, types)
        if not ok:
            names = " | ".join("None" if t is type(None) else t.__name__ for t in types)
            raise SettingsError(
                f"Parameter '{name}' harus bertipe {names}, bukan {type(value).__name__} ({value!r}).",
                f"Parameter '{name}' must be {names}, not {type(value).__name__} ({value!r}).",
                column=name, value=value, expected=names,
            )
    if "lang" in params:
        check_lang(params["lang"])
    return {**{k: v[1] for k, v in spec.items()}, **params}


def read_instansi(data_dir: Path) -> dict[str, Any]:
    p = Path(data_dir) / "instansi.yaml"
    if not p.is_file():
        raise SettingsError(
            f"Berkas instansi.yaml tidak ada di {data_dir} (nama_instansi, tahun_rencana).",
            f"instansi.yaml is missing in {data_dir} (nama_instansi, tahun_rencana).", file=str(p),
        )
    try:
        meta = yaml.safe_load(p.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"instansi.yaml bukan YAML yang sah: {exc}", f"instansi.yaml is not valid YAML: {exc}",
                            file=str(p)) from None
    if not isinstance(meta.get("tahun_rencana"), int):
        raise SettingsError("instansi.yaml: 'tahun_rencana' harus bilangan bulat (mis. 2027).",
                            "instansi.yaml: 'tahun_rencana' must be a whole number (e.g. 2027).",
                            file=str(p), column="tahun_rencana", value=meta.get("tahun_rencana"))
    return meta


@dataclass
class Context:
    """Everything a stage needs to know about the run, resolved once."""

    data_dir: Path
    output_dir: Path
    year: int
    unit: str | None
    lang: str
    interactive: bool
    settings: Settings
    agency_name: str
    meta: dict
    #: table name → a file read instead of that table's file in ``data_dir`` (the upload page's
    #: session runs: ``dataclasses.replace(ctx, table_files={...})``); not a notebook parameter
    table_files: dict[str, Path] | None = None

    def params(self) -> dict[str, Any]:
        return {"data_dir": str(self.data_dir), "output_dir": str(self.output_dir), "year": self.year,
                "unit": self.unit, "lang": self.lang, "interactive": self.interactive,
                "settings_file": self.settings.path}


def open_context(data_dir=None, output_dir=None, year=None, unit=None, lang="id", interactive=True,
                 settings_file=None, **extra) -> Context:
    """Validate the notebook parameters and resolve paths, settings and the plan year."""
    params = check_params({"data_dir": data_dir, "output_dir": output_dir, "year": year, "unit": unit,
                           "lang": lang, "interactive": interactive, "settings_file": settings_file, **extra})
    ddir = resolve_data_dir(params["data_dir"])
    meta = read_instansi(ddir)
    settings = load_settings(resolve_settings_file(params["settings_file"]))
    return Context(
        data_dir=ddir,
        output_dir=resolve_output_dir(params["output_dir"]),
        year=int(params["year"] if params["year"] is not None else meta["tahun_rencana"]),
        unit=params["unit"] or None,
        lang=params["lang"],
        interactive=params["interactive"],
        settings=settings,
        agency_name=str(meta.get("nama_instansi", "")),
        meta=meta,
    )
