"""The one hostile agency that ``tests/report/test_hostile_agency.py`` and ``test_injection.py`` share.

Both modules used to generate an agency of their own and run the whole yearly cycle on it (stage
notebooks, stage chapters, agency and unit reports in HTML, PDF and XLSX): about 5 and 3 minutes
on the 2-core CI machine. They now read one run (:func:`build_hostile_run`, a session fixture in
``tests/conftest.py``):

1. a 300-employee sample agency (seed 5) is written and made hostile by
   :func:`workbook.sample.hostile.make_hostile` (its markup payloads with marker numbers, planted
   names, NIPs and contacts, formula starts in every free-text and name field);
2. :func:`plant_injection` then adds the security review's payloads (2026-12, findings 1.1–1.5,
   :data:`INJECTION_PAYLOADS`) to the fields the review found executing — appended at the end of
   the values, so both sets sit in the data and each test still finds its own;
3. ``workbook report`` (the command ``make report`` calls) runs on it in a subprocess, the agency
   and :data:`UNIT` in HTML, PDF and XLSX, with every HTTP(S) request sent to a recording proxy
   (:class:`Recorder`).

The run's folders are shared: treat them as read-only (copy them to write, as the dashboard test does).
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import yaml
from _paths import ROOT

#: the unit whose report is rendered besides the agency's (its name carries injection payloads)
UNIT = "DINSOS"
YEAR = 2027
#: the security review's payloads, each with its own marker number (which field executed)
INJECTION_PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img": "<img src=x onerror=alert(2)>",
    "svg": '"><svg onload=alert(3)>',
    "link": "[klik](http://evil.example/x)",
    "image": "![i](http://evil.example/i.png)",
    "js": "[buka](javascript:alert(4))",
    "formula": '=HYPERLINK("http://evil.example/f","klik")',
}


class Recorder(http.server.BaseHTTPRequestHandler):
    """A proxy that answers every request with 502 and remembers it."""

    seen: list[str] = []

    def _any(self) -> None:
        type(self).seen.append(f"{self.command} {self.path}")
        self.send_response(502)
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = _any  # noqa: N815

    def log_message(self, *args) -> None:  # quiet
        pass


def start_proxy() -> tuple[http.server.ThreadingHTTPServer, str, list[str]]:
    """The recording proxy, serving on a free loopback port: (server, its URL, the requests seen)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}", Recorder.seen


def plant_injection(data: Path) -> dict[str, list[str]]:
    """Append :data:`INJECTION_PAYLOADS` to the agency's fields; returns field -> the planted values.

    The agency name, the unit names of :data:`UNIT` and of the first other unit, and one programme
    name in seven are set whole (the programme name to the bare formula); every filled L1 comment,
    interview summary, open survey answer, ROI note and unit-indicator name gets one payload at
    its end. CSV is written with CRLF line ends, as :mod:`workbook.sample.hostile` writes it (a CR
    inside a value is then quoted).
    """
    planted: dict[str, list[str]] = {}
    kinds = list(INJECTION_PAYLOADS)
    P = INJECTION_PAYLOADS

    def csv(name: str) -> tuple[Path, pd.DataFrame]:
        p = data / f"{name}.csv"
        return p, pd.read_csv(p, dtype=str, keep_default_na=False)

    def write(df: pd.DataFrame, p: Path) -> None:
        df.to_csv(p, index=False, lineterminator="\r\n")

    meta_p = data / "instansi.yaml"
    meta = yaml.safe_load(meta_p.read_text(encoding="utf-8"))
    meta["nama_instansi"] = f"{meta['nama_instansi']} Hostil {P['img']} {P['script']}"
    meta_p.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    planted["nama_instansi"] = [meta["nama_instansi"]]

    p, df = csv("pegawai")
    df.loc[df["kode_unit"] == UNIT, "nama_unit"] = f"Dinas Sosial {P['img']} {P['link']}"
    other = sorted(set(df["kode_unit"]) - {UNIT})[0]
    df.loc[df["kode_unit"] == other, "nama_unit"] = f"{P['script']}Bagian {P['svg']}"
    write(df, p)
    planted["nama_unit"] = [df.loc[df["kode_unit"] == u, "nama_unit"].iloc[0] for u in (UNIT, other)]

    p, df = csv("katalog_program")
    df["nama_program"] = [P["formula"] if kinds[i % len(kinds)] == "formula" else
                          f"{name} {P[kinds[i % len(kinds)]]}"
                          for i, name in enumerate(df["nama_program"])]
    write(df, p)
    planted["nama_program"] = list(df["nama_program"])

    def append(name: str, column: str) -> None:
        p, df = csv(name)
        rows = df.index[df[column].str.strip() != ""]
        df.loc[rows, column] = [f"{v} {P[kinds[j % len(kinds)]]}" for j, v in enumerate(df.loc[rows, column])]
        write(df, p)
        planted[f"{name}.{column}"] = list(df.loc[rows, column])

    append("evaluasi_l1", "komentar")
    append("wawancara", "ringkasan")
    append("survei_pegawai", "kebutuhan_lain")
    append("roi_manfaat", "keterangan")

    p, df = csv("indikator_unit")
    names = sorted(set(df["indikator"]))
    mapping = {n: f"{n} {P[kinds[i % len(kinds)]]}" for i, n in enumerate(names)}
    df["indikator"] = df["indikator"].map(mapping)
    write(df, p)
    planted["indikator_unit.indikator"] = list(mapping.values())
    return planted


def build_hostile_run(base: Path, proxy_url: str) -> dict:
    """Write the hostile agency under ``base`` and run ``workbook report`` on it (see the module)."""
    from workbook.sample.hostile import make_hostile
    from workbook.sample.write import write_agency

    write_agency(base / "contoh", 300, seed=5, plan_year=YEAR, years=1, fmt="csv", overwrite=True)
    info = make_hostile(base / "contoh", base / "data", seed=5)
    planted = plant_injection(base / "data")
    out = base / "out"
    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND",)}
    env.update(XDG_CONFIG_HOME=str(base / "xdg"), http_proxy=proxy_url, https_proxy=proxy_url,
               HTTP_PROXY=proxy_url, HTTPS_PROXY=proxy_url, no_proxy="", NO_PROXY="")
    run = subprocess.run(
        [sys.executable, "-m", "workbook.cli", "report", "--data", str(base / "data"), "--out", str(out),
         "--units", UNIT, "--formats", "html,pdf,xlsx", "--jobs", "1", "--no-progress"],
        cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=900)
    return {"base": base, "data": base / "data", "out": out, "year": out / str(YEAR), "info": info,
            "planted": planted, "run": run, "unit": UNIT, "env": env}
