"""What keeps ``workbook serve`` from being exhausted or tripped: a cap on viewers' kernels, a short
cull for kernels whose page never connected, a unit scope, and 404 (not 500) for odd paths.

Every dashboard page that Voilà serves costs a Python kernel of about 200–250 MB. Without a cap a
loop of plain GETs (a crawler, a script) started one kernel per request, each living until the idle
cull (600 s): 15 kernels and 2.7 GB after about 8 GETs in the 2026-12 security review (finding
3.10). Here, in the ``workbook serve`` process only:

1. **Cap** (setting ``dashboard.max_kernels``): the kernels handed to viewers — taken from the
   preheated pool or started for a page — are counted; the pool itself (``dashboard.pool_size``
   per dashboard) comes on top and does not grow. A page request beyond the cap gets the page
   "Server sedang penuh — coba lagi sebentar" / "The server is busy — try again in a moment" with
   HTTP 503 and ``Retry-After`` (``dashboard.retry_after_s``), before any kernel is taken or
   started. A page being loaded counts from its request, so a burst cannot slip past the cap.
2. **Short cull** (``dashboard.unconnected_cull_s``): a viewer's kernel whose page never opened its
   websocket (a plain GET, a crawler, a closed tab before the page loaded) is shut down after that
   many seconds; a page that did connect is culled after ``dashboard.cull_idle_s`` of idleness as
   before.
3. **Unit scope** (``workbook serve --unit KODE``, setting ``dashboard.unit``): every dashboard
   link is forced to that unit (a link without ``unit=`` is redirected to it, another unit is
   refused with 403), the upload page is refused, and the kernels get ``WORKBOOK_UNIT_SCOPE`` so
   the dashboards offer only that unit (:mod:`workbook.ui.dashboards`).
4. **Odd paths** that made Voilà or jupyter_server raise (HTTP 500 with a traceback in the log):
   ``/logout`` (jupyter_server's template needs a ``static_path`` that Voilà has not set),
   ``/voila/templates/<anything not template/static/file>`` (Voilà's ``assert static ==
   "static"``) now answer 404; ``/voila/tree`` (Voilà's notebook listing, which also linked a CDN
   stylesheet) redirects to the landing page.

Hooks used (Voilà 0.5 / jupyter_server 2, as pinned): the kernel-manager class Voilà builds with
``voila_kernel_manager_factory`` (see :func:`workbook.ui.pool.install`), jupyter_server's
``notify_connect`` and ``cull_kernel_if_idle``, and subclasses of the tornado handlers Voilà lists
in ``init_handlers``.
"""

from __future__ import annotations

import contextvars
import html
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from workbook.core.i18n import t

__all__ = ["Limits", "configure", "limits", "ViewerKernelsMixin", "page_handler", "harden", "busy_page",
           "ENV_UNIT_SCOPE", "DASHBOARD_PAGES"]

log = logging.getLogger("workbook.ui")

#: the environment variable that tells a dashboard kernel the unit it is limited to
ENV_UNIT_SCOPE = "WORKBOOK_UNIT_SCOPE"
#: the pages a unit-scoped link may open
DASHBOARD_PAGES = ("index.ipynb", "kebutuhan.ipynb", "rencana.ipynb", "evaluasi.ipynb", "tindak_lanjut.ipynb")


@dataclass
class Limits:
    max_kernels: int = 20         # kernels handed to viewers at once (0 = no cap)
    unconnected_cull_s: int = 60  # a viewer's kernel whose page never connected lives this long
    retry_after_s: int = 30       # Retry-After of the "server busy" page
    unit_scope: str | None = None


_LIMITS = Limits()
#: the admission of the page request being served (tornado runs prepare() and get() in one context)
_ADMISSION: contextvars.ContextVar[object | None] = contextvars.ContextVar("workbook_admission", default=None)


def configure(**values) -> Limits:
    """Set the limits of this server process (``workbook serve`` calls it once)."""
    global _LIMITS
    _LIMITS = Limits(**values)
    return _LIMITS


def limits() -> Limits:
    return _LIMITS


