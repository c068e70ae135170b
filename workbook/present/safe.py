"""Data is text, never markup: the one place that makes a data string safe for Markdown and HTML.

Names, comments, interview notes and survey answers are typed by people; a report, a stage
chapter or a notebook shows them. Three layers keep them text:

1. :func:`md_text` escapes a data string before it enters Markdown: every ASCII punctuation
   character that Markdown or HTML reads (``[ ] ( ) ! < > * _ ` # | & …``) gets a backslash, so
   ``[klik](http://evil.example)`` stays those characters, ``<script>`` is shown, and a
   line break in the data cannot start a heading, a list or a quote. :func:`t_md` is
   :func:`~workbook.core.i18n.t` with every placeholder value passed through :func:`md_text`
   (the message's own Markdown, ``**…**``, stays Markdown).
2. :func:`markdown_html` renders the workbook's Markdown with ``escape=True``: raw HTML in the
   source is shown as text, never parsed.
3. :func:`clean_html` is the last pass (defence in depth): an allow-list of the tags and
   attributes the workbook's own pages use (bleach); links only to anchors in the same page
   (``#…``), images only as inline ``data:image/…`` URIs; ``<script>`` and ``<style>`` blocks are
   removed with their content.

The pages also carry :data:`CSP` (a ``Content-Security-Policy`` ``<meta>``, :func:`csp_meta`):
reports are opened from disk, where no server header applies; it forbids every script and every
fetch except inline images, styles and fonts.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from workbook.core.i18n import t

__all__ = ["md_text", "t_md", "markdown_html", "clean_html", "CSP", "csp_meta", "add_csp"]

#: what a report page may load: inline (data:) images and fonts, inline styles; no script,
#: no frame, no plug-in, no form target, no base URL
CSP = ("default-src 'none'; img-src data: 'self'; style-src 'unsafe-inline' 'self'; "
       "font-src data: 'self'; script-src 'none'; object-src 'none'; frame-src 'none'; "
       "base-uri 'none'; form-action 'none'")

# every ASCII punctuation character CommonMark lets a backslash escape and that Markdown,
# GFM autolinks, HTML or MathJax read ('.' and ':' stop "www." and "http://" autolinks)
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~:$])")


def md_text(value: Any) -> str:
    """A data string as Markdown that renders to exactly that text.

    Line breaks and tabs become one space (data never starts a block); every Markdown or HTML
    punctuation character is backslash-escaped. ``None`` and NaN give ``""``.

    >>> print(md_text("[klik](http://x) <b>"))
    \\[klik\\]\\(http\\://x\\) \\<b\\>
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    s = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", s)


def t_md(key: str, lang: str = "id", **kwargs: Any) -> str:
    """The message ``key`` for a Markdown document: its placeholders filled with
    :func:`md_text` of each value (the message's own Markdown is kept)."""
    return t(key, lang, **{k: md_text(v) for k, v in kwargs.items()})


def markdown_html(md: str, *, drop_heading: bool = True) -> Markup:
    """The workbook's Markdown to safe HTML: raw HTML in the source is shown as text
    (``escape=True``), then :func:`clean_html`. ``drop_heading`` drops ``#`` title lines."""
    import mistune

    if drop_heading:
        md = "\n".join(line for line in md.splitlines() if not line.startswith("#"))
    render = mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])
    return Markup(clean_html(render(md.strip())))


# ----------------------------------------------------------------------------- sanitiser
_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "b", "i", "u", "code", "pre", "blockquote", "del", "s",
    "sub", "sup", "small", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "div", "span", "figure", "figcaption", "a", "img"})
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=\s]*$")
_SCRIPT_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.I | re.S)


def _attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "id", "title", "lang", "dir"):
        return True
    if tag in ("td", "th") and name in ("colspan", "rowspan", "scope"):
        return True
    if tag == "a" and name == "href":
        return value.startswith("#") and ":" not in value
    if tag == "img":
        return name in ("alt", "width", "height") or (name == "src" and bool(_DATA_IMAGE.match(value)))
    return False


def clean_html(html: str) -> str:
    """Keep only the tags and attributes of the workbook's own pages (see the module notes).

    Unknown tags are dropped (their text kept, as text); ``<script>``/``<style>`` go with their
    content; every ``on*`` handler, ``style`` attribute and URL that is not ``#…`` or an inline
    image is removed.
    """
    import bleach

    html = _SCRIPT_STYLE.sub("", str(html))
    return bleach.clean(html, tags=_TAGS, attributes=_attribute, protocols={"data"}, strip=True,
                        strip_comments=True)


def csp_meta() -> str:
    """The ``<meta http-equiv="Content-Security-Policy">`` of every page the workbook writes."""
    return f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'


def add_csp(page: str) -> str:
    """``page`` (a whole HTML document) with :func:`csp_meta` first in its ``<head>``."""
    m = re.search(r"<head\b[^>]*>", page, re.I)
    if m is None:
        return csp_meta() + page
    return page[: m.end()] + "\n" + csp_meta() + page[m.end():]
