"""``workbook serve``: the manager dashboards with Voilà, on 127.0.0.1 by default.

::

    workbook serve [--data DIR] [--out DIR] [--host 127.0.0.1] [--port 8866] [--pool-size N]

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

Voilà has no login of its own: bind to anything other than 127.0.0.1 only behind a proxy or
JupyterHub that authenticates (``docs/deployment.md``).
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

__all__ = ["main", "voila_argv", "dashboards_dir", "ensure_results", "DEFAULTS", "websocket_max_bytes"]

#: settings read with ``s.get(key, default)`` until they are added to ``defaults.yaml``
DEFAULTS = {
    "dashboard.pool_size": 2,        # preheated kernels per dashboard notebook (about 200 MB each)
    "dashboard.fill_delay_s": 10.0,  # wait before refilling the pool, so refills do not compete with page loads
    "dashboard.cull_idle_s": 600,    # shut down a kernel idle this long (Voilà does not on page exit)
    "dashboard.port": 8866,
    "dashboard.iopub_timeout_s": 60,  # nbclient's 4 s drops a busy kernel's widget output: blank page
}


def dashboards_dir() -> Path:
    from workbook.core.paths import notebooks_dir

    return notebooks_dir() / "dashboards"


def _setting(settings, key: str):
    return settings.get(key, DEFAULTS[key]) if settings is not None else DEFAULTS[key]


def voila_argv(*, host: str = "127.0.0.1", port: int = 8866, pool_size: int = 2, fill_delay: float = 10.0,
               cull_idle: int = 600, preheat: bool = True, root: Path | None = None,
               iopub_timeout: int = 60, upload_max_mb: float = 8.0) -> list[str]:
    """The command-line arguments given to Voilà (also used by ``bench/dashboard.py``)."""
    root = root or dashboards_dir()
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
        "--MappingKernelManager.cull_interval=60",
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
    return p


def _with_xsrf_cookie(spec):
    """Voilà's page handler, made to set tornado's ``_xsrf`` cookie (Voilà issue #1458).

    When a viewer leaves a dashboard, the page posts ``/voila/api/shutdown/<kernel>`` with the
    ``_xsrf`` value it reads from ``document.cookie``; Voilà's page never sets that cookie, so the
    post is refused (403) and the kernel keeps ±120–250 MB until culled. Reading
    ``self.xsrf_token`` in the page request sets the cookie: the shutdown then passes tornado's
    normal XSRF check (nothing is relaxed) and the kernel stops when the page closes.
    """
    from voila.handler import VoilaHandler

    if not (isinstance(spec, tuple) and len(spec) >= 2 and isinstance(spec[1], type)
            and issubclass(spec[1], VoilaHandler)):
        return spec
    base = spec[1]

    async def prepare(self, *args, **kwargs):
        result = base.prepare(self, *args, **kwargs)
        if hasattr(result, "__await__"):
            result = await result
        self.xsrf_token  # noqa: B018 — sets the _xsrf cookie for the page's beforeunload shutdown
        return result

    return (spec[0], type("DashboardPageHandler", (base,), {"prepare": prepare}), *spec[2:])


def _make_app_class():
    from tornado.web import RedirectHandler
    from voila.app import Voila

    from workbook.ui import pool

    pool.install()  # a viewer who finds a pool empty starts the refills now (workbook.ui.pool)

    class DashboardVoila(Voila):
        """Voilà with ``/`` sent to the landing page and the address printed in two languages."""

        def init_handlers(self) -> list:
            from jupyter_server.utils import url_path_join

            landing = url_path_join(self.server_url, "voila/render/index.ipynb")
            return [(self.server_url.rstrip("/") + "/?", RedirectHandler, {"url": landing}),
                    *[_with_xsrf_cookie(h) for h in super().init_handlers()]]

        def start(self) -> None:
            import tornado.ioloop

            tornado.ioloop.IOLoop.current().add_callback(self._announce)
            super().start()

        def _announce(self) -> None:
            url = f"http://{self.ip}:{self.port}/"
            print(f"\nDasbor manajer siap / manager dashboards ready: {url}\n"
                  "  Ctrl+C untuk berhenti / to stop\n", flush=True)

    return DashboardVoila


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    lang = args.lang
    from workbook.core.context import open_context
    from workbook.core.paths import ENV_DATA, ENV_OUTPUT, ENV_SETTINGS

    try:
        ctx = open_context(data_dir=args.data, output_dir=args.out, settings_file=args.settings, lang=lang)
    except WorkbookError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    s = ctx.settings
    os.environ[ENV_DATA] = str(Path(ctx.data_dir).resolve())
    os.environ[ENV_OUTPUT] = str(Path(ctx.output_dir).resolve())
    if s.path:
        os.environ[ENV_SETTINGS] = str(Path(s.path).resolve())
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = args.host == "localhost"
    if not loopback:
        print(t("ui.serve.no_login", lang, host=args.host), file=sys.stderr)
    try:
        still = ensure_results(ctx, build=args.build, lang=lang)
    except WorkbookError as exc:
        print(exc.message(lang), file=sys.stderr)
        still = ["?"]
    if still:
        print(t("ui.serve.missing", lang, stages=", ".join(still)), flush=True)
    pool = args.pool_size if args.pool_size is not None else int(_setting(s, "dashboard.pool_size"))
    port = args.port if args.port is not None else int(_setting(s, "dashboard.port"))
    vargv = voila_argv(host=args.host, port=port, pool_size=pool,
                       fill_delay=float(_setting(s, "dashboard.fill_delay_s")),
                       cull_idle=int(_setting(s, "dashboard.cull_idle_s")), preheat=pool > 0,
                       iopub_timeout=int(_setting(s, "dashboard.iopub_timeout_s")),
                       upload_max_mb=float(s.get("dashboard.upload_max_mb", 8)))
    mode = t("ui.serve.preheat", lang, pool=pool) if pool > 0 else t("ui.serve.no_preheat", lang)
    print(t("ui.serve.starting", lang, mode=mode, path=ctx.output_dir), flush=True)
    _make_app_class().launch_instance(argv=vargv)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
