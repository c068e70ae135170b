"""Downloads that work inside Voilà without serving a single output file.

Voilà serves only files matching ``VoilaConfiguration.file_allowlist`` (images by default); an
allowlist by extension (``.*\\.xlsx``) would expose *every* such file under the served root,
restricted and confidential outputs included. The dashboards therefore never serve files: the
bytes of one aggregate file are read in the kernel and handed to the browser inside the page, as
an ``<a download>`` link with a base64 ``data:`` URI in an :class:`ipywidgets.HTML` widget.

Small files (the XLSX workbooks, tens of kilobytes) are embedded at once. Large ones (the HTML
chapters, about 1 MB) would slow every page load, so they get a button first; one click reads the
file and replaces the button with the link ("prepare, then download").
"""

from __future__ import annotations

import base64
import html
import mimetypes
from collections.abc import Callable
from pathlib import Path

import ipywidgets as widgets

from workbook.core.i18n import t

__all__ = ["EAGER_MAX_BYTES", "MIME", "data_uri", "download_anchor", "download_link", "lazy_download",
           "human_size"]

#: files up to this size are embedded in the page at once; larger ones wait for a click
EAGER_MAX_BYTES = 256 * 1024

MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".html": "text/html",
    ".csv": "text/csv",
    ".pdf": "application/pdf",
}

def human_size(n: int, lang: str = "id") -> str:
    """``25218`` → ``25 KB``; ``1095869`` → ``1,0 MB`` (``1.0 MB`` in English)."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    s = f"{n / (1024 * 1024):.1f}"
    return f"{s.replace('.', ',') if lang == 'id' else s} MB"


def data_uri(data: bytes, mime: str) -> str:
    """A ``data:`` URI holding ``data`` (base64)."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def download_anchor(data: bytes, filename: str, label: str, *, mime: str | None = None, lang: str = "id") -> str:
    """The HTML of one download link (``<a download=… href="data:…">``) with the file size."""
    mime = mime or MIME.get(Path(filename).suffix.lower()) or mimetypes.guess_type(filename)[0] or \
        "application/octet-stream"
    return (f'<a class="wb-download" download="{html.escape(filename)}" href="{data_uri(data, mime)}" '
            f'title="{html.escape(filename)}">⬇ {html.escape(label)}</a> '
            f'<span class="wb-size">({human_size(len(data), lang)})</span>')


def download_link(data: bytes, filename: str, label: str, *, mime: str | None = None,
                  lang: str = "id") -> widgets.HTML:
    """An HTML widget with a download link for ``data`` (built in memory; no file is served)."""
    return widgets.HTML(download_anchor(data, filename, label, mime=mime, lang=lang))


def lazy_download(loader: Callable[[], bytes], filename: str, label: str, *, mime: str | None = None,
                  lang: str = "id") -> widgets.Box:
    """A button that, when clicked, reads the file with ``loader`` and shows the download link.

    Returns a box whose single child is the button, then the link (so tests can ``click()`` it
    and read the link back from ``box.children[0].value``).
    """
    button = widgets.Button(description=t("ui.download.prepare", lang, label=label), icon="download",
                            layout=widgets.Layout(width="auto"))
    box = widgets.HBox([button])

    def show(_=None) -> None:
        box.children = (download_link(loader(), filename, label, mime=mime, lang=lang),)

    button.on_click(show)
    return box


def file_download(path: Path, filename: str, label: str, *, lang: str = "id", hint: str = "") -> widgets.Widget:
    """A link for a file that exists (embedded or lazy by size), else a short "not yet" note."""
    path = Path(path)
    if not path.is_file():
        return widgets.HTML(f'<span class="wb-missing">{html.escape(t("ui.download.missing", lang, label=label, hint=hint))}'
                            "</span>")
    if path.stat().st_size <= EAGER_MAX_BYTES:
        return download_link(path.read_bytes(), filename, label, lang=lang)
    return lazy_download(path.read_bytes, filename, label, lang=lang)


__all__ += ["file_download"]
