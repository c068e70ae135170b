"""``workbook serve``: the manager dashboards with Voilà, on 127.0.0.1 by default.

::

    workbook serve [--data DIR] [--out DIR] [--host 127.0.0.1] [--port 8866] [--pool-size N]
                   [--unit KODE] [--token TOKEN | --behind-proxy] [--max-kernels N]

What it does, in order:

1. resolves the data, output and settings paths and passes them to the kernels through the
   environment (``WORKBOOK_DATA_DIR``, ``WORKBOOK_OUTPUT_DIR``, ``WORKBOOK_SETTINGS``);
2. when the plan year's stage results are missing, builds them once with the same runner as
   ``workbook report`` (artefacts and HTML chapters; ``--build never`` skips this and the
   dashboards then say what to run);
3. starts Voilà on ``notebooks/dashboards/`` with preheated kernels (``--pool-size``, setting
   ``dashboard.pool_size``; refilled at once when a burst of viewers empties a pool, see
   :mod:`workbook.ui.pool`), ``show_tracebacks=False``, ``strip_sources=True``, the jupytext
   extension excluded, **no file served** (``file_allowlist`` empty: downloads are built in memory,
   see :mod:`workbook.ui.download`), and ``/`` redirected to the landing page;
4. prints the address in Indonesian and English.

The server cannot be exhausted or tripped by page requests (:mod:`workbook.ui.guard`): at most
``dashboard.max_kernels`` viewers' kernels (beyond: a "coba lagi sebentar" page, HTTP 503 with
``Retry-After``), kernels whose page never connected culled after ``dashboard.unconnected_cull_s``,
odd paths answered 404, and with ``--unit KODE`` every link limited to one unit. Pages load
nothing from the internet: the ``workbook`` Voilà template (``workbook/ui/jupyter/``) is Voilà's
lab template without its Font Awesome CDN links (the icons are in Voilà's own bundle).

Voilà has no login of its own. On anything other than a loopback address ``workbook serve``
refuses to start unless an access control is configured: ``--token`` (or the environment
variable ``WORKBOOK_SERVE_TOKEN``, or the setting ``dashboard.token``), or ``--behind-proxy``,
which states that a reverse proxy or JupyterHub in front authenticates every request
(``docs/deployment.md``).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import sys
from pathlib import Path

from workbook.core.exceptions import WorkbookError
from workbook.core.i18n import t

__all__ = ["main", "voila_argv", "dashboards_dir", "ensure_results", "DEFAULTS", "TEMPLATE", "template_root",
           "is_loopback", "ENV_TOKEN", "websocket_max_bytes"]

#: the Voilà template of the dashboards (Voilà's "lab" without outside requests)
TEMPLATE = "workbook"
#: environment variable holding the access token (kept out of the process list)
ENV_TOKEN = "WORKBOOK_SERVE_TOKEN"

#: settings read with ``s.get(key, default)`` until they are added to ``defaults.yaml``
DEFAULTS = {
    "dashboard.pool_size": 2,        # preheated kernels per dashboard notebook (about 200 MB each)
    "dashboard.fill_delay_s": 10.0,  # wait before refilling the pool, so refills do not compete with page loads
    "dashboard.cull_idle_s": 600,    # shut down a kernel idle this long (Voilà does not on page exit)
    "dashboard.port": 8866,
    "dashboard.iopub_timeout_s": 60,  # nbclient's 4 s drops a busy kernel's widget output: blank page
    "dashboard.max_kernels": 20,      # viewers' kernels at once; beyond: "coba lagi sebentar", HTTP 503
    "dashboard.unconnected_cull_s": 60,  # a viewer's kernel whose page never connected
    "dashboard.retry_after_s": 30,    # Retry-After of the busy page
    "dashboard.unit": None,           # unit scope of this server (--unit)
    "dashboard.token": "",            # access token (--token); needed on a non-loopback address
}


def template_root() -> Path:
    """The Jupyter data folder holding the ``workbook`` Voilà template (put first on JUPYTER_PATH)."""
    return Path(__file__).resolve().parent / "jupyter"


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``.

    >>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0"), is_loopback("10.1.2.3")
    (True, True, False, False)
    """
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def dashboards_dir() -> Path:
    from workbook.core.paths import notebooks_dir

    return notebooks_dir() / "dashboards"


