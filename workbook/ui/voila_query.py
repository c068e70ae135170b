"""The page's URL query under Voilà: :func:`parse_query`, and :func:`query_string`, which waits in a
preheated kernel for the viewer's request.

Notebooks in ``notebooks/dashboards/`` call ``app.apply_query(query_string())`` last: under
Voilà's preheated kernels everything before it runs before the request, so a viewer only waits for
the unit and language of the URL to be applied.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from workbook.ui.server_log import log, log_exception

__all__ = ["parse_query", "query_string", "wait_for_voila_request"]


def parse_query(query: str | None) -> dict[str, str]:
    """``"unit=DINKES&lang=en"`` → ``{"unit": "DINKES", "lang": "en"}`` (first value of each key)."""
    if not query:
        return {}
    q = parse_qs(query.lstrip("?"), keep_blank_values=False)
    return {k: v[0].strip() for k, v in q.items() if v and v[0].strip()}


def query_string() -> str:
    """The page's URL query: from Voilà's request when the kernel is preheated, else ``QUERY_STRING``.

    Under ``--preheat_kernel=True`` the notebook runs before any request; this call waits until
    a viewer takes the kernel and returns that viewer's query. Outside Voilà it returns the
    environment variable (empty when unset).
    """
    if os.environ.get("VOILA_PREHEAT", "False") == "True":
        try:
            wait_for_voila_request()
        except Exception:  # noqa: BLE001 — no query is not an error
            log_exception("reading the query string")
            return ""
    return os.environ.get("QUERY_STRING", "") or ""


def _voila_query_url() -> str:
    """The websocket on which Voilà sends a preheated kernel its request (as ``voila.utils`` builds it)."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    ip = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    ws_base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{ws_base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"


def wait_for_voila_request(url: str | None = None, *, open_timeout: float = 5.0) -> dict[str, str]:
    """Wait, in a preheated kernel, until a viewer takes it; put the request's variables in ``os.environ``.

    The same protocol as ``voila.utils.wait_for_request`` (Voilà 0.5, BSD-3-Clause): connect to
    ``…/voila/query/<kernel id>`` and read one JSON message of environment variables
    (``QUERY_STRING``, ``SCRIPT_NAME``, ``PATH_INFO``, ``SERVER_*``). Written here because
    ``import voila.utils`` imports the whole Voilà server (jupyter_server, jupyter_events,
    jsonschema's RFC 3987 grammar): about 2.5 CPU-seconds in every kernel, 75 % of a preheated
    kernel's start, measured with py-spy (``docs/benchmarks.md``). Returns the variables set
    (empty when Voilà could not be reached).
    """
    import asyncio
    import json
    import threading

    try:
        from websockets.asyncio.client import connect
    except ImportError:  # websockets < 13
        from websockets import connect  # type: ignore[no-redef]

    target = url or _voila_query_url()
    box: dict[str, str] = {}

    async def _receive() -> None:
        try:
            async with connect(target, open_timeout=open_timeout) as ws:
                box["raw"] = await ws.recv()
        except (TimeoutError, OSError) as exc:
            log.warning("Voilà request not received from %s: %s", target, exc)

    # the kernel's own event loop is running in this thread: use a fresh loop in another one
    t = threading.Thread(target=lambda: asyncio.run(_receive()), name="voila-request", daemon=True)
    t.start()
    t.join()
    info = {str(k): str(v) for k, v in json.loads(box["raw"]).items()} if "raw" in box else {}
    os.environ.update(info)
    return info