# ----------------------------------------------------------------------------- kernels
class ViewerKernelsMixin:
    """Mixed in front of Voilà's kernel manager: counts viewers' kernels, culls never-connected ones."""

    def _wb(self) -> dict:
        state = self.__dict__.get("_wb_state")
        if state is None:
            state = self.__dict__["_wb_state"] = {"viewers": {}, "connected": set(), "pending": set()}
        return state

    def _register_viewer(self, kernel_id: str | None) -> None:
        if not kernel_id:
            return
        st = self._wb()
        st["viewers"][kernel_id] = time.monotonic()
        token = _ADMISSION.get()
        st["pending"].discard(token)  # the request's reservation became this kernel

    def viewer_kernels(self) -> list[str]:
        """The live kernels handed to viewers (pooled kernels not included)."""
        st = self._wb()
        live = set(self.list_kernel_ids())  # type: ignore[attr-defined]
        for kid in [k for k in st["viewers"] if k not in live]:
            del st["viewers"][kid]
            st["connected"].discard(kid)
        return list(st["viewers"])

    def in_use(self) -> int:
        """Viewers' kernels plus the page requests admitted that have no kernel yet."""
        return len(self.viewer_kernels()) + len(self._wb()["pending"])

    def admit(self) -> object | None:
        """Reserve a place for one page request; None when the cap is reached."""
        cap = _LIMITS.max_kernels
        if cap and self.in_use() >= cap:
            return None
        token = object()
        self._wb()["pending"].add(token)
        _ADMISSION.set(token)
        return token

    def release(self, token: object | None) -> None:
        self._wb()["pending"].discard(token)

    async def start_kernel(self, *args, **kwargs):
        # only a page's own kernel comes through here: Voilà's pool starts its kernels with the
        # base class's start_kernel (super() inside its own class)
        from jupyter_core.utils import ensure_async

        kernel_id = await ensure_async(super().start_kernel(*args, **kwargs))  # type: ignore[misc]
        self._register_viewer(kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args, **kwargs):
        result = await super().get_rendered_notebook(*args, **kwargs)  # type: ignore[misc]
        self._register_viewer(result[2] if isinstance(result, tuple) and len(result) == 3 else None)
        return result

    def notify_connect(self, kernel_id):
        self._wb()["connected"].add(kernel_id)
        return super().notify_connect(kernel_id)  # type: ignore[misc]

    def never_connected(self, kernel_id: str, now: float | None = None) -> bool:
        """True for a viewer's kernel whose page has not connected within ``unconnected_cull_s``."""
        st = self._wb()
        since = st["viewers"].get(kernel_id)
        if since is None or kernel_id in st["connected"] or not _LIMITS.unconnected_cull_s:
            return False
        if getattr(self, "_kernel_connections", {}).get(kernel_id, 0):
            return False
        return (now if now is not None else time.monotonic()) - since > _LIMITS.unconnected_cull_s

    async def cull_kernel_if_idle(self, kernel_id: str):
        if self.never_connected(kernel_id):
            from jupyter_core.utils import ensure_async

            self.log.warning("Culling kernel %s: its page never connected within %s s",  # type: ignore[attr-defined]
                             kernel_id, _LIMITS.unconnected_cull_s)
            await ensure_async(self.shutdown_kernel(kernel_id))  # type: ignore[attr-defined]
            return None
        return await super().cull_kernel_if_idle(kernel_id)  # type: ignore[misc]


# ----------------------------------------------------------------------------- pages
def _page(title: str, body: list[str], *, refresh: int | None = None) -> str:
    meta = f'<meta http-equiv="refresh" content="{int(refresh)}">' if refresh else ""
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in body)
    return (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">{meta}<title>{html.escape(title)}</title>'
            '<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#222}'
            'h1{font-size:1.4em}p.en{color:#555}</style></head>'
            f'<body><h1>{html.escape(title)}</h1>{paras}</body></html>')


def busy_page(retry_after: int) -> str:
    """The page shown beyond the kernel cap (Indonesian, then English)."""
    return _page(t("ui.serve.full_title", "id"),
                 [t("ui.serve.full", "id", s=retry_after), t("ui.serve.full", "en", s=retry_after)],
                 refresh=retry_after)


def scope_page(unit: str) -> str:
    return _page(t("ui.serve.scope_title", "id"), [t("ui.serve.scope", "id", unit=unit),
                                                   t("ui.serve.scope", "en", unit=unit)])


