"""Settings: every threshold, scale and table the workbook uses, with its source.

The defaults live in ``workbook/defaults.yaml`` (each entry ``value`` + ``source``). An agency
passes its own copy (``--settings FILE`` on the command line, ``settings_file`` in notebooks);
the copy may give full entries or plain values, and only needs the keys it changes. Unknown keys
and ill-typed values are refused with a :class:`~workbook.core.exceptions.SettingsError` before any
computation.

>>> s = load_settings()
>>> s["jp.minimum_pns"]
20
>>> s.source("ahp.cr_max").startswith("Saaty")
True
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from workbook.core.exceptions import SettingsError

__all__ = ["Settings", "load_settings", "DEFAULTS_PATH"]

DEFAULTS_PATH = Path(str(resources.files("workbook.core") / "defaults.yaml"))


def _is_entry(node: Any) -> bool:
    return isinstance(node, dict) and "value" in node and "source" in node


def _flatten(tree: dict, prefix: str = "") -> dict[str, dict]:
    out: dict[str, dict] = {}
    for key, node in tree.items():
        if key == "schema_version":
            continue
        dotted = f"{prefix}{key}"
        if _is_entry(node):
            out[dotted] = node
        elif isinstance(node, dict):
            out.update(_flatten(node, dotted + "."))
        else:
            raise SettingsError(
                f"Entri pengaturan bawaan '{dotted}' tidak punya 'value' dan 'source'.",
                f"Default setting '{dotted}' lacks 'value' and 'source'.",
            )
    return out


def _same_kind(default: Any, new: Any) -> bool:
    if default is None or new is None:
        return True
    if isinstance(default, bool):
        return isinstance(new, bool)
    if isinstance(default, (int, float)):
        return isinstance(new, (int, float)) and not isinstance(new, bool)
    if isinstance(default, str):
        return isinstance(new, str)
    if isinstance(default, list):
        return isinstance(new, list)
    if isinstance(default, dict):
        return isinstance(new, dict)
    return True


@dataclass
class Settings:
    """Resolved settings: ``settings["a.b"]`` gives the value; ``.source(key)`` its source.

    Attributes
    ----------
    path : str or None
        The agency's settings file, or None when only the defaults are used.
    sha256 : str
        Hash of the resolved values (stable across key order), printed in reports and manifests.
    overridden : list of str
        Keys whose value differs from the default.
    """

    entries: dict[str, dict]
    path: str | None = None
    overridden: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> Any:
        try:
            return self.entries[key]["value"]
        except KeyError:
            raise SettingsError(
                f"Pengaturan '{key}' tidak dikenal.", f"Unknown setting '{key}'."
            ) from None

    def get(self, key: str, default: Any = None) -> Any:
        return self.entries[key]["value"] if key in self.entries else default

    def source(self, key: str) -> str:
        return self.entries[key]["source"]

    def note(self, key: str) -> str | None:
        return self.entries[key].get("note")

    def entry(self, key: str) -> dict:
        return self.entries[key]

    def keys(self) -> list[str]:
        return list(self.entries)

    @property
    def values(self) -> dict[str, Any]:
        return {k: v["value"] for k, v in self.entries.items()}

    @property
    def sha256(self) -> str:
        blob = json.dumps(self.values, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def with_overrides(self, overrides: dict[str, Any]) -> Settings:
        """A copy with dotted-key overrides applied (validated like a settings file)."""
        new = Settings(copy.deepcopy(self.entries), self.path, list(self.overridden))
        for key, value in overrides.items():
            new._set(key, value, origin="overrides")
        return new

    def table(self) -> list[dict[str, Any]]:
        """Rows (key, value, source, changed) for the 'settings used' section of reports."""
        return [
            {"key": k, "value": v["value"], "source": v["source"], "changed": k in self.overridden}
            for k, v in self.entries.items()
        ]

    def _set(self, key: str, value: Any, origin: str) -> None:
        if key not in self.entries:
            close = [k for k in self.entries if k.split(".")[-1] == key.split(".")[-1]]
            hint = f" (maksud Anda: {close[0]}?)" if close else ""
            hint_en = f" (did you mean {close[0]}?)" if close else ""
            raise SettingsError(
                f"{origin}: pengaturan '{key}' tidak dikenal{hint}.",
                f"{origin}: unknown setting '{key}'{hint_en}.",
                file=origin, column=key,
            )
        default = self.entries[key]["value"]
        if not _same_kind(default, value):
            raise SettingsError(
                f"{origin}: pengaturan '{key}' harus bertipe {type(default).__name__}, "
                f"bukan {type(value).__name__} ({value!r}).",
                f"{origin}: setting '{key}' must be of type {type(default).__name__}, "
                f"not {type(value).__name__} ({value!r}).",
                file=origin, column=key, value=value, expected=type(default).__name__,
            )
        if value != default and key not in self.overridden:
            self.overridden.append(key)
        self.entries[key]["value"] = value


def _walk_override(tree: dict, prefix: str, known: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, node in tree.items():
        if key == "schema_version":
            continue
        dotted = f"{prefix}{key}"
        if isinstance(node, dict) and "value" in node:
            out[dotted] = node["value"]
        elif isinstance(node, dict) and dotted not in known:
            out.update(_walk_override(node, dotted + ".", known))
        else:
            out[dotted] = node
    return out


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Load the defaults, then the agency's file at ``path`` (if given), then ``overrides``.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file shaped like ``defaults.yaml``; entries may be full (``value``/``source``) or
        plain values, nested or dotted (``jp.minimum_pns: 24``).
    **overrides
        Dotted keys with ``__`` for dots, e.g. ``jp__minimum_pns=24`` (for tests and notebooks).

    Raises
    ------
    SettingsError
        File missing or not YAML, unknown key, or a value of the wrong type.
    """
    with open(DEFAULTS_PATH, encoding="utf-8") as fh:
        defaults = yaml.safe_load(fh)
    settings = Settings(_flatten(defaults))
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise SettingsError(
                f"Berkas pengaturan tidak ditemukan: {p}", f"Settings file not found: {p}", file=str(p)
            )
        try:
            with open(p, encoding="utf-8-sig") as fh:
                user = yaml.safe_load(fh) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise SettingsError(
                f"Berkas pengaturan bukan YAML yang sah: {exc}",
                f"Settings file is not valid YAML: {exc}",
                file=str(p), row=(mark.line + 1) if mark else None,
            ) from None
        if not isinstance(user, dict):
            raise SettingsError(
                "Berkas pengaturan harus berisi pemetaan kunci: nilai.",
                "The settings file must contain a mapping of key: value.", file=str(p),
            )
        settings.path = str(p)
        for key, value in _walk_override(user, "", set(settings.entries)).items():
            settings._set(key, value, origin=p.name)
    for key, value in overrides.items():
        settings._set(key.replace("__", "."), value, origin="overrides")
    return settings


def settings_md(settings: Settings | None = None) -> str:
    """The settings table as Markdown (``docs/settings.md``): key, default value, source, note."""
    s = settings or load_settings()
    out = ["# Pengaturan / Settings", "",
           "Generated from `workbook/core/defaults.yaml` (`python -m workbook.core.settings`). An agency copies that file,",
           "changes values and passes it with `--settings FILE` (CLI) or `settings_file` (notebooks). Reports and",
           "manifests record the file's path and the SHA-256 of the resolved values.", "",
           "| key | default | source / sumber | note |", "|---|---|---|---|"]
    for k in s.keys():
        val = json.dumps(s[k], ensure_ascii=False)
        out.append(f"| `{k}` | `{val}` | {s.source(k)} | {s.note(k) or ''} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(settings_md())