def _setting(settings, key: str):
    return settings.get(key, DEFAULTS[key]) if settings is not None else DEFAULTS[key]


def voila_argv(*, host: str = "127.0.0.1", port: int = 8866, pool_size: int = 2, fill_delay: float = 10.0,
               cull_idle: int = 600, preheat: bool = True, root: Path | None = None,
               iopub_timeout: int = 60, unconnected_cull: int = 60, upload_max_mb: float = 8.0) -> list[str]:
    """The command-line arguments given to Voilà (also used by ``bench/dashboard.py``).

    The cull check runs often enough to stop a never-connected kernel within about a third of
    ``unconnected_cull`` after its deadline (every 60 s at most, every 5 s at least).
    """
    root = root or dashboards_dir()
    interval = max(5, min(60, int(unconnected_cull) // 3 or 60))
    argv = [
        str(root),
        f"--Voila.ip={host}",
        f"--Voila.port={int(port)}",
        "--Voila.port_retries=0",
        "--no-browser",
        "--show_tracebacks=False",
        "--strip_sources=True",
        "--VoilaConfiguration.extension_denylist=['jupyterlab-jupytext']",
        "--VoilaConfiguration.file_allowlist=[]",
        f"--template={TEMPLATE}",
        f"--MappingKernelManager.cull_interval={interval}",
        f"--MappingKernelManager.cull_idle_timeout={int(cull_idle)}",
        # nbclient waits 4 s for a cell's output after its reply, then drops it: under load the
        # dashboard's widgets were lost and the page stayed blank (bench/load.py)
        f"--VoilaExecutor.iopub_timeout={int(iopub_timeout)}",
        # the upload page's file travels in one websocket message: above Tornado's limit (10 MiB by
        # default) the page's kernel connection is closed before it can say "too large"
        "--Voila.tornado_settings=" + json.dumps({"websocket_max_message_size": websocket_max_bytes(upload_max_mb)}),
    ]
    if preheat and pool_size > 0:
        pools = {"default": {"pool_size": int(pool_size)}, "index.ipynb": {"pool_size": 1},
                 "unggah.ipynb": {"pool_size": 1}}
        argv += ["--preheat_kernel=True", f"--pool_size={int(pool_size)}",
                 f"--VoilaKernelManager.fill_delay={float(fill_delay)}",
                 f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}"]
    return argv


def websocket_max_bytes(upload_max_mb: float) -> int:
    """Tornado's websocket message limit for an upload limit: the upload plus a quarter and 1 MiB, at least 10 MiB."""
    return max(10 * 1048576, int(float(upload_max_mb) * 1.25 * 1048576) + 1048576)


def ensure_results(ctx, *, build: str = "auto", lang: str = "id") -> list[str]:
    """Build the plan year's stage results when missing (``build="auto"``); return what is still missing."""
    from workbook.ui.dashboard_data import missing_stages

    missing = missing_stages(ctx.output_dir, ctx.year)
    if not missing or build == "never":
        return missing
    print(t("ui.serve.building", lang, year=ctx.year), flush=True)
    from workbook.report.batch import run_stages

    results = run_stages({**ctx.params(), "interactive": False}, progress=True)
    for r in results:
        if r.status != "ok":
            print(f"  {r.stage}: {r.status} {r.message}", file=sys.stderr)
    return missing_stages(ctx.output_dir, ctx.year)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="workbook serve", description=(
        "Dasbor manajer (Voilà) di http://127.0.0.1:8866 / manager dashboards (Voilà)."))
    p.add_argument("--data", default=None, help="folder data instansi (bawaan data_samples/contoh)")
    p.add_argument("--out", default=None, help="folder keluaran berisi hasil tahap (bawaan outputs/)")
    p.add_argument("--settings", default=None, help="berkas pengaturan instansi (YAML)")
    p.add_argument("--host", default="127.0.0.1", help="alamat (bawaan 127.0.0.1; lihat docs/deployment.md)")
    p.add_argument("--port", type=int, default=None, help="port (bawaan 8866)")
    p.add_argument("--pool-size", type=int, default=None,
                   help="kernel siap pakai per dasbor (pengaturan dashboard.pool_size; 0 = tanpa preheat)")
    p.add_argument("--build", choices=["auto", "never"], default="auto",
                   help="bangun hasil tahap bila belum ada / build missing stage results")
    p.add_argument("--lang", default="id", choices=["id", "en"], help="bahasa pesan / message language")
    p.add_argument("--unit", default=None, metavar="KODE",
                   help="batasi semua dasbor pada satu unit (pengaturan dashboard.unit) / limit every dashboard to one unit")
    p.add_argument("--max-kernels", type=int, default=None,
                   help="kernel penonton paling banyak (pengaturan dashboard.max_kernels; 0 = tanpa batas)")
    p.add_argument("--token", default=None,
                   help=f"token akses (atau variabel lingkungan {ENV_TOKEN}, pengaturan dashboard.token)")
    p.add_argument("--behind-proxy", action="store_true",
                   help="proxy terbalik di depan mengautentikasi setiap permintaan / a reverse proxy authenticates")
    return p


def _make_app_class():
    from tornado.web import RedirectHandler
    from voila.app import Voila

    from workbook.ui import guard, pool

    pool.install()  # a viewer who finds a pool empty starts the refills now (workbook.ui.pool)

    class DashboardVoila(Voila):
        """Voilà with ``/`` sent to the landing page, the handlers of :func:`workbook.ui.guard.harden`
        and the address printed in two languages."""

        def init_handlers(self) -> list:
            from jupyter_server.utils import url_path_join

            landing = url_path_join(self.server_url, "voila/render/index.ipynb")
            return [(self.server_url.rstrip("/") + "/?", RedirectHandler, {"url": landing}),
                    *guard.harden(super().init_handlers(), landing=landing)]

        def init_settings(self) -> dict:
            # jupyter_server's error pages (404, 403) call static_url(), which needs a static_path:
            # without one every 404 of a jupyter_server handler logged an "Uncaught exception in
            # write_error" traceback. Set after the tornado application is built (Voilà applies
            # tornado_settings then), so no /static/ route is added.
            import jupyter_server

            static = str(Path(jupyter_server.__file__).parent / "static")
            self.tornado_settings = {**self.tornado_settings, "static_path": static}
            return super().init_settings()

        def start(self) -> None:
            import tornado.ioloop

            tornado.ioloop.IOLoop.current().add_callback(self._announce)
            super().start()

        def _announce(self) -> None:
            url = f"http://{self.ip}:{self.port}/"
            print(f"\nDasbor manajer siap / manager dashboards ready: {url}\n"
                  "  Ctrl+C untuk berhenti / to stop\n", flush=True)

    return DashboardVoila


def _access(args, settings, lang: str) -> tuple[str, bool]:
    """The access token and whether the server may start on ``args.host`` (message printed if not)."""
    token = (args.token or os.environ.pop(ENV_TOKEN, "") or str(_setting(settings, "dashboard.token") or "")).strip()
    if is_loopback(args.host):
        return token, True
    if token:
        print(t("ui.serve.token_on", lang, host=args.host), file=sys.stderr)
        return token, True
    if args.behind_proxy:
        print(t("ui.serve.no_login", lang, host=args.host), file=sys.stderr)
        return token, True
    print(t("ui.serve.refuse_open", "id", host=args.host) + "\n" + t("ui.serve.refuse_open", "en", host=args.host),
          file=sys.stderr)
    return token, False


def _unit_scope(args, ctx, lang: str) -> tuple[str | None, bool]:
    """The unit the server is limited to (``--unit`` or ``dashboard.unit``); False when unknown."""
    unit = args.unit or _setting(ctx.settings, "dashboard.unit")
    if not unit:
        return None, True
    unit = str(unit).strip().upper()
    from workbook.ui.dashboard_data import read_artefact

    try:
        units = read_artefact(Path(ctx.output_dir), ctx.year, "00_data_check", "overview_units")
        known = sorted(map(str, units["kode_unit"])) if len(units) else []
    except Exception:  # noqa: BLE001 — no results yet: the dashboards say what to run
        known = []
    if known and unit not in known:
        print(t("ui.serve.unknown_unit", lang, unit=unit, known=", ".join(known)), file=sys.stderr)
        return unit, False
    return unit, True


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = args.lang
    from workbook.core.context import open_context
    from workbook.core.paths import ENV_DATA, ENV_OUTPUT, ENV_SETTINGS
    from workbook.ui import guard

    try:
        ctx = open_context(data_dir=args.data, output_dir=args.out, settings_file=args.settings, lang=lang)
    except WorkbookError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    s = ctx.settings
    token, allowed = _access(args, s, lang)
    if not allowed:
        return 2
    os.environ[ENV_DATA] = str(Path(ctx.data_dir).resolve())
    os.environ[ENV_OUTPUT] = str(Path(ctx.output_dir).resolve())
    if s.path:
        os.environ[ENV_SETTINGS] = str(Path(s.path).resolve())
    try:
        still = ensure_results(ctx, build=args.build, lang=lang)
    except WorkbookError as exc:  # e.g. the output folder is held by a running workbook report
        print(exc.message(lang), file=sys.stderr)
        still = ["?"]
    if still:
        print(t("ui.serve.missing", lang, stages=", ".join(still)), flush=True)
    unit, ok = _unit_scope(args, ctx, lang)
    if not ok:
        return 2
    if unit:
        os.environ[guard.ENV_UNIT_SCOPE] = unit  # the kernels offer this unit only
        print(t("ui.serve.scoped", lang, unit=unit), flush=True)
    max_kernels = args.max_kernels if args.max_kernels is not None else int(_setting(s, "dashboard.max_kernels"))
    unconnected = int(_setting(s, "dashboard.unconnected_cull_s"))
    guard.configure(max_kernels=max(0, max_kernels), unconnected_cull_s=unconnected,
                    retry_after_s=int(_setting(s, "dashboard.retry_after_s")), unit_scope=unit)
    # the "workbook" template (no outside requests) is found through the Jupyter data path
    os.environ["JUPYTER_PATH"] = os.pathsep.join(x for x in (str(template_root()), os.environ.get("JUPYTER_PATH"))
                                                 if x)
    pool = args.pool_size if args.pool_size is not None else int(_setting(s, "dashboard.pool_size"))
    port = args.port if args.port is not None else int(_setting(s, "dashboard.port"))
    vargv = voila_argv(host=args.host, port=port, pool_size=pool,
                       fill_delay=float(_setting(s, "dashboard.fill_delay_s")),
                       cull_idle=int(_setting(s, "dashboard.cull_idle_s")), preheat=pool > 0,
                       iopub_timeout=int(_setting(s, "dashboard.iopub_timeout_s")), unconnected_cull=unconnected,
                       upload_max_mb=float(s.get("dashboard.upload_max_mb", 8)))
    mode = t("ui.serve.preheat", lang, pool=pool) if pool > 0 else t("ui.serve.no_preheat", lang)
    print(t("ui.serve.starting", lang, mode=mode, path=ctx.output_dir), flush=True)
    print(t("ui.serve.cap", lang, n=max_kernels or "∞", s=unconnected), flush=True)
    # the token goes to Voilà as a keyword, not on its command line (which other users can list)
    _make_app_class().launch_instance(argv=vargv, **({"token": token} if token else {}))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