def page_handler(spec):
    """Voilà's page handler with the cap, the unit scope and the ``_xsrf`` cookie (see below).

    The cookie: when a viewer leaves a dashboard, the page posts ``/voila/api/shutdown/<kernel>``
    with the ``_xsrf`` value it reads from ``document.cookie``; Voilà's page never sets that cookie
    (Voilà issue #1458), so the post was refused (403) and the kernel kept ±120–250 MB until
    culled. Reading ``self.xsrf_token`` sets the cookie: the shutdown then passes tornado's normal
    XSRF check (nothing is relaxed).
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
        if self._finished:  # e.g. a login redirect
            return result
        self.xsrf_token  # noqa: B018 — sets the _xsrf cookie for the page's beforeunload shutdown
        if _scope_refused(self):
            return result
        km = self.kernel_manager
        if hasattr(km, "admit"):
            self._wb_admission = km.admit()
            if self._wb_admission is None:
                log.warning("Kernel cap reached (%s): page %s refused with 503", _LIMITS.max_kernels,
                            self.request.path)
                self.set_status(503)
                self.set_header("Retry-After", str(int(_LIMITS.retry_after_s)))
                self.set_header("Content-Type", "text/html; charset=UTF-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(busy_page(int(_LIMITS.retry_after_s)))
        return result

    def on_finish(self):
        km = self.kernel_manager
        if hasattr(km, "release"):
            km.release(getattr(self, "_wb_admission", None))
        return base.on_finish(self)

    handler = type("DashboardPageHandler", (base,), {"prepare": prepare, "on_finish": on_finish})
    return (spec[0], handler, *spec[2:])


def _scope_refused(handler) -> bool:
    """Apply the unit scope to a page request; True when the request was answered here."""
    scope = _LIMITS.unit_scope
    if not scope:
        return False
    name = (handler.path_args[0] if handler.path_args else "") or ""
    unit = handler.get_query_argument("unit", None)
    if name in DASHBOARD_PAGES and unit is None:
        args = {k: v[-1].decode("utf-8", "replace") for k, v in handler.request.query_arguments.items()}
        handler.redirect(f"{handler.request.path}?{urlencode({**args, 'unit': scope})}")
        return True
    if name in DASHBOARD_PAGES and unit.strip().upper() == scope:
        return False
    log.warning("Unit scope %s: %s?%s refused", scope, handler.request.path, handler.request.query[:80])
    handler.set_status(403)
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.finish(scope_page(scope))
    return True


# ----------------------------------------------------------------------------- odd paths
def _not_found_handler():
    from tornado.web import HTTPError, RequestHandler

    class NotFound(RequestHandler):
        def prepare(self):
            raise HTTPError(404)

    return NotFound


def _safe_template_static(base):
    """Voilà's template static handler, answering 404 for paths it would ``assert`` on (500)."""
    from tornado.web import HTTPError

    def _check(path: str) -> None:
        parts = path.replace("\\", "/").split("/")
        if len(parts) < 3 or parts[1] != "static" or not parts[2] or ".." in parts[:2] or not parts[0]:
            raise HTTPError(404)

    class SafeTemplateStaticFileHandler(base):
        def parse_url_path(self, path):
            _check(path)
            try:
                return super().parse_url_path(path)
            except (AssertionError, ValueError):
                raise HTTPError(404) from None

        @classmethod
        def get_absolute_path(cls, root, path):
            import os

            _check(os.path.normpath(path).replace(os.path.sep, "/"))
            try:
                return super().get_absolute_path(root, path)
            except (AssertionError, ValueError):
                raise HTTPError(404) from None

    return SafeTemplateStaticFileHandler


def harden(handlers: list, *, landing: str) -> list:
    """Voilà's handler list with the odd paths fixed (module docstring, point 4) and the page
    handlers wrapped by :func:`page_handler`."""
    from tornado.web import RedirectHandler
    from voila.static_file_handler import TemplateStaticFileHandler
    from voila.treehandler import VoilaTreeHandler

    out = []
    for spec in handlers:
        pattern, cls = (spec[0], spec[1]) if isinstance(spec, tuple) and len(spec) >= 2 else (None, None)
        if isinstance(cls, type) and issubclass(cls, TemplateStaticFileHandler):
            out.append((pattern, _safe_template_static(cls), *spec[2:]))
        elif isinstance(cls, type) and issubclass(cls, VoilaTreeHandler):
            out.append((pattern, RedirectHandler, {"url": landing}))
        elif isinstance(pattern, str) and pattern.rstrip("$").endswith("/logout"):
            out.append((pattern, _not_found_handler()))
        else:
            out.append(page_handler(spec))
    return out
