"""Upload page (Voilà ``unggah.ipynb``): try a new survey or evaluation export for this session only.

An analyst or manager uploads one CSV/XLSX file; the page

1. refuses it with one friendly sentence when it is too large (setting ``dashboard.upload_max_mb``;
   checked in the browser before the file is sent, :data:`SIZE_GUARD_JS`, and again here), of the
   wrong type, inflates too much (``upload.max_xlsx_uncompressed_mb``) or is unreadable;
2. writes its bytes (atomically, under a shortened safe name) to a per-session scratch folder
   ``OUTPUT/<year>/restricted/unggahan/<session-id>/<attempt>/berkas/`` — never into the data folder
   — and deletes them as soon as they are placed in the session data folder (or refused);
3. detects the table from a bounded sample of the file and validates the agency's data with the
   upload in place of that table (:mod:`workbook.ui.upload_check`), in a worker process stopped
   after ``upload.time_limit_s`` seconds ("terlalu lama"). The session data folder holds only the
   uploaded table: the agency's other files are read where they are and never linked or copied
   into the output folder;
4. shows the report (errors and warnings with file, row, column and message in the viewer's
   language; no server path or session id in any sentence);
5. only when there is no error enables "Gunakan data ini untuk sesi ini", which runs the affected
   stages on the agency's folder with the upload in place of its table, with a session output
   folder under the scratch folder, and shows one headline figure. Nothing is written over
   existing inputs or over the agency's outputs.

What is kept, and for how long (``docs/privacy.md``): the session's copy of the uploaded table is
deleted once it is used or rejected by validation; the session folder (its outputs) is removed
when the session ends (the kernel exits) and, in any case, by :func:`sweep_scratch` when a new
upload session starts and the folder has not changed for ``upload.scratch_ttl_h`` hours. The
sweep only removes folders named like a session id directly under the scratch roots and never
follows a symbolic link.

Layers as in :mod:`workbook.ui.dashboards`: plain functions and dataclasses (:func:`check_upload`,
:func:`detect_table`, :func:`build_session_data`, :func:`stage_upload`, :func:`use_upload`) that
tests call without a browser, and :class:`UploadApp`, whose callbacks are one line.
"""

from __future__ import annotations

import atexit
import dataclasses
import html
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from workbook.core import artefacts
from workbook.core.exceptions import Problem, WorkbookError
from workbook.core.i18n import fmt_int, fmt_number, fmt_percent, t
from workbook.ingest.raw import xlsx_guard
from workbook.ingest.validate import ValidationReport
from workbook.present.html import CSS, Headline, cards_html, msgs_html
from workbook.ui.server_log import log, log_exception
from workbook.ui.upload_check import (
    UPLOAD_TABLES,
    TimeLimitExceeded,
    check_file,
    detect_table,
    place_upload,
    run_limited,
    scrub_paths,
    time_limit_s,
    xlsx_uncompressed_mb,
)
from workbook.ui.voila_query import parse_query, query_string

__all__ = [
    "UPLOAD_TABLES", "AFFECTED_STAGES", "ALLOWED_EXTENSIONS", "DEFAULT_MAX_MB",
    "UploadRefused", "UploadSession", "StagedUpload", "SessionRun", "max_upload_mb", "new_session_id",
    "check_upload", "save_upload", "detect_table", "build_session_data", "stage_upload", "problems_view",
    "use_upload", "UploadApp", "open_upload", "DEFAULT_SCRATCH_TTL_H", "scratch_ttl_h", "scratch_roots",
    "sweep_scratch", "remove_session_folder", "query_string", "SIZE_GUARD_JS", "size_guard_html",
]

#: stages re-run for the session when a table is replaced (00_data_check always first)
AFFECTED_STAGES: dict[str, tuple[str, ...]] = {
    "survei_pegawai": ("00_data_check", "01_needs"),
    "survei_atasan": ("00_data_check", "01_needs"),
    "evaluasi_l1": ("00_data_check", "03_evaluation"),
    "evaluasi_l2": ("00_data_check", "03_evaluation"),
    "evaluasi_l3": ("00_data_check", "03_evaluation"),
    "realisasi_pengembangan": ("00_data_check", "03_evaluation"),
}
ALLOWED_EXTENSIONS = (".csv", ".xlsx")
#: default of ``dashboard.upload_max_mb``: the file travels to the kernel in one websocket message,
#: and Tornado refuses messages above 10 MiB (``websocket_max_message_size``) unless the server raises it.
DEFAULT_MAX_MB = 8.0
SCRATCH = "unggahan"
#: default of ``upload.scratch_ttl_h``: idle session folders older than this are removed
DEFAULT_SCRATCH_TTL_H = 24.0
_SESSION_ID = re.compile(r"^[0-9a-f]{16}$")  # what new_session_id() makes; nothing else is swept
_SHOW_MAX = 200  # problems listed on the page (the rest are counted)

class UploadRefused(WorkbookError):
    """The uploaded file is refused before validation (too large, wrong type, empty, unreadable)."""


# --------------------------------------------------------------------------- state

def max_upload_mb(settings: Any) -> float:
    """The size limit in MB: setting ``dashboard.upload_max_mb`` (default :data:`DEFAULT_MAX_MB`)."""
    value = settings.get("dashboard.upload_max_mb", DEFAULT_MAX_MB) if settings is not None else DEFAULT_MAX_MB
    return float(value)


def new_session_id() -> str:
    """A random session id (16 hex digits)."""
    return secrets.token_hex(8)


def scratch_ttl_h(settings: Any) -> float:
    """Hours an idle session folder is kept: setting ``upload.scratch_ttl_h`` (0 = never swept)."""
    value = settings.get("upload.scratch_ttl_h", DEFAULT_SCRATCH_TTL_H) if settings is not None else None
    return float(DEFAULT_SCRATCH_TTL_H if value is None else value)


def scratch_roots(output_dir: str | os.PathLike) -> list[Path]:
    """The scratch folders ``OUTPUT/<year>/restricted/unggahan`` of every year (real folders only)."""
    out = Path(output_dir)
    if not out.is_dir():
        return []
    roots = []
    for year in sorted(out.iterdir()):
        root = year / "restricted" / SCRATCH
        # a link anywhere on the way could lead the sweep outside the output folder: skip it
        if year.name.isdigit() and not any(p.is_symlink() for p in (year, year / "restricted", root)) \
                and root.is_dir():
            roots.append(root)
    return roots


def _newest_mtime(folder: Path) -> float:
    """The newest modification time in ``folder`` (its entries' own times; links are not followed)."""
    newest = folder.lstat().st_mtime
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            try:
                newest = max(newest, os.lstat(os.path.join(dirpath, name)).st_mtime)
            except OSError:  # removed meanwhile
                continue
    return newest


def remove_session_folder(folder: str | os.PathLike) -> bool:
    """Remove one session folder; a symbolic link is unlinked, never followed. True if something was removed."""
    p = Path(folder)
    try:
        if p.is_symlink() or p.is_file():
            p.unlink()
            return True
        if p.is_dir():
            shutil.rmtree(p)  # does not follow links inside (they are unlinked, their targets untouched)
            return True
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("upload scratch: %s not removed (%s)", p, exc)
    return False


def sweep_scratch(output_dir: str | os.PathLike, ttl_h: float, *, now: float | None = None,
                  keep: tuple[str, ...] = ()) -> list[Path]:
    """Remove upload session folders that have not changed for more than ``ttl_h`` hours.

    Only entries named like a session id (16 hex digits) directly under a scratch root
    (:func:`scratch_roots`) are considered, except those named in ``keep``; a folder's age is that
    of its newest entry. A symbolic link is removed as a link and never followed, so nothing
    outside the scratch roots is touched. ``ttl_h <= 0`` disables the sweep.

    Returns
    -------
    list of Path
        The folders (or links) removed.
    """
    if not ttl_h or ttl_h <= 0:
        return []
    now = time.time() if now is None else float(now)
    limit = float(ttl_h) * 3600.0
    removed: list[Path] = []
    for root in scratch_roots(output_dir):
        try:
            entries = sorted(root.iterdir())
        except OSError:
            continue
        for entry in entries:
            if not _SESSION_ID.match(entry.name) or entry.name in keep:
                continue
            try:
                age = now - (entry.lstat().st_mtime if entry.is_symlink() or not entry.is_dir()
                             else _newest_mtime(entry))
            except OSError:
                continue
            if age > limit and remove_session_folder(entry):
                removed.append(entry)
    if removed:
        log.info("upload scratch: %d idle session folder(s) older than %g h removed", len(removed), ttl_h)
    return removed


@dataclass
class UploadSession:
    """One viewer's session: where its scratch files go and which agency folder it views.

    Attributes
    ----------
    data_dir : Path
        The agency's input folder (only read).
    output_dir : Path
        The output root; the scratch folder is ``output_dir/<year>/restricted/unggahan/<session_id>``.
    year : int
    settings : Settings
    session_id : str
    attempts : int
        Uploads so far; each upload gets its own numbered sub-folder.
    """

    data_dir: Path
    output_dir: Path
    year: int
    settings: Any
    session_id: str = field(default_factory=new_session_id)
    attempts: int = 0

    def __post_init__(self) -> None:
        # a new session sweeps the idle folders of earlier ones, and removes its own when the process ends
        try:
            sweep_scratch(self.output_dir, scratch_ttl_h(self.settings), keep=(self.session_id,))
        except Exception:  # noqa: BLE001 — cleaning must never stop the page; the reason goes to the log
            log_exception("upload scratch sweep")
        atexit.register(remove_session_folder, self.root)

    @property
    def root(self) -> Path:
        return Path(self.output_dir) / str(int(self.year)) / "restricted" / SCRATCH / self.session_id

    def scrub(self, text: str, *, any_path: bool = True) -> str:
        """``text`` as a viewer may see it: paths relative to the session folder, the output and
        data folders by their names, no session id, and (``any_path``) no other server path
        (:func:`scrub_paths`). Text quoting a cell of the upload is scrubbed with
        ``any_path=False``, so a value such as ``http://x/y`` is quoted as written."""
        return scrub_paths(text, {self.root: "", self.output_dir: Path(self.output_dir).name,
                                  self.data_dir: Path(self.data_dir).name}, (self.session_id,),
                           any_path=any_path)

    def close(self) -> None:
        """End the session: remove its scratch folder (uploads, session data and outputs)."""
        remove_session_folder(self.root)

    def next_attempt(self) -> Path:
        """A new, empty attempt folder under the scratch folder (restricted marker written once)."""
        artefacts.stage_dir(self.output_dir, self.year, SCRATCH, "restricted")  # writes TERBATAS.txt
        self.attempts += 1
        d = self.root / f"{self.attempts:03d}"
        while d.exists():  # never reuse a folder
            self.attempts += 1
            d = self.root / f"{self.attempts:03d}"
        d.mkdir(parents=True)
        return d


@dataclass
class StagedUpload:
    """An upload written to the scratch folder and validated (or refused).

    ``refused`` holds the friendly sentence when the file was not accepted; then ``report`` is None.
    """

    name: str
    lang: str
    table: str | None = None
    detected: bool = False
    attempt_dir: Path | None = None
    upload_path: Path | None = None
    data_dir: Path | None = None
    report: ValidationReport | None = None
    refused: str | None = None
    #: True once the session's copy of the upload was used (stages run) and deleted
    consumed: bool = False

    @property
    def session_file(self) -> str | None:
        """The file name of the uploaded table inside the session data folder."""
        return None if self.upload_path is None or self.table is None else f"{self.table}{self.upload_path.suffix.lower()}"

    @property
    def can_use(self) -> bool:
        """True when validated with no error and not used yet (the "use" button is enabled)."""
        return self.report is not None and self.refused is None and self.report.ok and not self.consumed

    def discard_copy(self) -> None:
        """Delete the session's copy of the uploaded table (the session data folder holds nothing else)."""
        if self.data_dir is not None and self.data_dir.is_dir() and not self.data_dir.is_symlink():
            shutil.rmtree(self.data_dir, ignore_errors=True)


@dataclass
class SessionRun:
    """What "use this data" produced: the stages run, where their outputs are, one headline."""

    stages: tuple[str, ...]
    output_dir: Path
    headline: Headline
    written: list[Path] = field(default_factory=list)


def check_upload(name: str, size: int, max_mb: float) -> str:
    """Refuse a wrong type, an empty or a too-large file; return the lower-case extension.

    Raises
    ------
    UploadRefused
        With the bilingual friendly message.
    """
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise UploadRefused(t("upload.wrong_type", "id", name=name), t("upload.wrong_type", "en", name=name), file=name)
    if size <= 0:
        raise UploadRefused(t("upload.empty", "id", name=name), t("upload.empty", "en", name=name), file=name)
    if size > max_mb * 1024 * 1024:
        mb = f"{size / 1048576:.1f}"
        raise UploadRefused(t("upload.too_large", "id", name=name, size=mb.replace(".", ","), mb=f"{max_mb:g}"),
                            t("upload.too_large", "en", name=name, size=mb, mb=f"{max_mb:g}"), file=name, value=size)
    return ext


#: longest stored file name in UTF-8 bytes (most file systems allow 255; the atomic writer adds about 20)
_NAME_MAX_BYTES = 120


def _safe_name(name: str) -> str:
    """The uploaded name as stored and shown: its last part, letters, digits and ``._- `` only,
    shortened (keeping the extension) to :data:`_NAME_MAX_BYTES` so that writing it cannot fail."""
    base = Path(str(name).replace("\\", "/")).name
    keep = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in base).strip(" .")
    keep = keep or "unggahan"
    if len(keep.encode("utf-8")) > _NAME_MAX_BYTES:
        stem, ext = os.path.splitext(keep)
        ext = ext if len(ext.encode("utf-8")) <= 16 else ""
        room = _NAME_MAX_BYTES - len(ext.encode("utf-8")) - len("…".encode())
        stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(" .")
        keep = f"{stem}…{ext}"
    return keep


def save_upload(content: bytes, name: str, attempt_dir: Path) -> Path:
    """Write the uploaded bytes atomically to ``attempt_dir/berkas/<name>`` and return the path."""
    target = Path(attempt_dir) / "berkas" / _safe_name(name)
    with artefacts.atomic_path(target) as tmp:
        tmp.write_bytes(bytes(content))
    return target


def build_session_data(data_dir: str | os.PathLike, table: str, upload_path: str | os.PathLike,
                       dest: str | os.PathLike) -> Path:
    """The session data folder ``dest``: the uploaded file as ``<table><ext>``, and nothing else.

    The agency's other tables are read from ``data_dir`` itself when the upload is checked and
    used (``replace`` of :func:`workbook.ingest.validate.validate`, ``Context.table_files``):
    no link to and no copy of the agency's files (``pegawai`` holds NIPs and names) is made in
    the output folder. ``dest`` must not lie inside ``data_dir``, which is only read.
    """
    src, dest = Path(data_dir).resolve(), Path(dest)
    if dest.resolve() == src or src in dest.resolve().parents:
        raise WorkbookError("Folder sesi tidak boleh berada di dalam folder data masukan.",
                            "The session folder must not be inside the input data folder.", file=dest.name)
    place_upload(upload_path, table, dest)
    return dest


def stage_upload(session: UploadSession, name: str, content: bytes, table: str = "auto",
                 lang: str = "id") -> StagedUpload:
    """Check, store, place and validate one uploaded file; never raises for a bad file.

    Parameters
    ----------
    session : UploadSession
    name : str
        The file name as uploaded.
    content : bytes
    table : str, default="auto"
        One of :data:`UPLOAD_TABLES`, or ``"auto"`` to detect it from the columns.
    lang : {"id", "en"}

    Returns
    -------
    StagedUpload
        ``refused`` set (and no report) when the file was not accepted.
    """
    st = StagedUpload(name=_safe_name(name), lang=lang)
    settings = session.settings
    try:
        check_upload(st.name, len(content), max_upload_mb(settings))
        if table != "auto" and table not in UPLOAD_TABLES:
            raise WorkbookError(f"Tabel tidak dapat diunggah di sini: {table}", f"Table cannot be uploaded here: {table}")
        st.attempt_dir = session.next_attempt()
        st.upload_path = save_upload(content, st.name, st.attempt_dir)
        if st.upload_path.suffix.lower() == ".xlsx":  # a small file that inflates: refused before it is opened
            xlsx_guard(st.upload_path, st.name, settings, xlsx_uncompressed_mb(settings),
                       "upload.max_xlsx_uncompressed_mb")
        st.data_dir = st.attempt_dir / "data"
        checked = run_limited(check_file, (st.upload_path, table, Path(session.data_dir), st.data_dir, settings),
                              time_limit_s(settings))
        st.table, st.detected, st.report = checked.table, checked.detected, checked.report
        if st.table is None:
            st.refused = t("upload.undetected", lang, name=st.name)
        elif not st.report.ok:  # rejected: the report is kept in memory, the copy is not needed
            st.discard_copy()
    except UploadRefused as exc:
        st.refused = exc.message_en if lang == "en" else exc.message_id
    except TimeLimitExceeded as exc:
        log.warning("upload %s: check stopped after %g s (upload.time_limit_s)", st.name, exc.limit_s)
        st.refused = t("upload.too_slow", lang, name=st.name, s=fmt_number(exc.limit_s, lang, 0))
    except WorkbookError as exc:
        why = exc.message_en if lang == "en" else exc.message_id
        st.refused = t("upload.unreadable", lang, name=st.name, why=why.removeprefix(f"{st.name}: "))
    except Exception:  # noqa: BLE001 — a sentence on the page, the traceback in the server log
        log_exception(f"upload {st.name}")
        st.refused = t("upload.error", lang)
    finally:
        # the raw bytes are needed only until they are placed in the session folder (or refused)
        if st.upload_path is not None:
            st.upload_path.unlink(missing_ok=True)
    if st.refused is not None:
        st.refused = session.scrub(st.refused)
        st.discard_copy()
    return st


def _own(st: StagedUpload, p: Problem) -> bool:
    return p.file is not None and st.session_file is not None and p.file.lower() == st.session_file.lower()


def problems_view(st: StagedUpload, lang: str = "id") -> pd.DataFrame:
    """The uploaded file's problems, errors first: severity, file (as uploaded), row, column, value, message."""
    cols = [t(f"upload.col.{c}", lang) for c in ("severity", "file", "row", "column", "value", "expected", "message")]
    if st.report is None:
        return pd.DataFrame(columns=cols)
    recs = [[t(f"upload.sev.{'error' if p.severity == 'error' else 'warning'}", lang), st.name,
             "" if p.row is None else str(int(p.row)), p.column or "", "" if p.value is None else str(p.value),
             p.expected or "", p.message(lang)] for p in st.report.sorted() if _own(st, p)]
    return pd.DataFrame(recs, columns=cols)


def _other_counts(st: StagedUpload) -> tuple[int, int]:
    others = [p for p in (st.report.problems if st.report else []) if not _own(st, p)]
    return sum(p.severity == "error" for p in others), sum(p.severity != "error" for p in others)


def _headline(table: str, results: dict[str, Any], lang: str) -> Headline:
    if "01_needs" in results:
        res = results["01_needs"]
        peg, survey = res.tables["pegawai"], res.tables["survei_pegawai"]
        ids = survey["pegawai_id"]
        n = int(ids[ids.isin(set(peg["pegawai_id"]))].nunique())
        total = len(peg)
        return Headline(t("upload.h.response", lang), fmt_percent(n / total if total else float("nan"), lang),
                        t("upload.h.response.note", lang, n=fmt_int(n, lang), total=fmt_int(total, lang)))
    from workbook.evaluation.report import summary_markdown

    bullets = [ln[2:].strip() for ln in summary_markdown(results["03_evaluation"]).splitlines() if ln.startswith("- ")]
    level = {"evaluasi_l1": "Level 1", "evaluasi_l2": "Level 2", "evaluasi_l3": "Level 3"}.get(table)
    pick = [b for b in bullets if level and b.startswith(level)]
    if not pick and bullets:  # realisation changes the follow-up, the last sentence of the summary
        pick = [bullets[-1] if table == "realisasi_pengembangan" else bullets[0]]
    return Headline(t("upload.h.evaluation", lang), pick[0] if pick else "–", table)


def use_upload(session: UploadSession, st: StagedUpload, lang: str = "id") -> SessionRun:
    """Run the stages affected by the uploaded table on the session folder; return the headline.

    The stages read the agency's data folder with the uploaded table in place of its own
    (``Context.table_files``). Outputs go to ``<attempt>/keluaran`` under the scratch folder; the agency's restricted
    artefacts that a stage reads from earlier runs (last year's carry-over and L2, the plan table,
    this year's gaps for an evaluation upload) are copied in first, never linked.

    Raises
    ------
    WorkbookError
        When the upload was refused or has validation errors.
    """
    if st.consumed:
        raise WorkbookError("Data unggahan ini sudah dipakai dan salinannya sudah dihapus; unggah lagi untuk "
                            "menjalankan ulang.", "This upload was already used and its copy deleted; upload it "
                            "again to run once more.")
    if not st.can_use or st.table is None or st.data_dir is None or st.attempt_dir is None:
        raise WorkbookError("Data unggahan belum dapat dipakai (ada kesalahan).",
                            "The uploaded data cannot be used yet (there are errors).")
    from workbook.core.context import open_context
    from workbook.pipeline import run_data_check, run_evaluation, run_needs

    out = st.attempt_dir / "keluaran"
    stages = AFFECTED_STAGES[st.table]
    y = int(session.year)
    carry = [(y - 1, "03_evaluation", "carry_over", "restricted"), (y - 1, "03_evaluation", "level2", "aggregate"),
             (y - 1, "02_plan", "plan_table", "aggregate"), (y, "02_plan", "plan_table", "aggregate")]
    if "01_needs" not in stages:
        carry.append((y, "01_needs", "gaps", "restricted"))
    for year, stage, name, cls in carry:
        src = artefacts.artefact_path(session.output_dir, year, stage, name, cls)
        if src.is_file():
            dst = artefacts.stage_dir(out, year, stage, cls) / src.name
            with artefacts.atomic_path(dst) as tmp:
                shutil.copyfile(src, tmp)
    settings_file = getattr(session.settings, "path", None)
    # the agency's files are read where they are; only the uploaded table comes from the session folder
    ctx = dataclasses.replace(
        open_context(data_dir=str(session.data_dir), output_dir=str(out), year=y, lang=lang, interactive=False,
                     settings_file=str(settings_file) if settings_file else None),
        table_files={st.table: st.data_dir / st.session_file})
    runners = {"00_data_check": run_data_check, "01_needs": run_needs, "03_evaluation": run_evaluation}
    results: dict[str, Any] = {}
    written: list[Path] = []
    t0 = time.perf_counter()
    for stage in stages:
        results[stage] = runners[stage](ctx)
        written += [Path(p) for p in getattr(results[stage], "written", []) or []]
    log.info("upload session %s: %s on %s in %.1f s", session.session_id, ",".join(stages), st.table,
             time.perf_counter() - t0)
    st.discard_copy()  # used: the stages' outputs stay in the session folder until the session ends
    st.consumed = True
    return SessionRun(stages, out, _headline(st.table, results, lang), written)


# --------------------------------------------------------------------------- view

def _summary_html(st: StagedUpload, lang: str) -> str:
    """Title, detected table and verdict of a validated upload (shown above the "use" button)."""
    if st.report is None:
        return ""
    warns = [p for p in st.report.warnings if _own(st, p)]
    title = t("upload.report", lang, name=st.name, table=st.table)
    verdict = t("upload.ok", lang, w=len(warns)) if st.report.ok else t("upload.not_ok", lang, e=len(st.report.errors))
    cls = "wb-ok" if st.report.ok else "wb-bad"
    detected = f'<p class="wb-foot">{html.escape(t("upload.detected", lang, table=st.table))}</p>' if st.detected else ""
    return (f'<div class="wb-page wb-table wb-verdict"><h3>{html.escape(title)}</h3>{detected}'
            f'<div class="wb-msg {cls}">{html.escape(verdict)}</div></div>')


def _report_html(st: StagedUpload, lang: str, scrub: Callable[..., str] = lambda x, **_: x) -> str:
    """The uploaded file's problems as a table (errors first), and a count of the other files' problems;
    every cell passed through ``scrub`` (no server path). The value and message columns quote the
    uploaded cells: only the session's own folders are scrubbed there, so ``http://…`` in a cell
    stays as written."""
    if st.report is None:
        return ""
    e_other, w_other = _other_counts(st)
    df = problems_view(st, lang)
    quoting = {t(f"upload.col.{c}", lang) for c in ("value", "message")}
    for col in df.columns:
        df[col] = df[col].map(lambda x, q=col in quoting: scrub(x, any_path=not q))
    more = ""
    if len(df) > _SHOW_MAX:
        more = f'<p class="wb-foot">{html.escape(t("upload.more", lang, n=len(df) - _SHOW_MAX))}</p>'
        df = df.head(_SHOW_MAX)
    table = (df.to_html(index=False, border=0, escape=True, classes="wb-problems") if len(df)
             else f"<p>{html.escape(t('upload.no_problems', lang))}</p>")
    others = (f'<p class="wb-foot">{html.escape(t("upload.others", lang, e=e_other, w=w_other))}</p>'
              if e_other or w_other else "")
    return f'<div class="wb-page wb-table wb-report">{table}{more}{others}</div>'


_UPLOAD_CSS = """<style>
.wb-msg.wb-ok{background:#E9F7EF;border-left-color:#1E8449}
.wb-msg.wb-bad{background:#FDEDEC;border-left-color:#C0392B}
.wb-problems td:first-child{font-weight:600}
</style>"""


#: Checks the size of a chosen file in the browser, before it is sent: ipywidgets' FileUpload
#: reads the file from a hidden ``<input type=file>`` that is never in the page, and sends the
#: whole file in one websocket message, which the server refuses above its limit (the page then
#: loses its kernel). The only place to stop it is that input's ``change`` event: the widget
#: opens the input with ``input.click()``, so the guard wraps ``click`` to add a capturing
#: ``change`` listener first, which stops an oversize file before the widget's own listener reads
#: it, and shows the sentence prepared by :func:`size_guard_html` (as text, never as HTML).
SIZE_GUARD_JS = """<script>
(function () {
  if (window.wbUploadSizeGuard) { return; }
  window.wbUploadSizeGuard = true;
  var proto = HTMLInputElement.prototype, click = proto.click;
  function guard(ev) {
    var box = document.querySelector(".wb-size-guard"), files = ev.target.files || [];
    if (!box) { return; }
    var max = Number(box.getAttribute("data-max-bytes"));
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > max) {
        var name = files[i].name, size = (files[i].size / 1048576).toFixed(1)
          .replace(".", box.getAttribute("data-decimal") || ".");
        ev.stopImmediatePropagation();
        ev.preventDefault();
        ev.target.value = "";
        box.textContent = box.getAttribute("data-template")
          .replace("{name}", function () { return name; }).replace("{size}", function () { return size; });
        box.style.display = "";
        return;
      }
    }
    box.style.display = "none";
  }
  proto.click = function () {
    if (this.type === "file" && !this.wbSizeGuard) {
      this.wbSizeGuard = true;
      this.addEventListener("change", guard, true);
    }
    return click.apply(this, arguments);
  };
})();
</script>"""


def size_guard_html(max_mb: float, lang: str) -> str:
    """The hidden sentence :data:`SIZE_GUARD_JS` shows for a file over ``max_mb`` (with its limit in bytes)."""
    text = t("upload.too_large_browser", lang, name="{name}", size="{size}", mb=f"{max_mb:g}".replace(
        ".", "," if lang == "id" else "."))
    return (f'<div class="wb-page"><div class="wb-msg wb-bad wb-size-guard" style="display:none" role="alert" '
            f'data-max-bytes="{int(max_mb * 1024 * 1024)}" data-decimal="{"," if lang == "id" else "."}" '
            f'data-template="{html.escape(text, quote=True)}"></div></div>')


class UploadApp:
    """The upload page's widgets; ``session`` and ``staged`` are plain data, every callback one line."""

    def __init__(self, ctx, lang: str = "id", session: UploadSession | None = None) -> None:
        self.ctx, self.lang = ctx, lang
        self.session = session or UploadSession(Path(ctx.data_dir), Path(ctx.output_dir), int(ctx.year), ctx.settings)
        self.staged: StagedUpload | None = None
        self.run: SessionRun | None = None
        self._content: tuple[str, bytes] | None = None
        self._busy = False
        lay = widgets.Layout
        self.header = widgets.HTML()
        self.lang_w = widgets.ToggleButtons(options=[("Bahasa Indonesia", "id"), ("English", "en")], value=lang,
                                            style={"button_width": "130px"})
        self.table_w = widgets.Dropdown(layout=lay(width="440px"), style={"description_width": "80px"})
        self.upload_w = widgets.FileUpload(accept=".csv,.xlsx", multiple=False, layout=lay(width="220px"))
        self.messages = widgets.HTML()
        self.summary = widgets.HTML()
        self.report = widgets.HTML()
        self.use_w = widgets.Button(disabled=True, button_style="primary", icon="check",
                                   layout=lay(width="360px", margin="4px 0 8px 0"))
        self.result = widgets.HTML()
        self.lang_w.observe(lambda ch: self.set_lang(ch["new"]), names="value")
        self.table_w.observe(lambda ch: self.set_table(ch["new"]), names="value")
        self.upload_w.observe(lambda ch: self.on_upload(ch["new"]), names="value")
        self.use_w.on_click(lambda _b: self._guarded(self.use))
        self.widget = widgets.VBox([
            self.header, self.lang_w,
            widgets.HBox([self.table_w, self.upload_w], layout=lay(flex_flow="row wrap", align_items="center")),
            self.messages, self.summary, self.use_w, self.result, self.report], layout=lay(padding="0 12px"))
        self.render()

    # -- state changes
    def set_lang(self, lang: str) -> None:
        if not self._busy:
            self.lang = lang
            self._guarded(self.render)

    def set_table(self, table: str) -> None:
        if not self._busy and self._content is not None:
            self._guarded(lambda: self.receive(*self._content, table=table))

    def on_upload(self, value: Any) -> None:
        if value:
            f = value[0]
            self._guarded(lambda: self.receive(str(f["name"]), bytes(f["content"])))

    def apply_query(self, query: str | None) -> None:
        lang = parse_query(query).get("lang", self.lang)
        if lang in ("id", "en") and lang != self.lang:
            self.lang = lang
            self._guarded(self.render)

    def receive(self, name: str, content: bytes, table: str | None = None) -> StagedUpload:
        """Stage ``content`` (from the widget or a test) with the chosen table; redraw."""
        self._content = (name, content)
        self.run = None
        self.staged = stage_upload(self.session, name, content, table or self.table_w.value or "auto", self.lang)
        self.render()
        return self.staged

    def use(self) -> SessionRun | None:
        """Run the affected stages for this session (only when the upload has no error)."""
        if self.staged is None or not self.staged.can_use:
            return None
        st = self.staged
        self.use_w.disabled = True
        self.result.value = msgs_html([t("upload.running", self.lang, stages=", ".join(AFFECTED_STAGES[st.table or ""]))])
        try:
            self.run = use_upload(self.session, st, self.lang)
        finally:
            self.use_w.disabled = not st.can_use
        self.render()
        return self.run

    def _guarded(self, fn) -> None:
        try:
            fn()
        except WorkbookError as exc:
            self.result.value = ""
            self.messages.value = msgs_html([self.session.scrub(exc.message(self.lang))])
        except Exception:  # noqa: BLE001 — a sentence on the page; the traceback in the server log
            log_exception("upload page")
            self.result.value = ""
            self.messages.value = msgs_html([t("upload.error", self.lang)])

    def render(self) -> None:
        lang, st = self.lang, self.staged
        mb = f"{max_upload_mb(self.ctx.settings):g}"
        self.header.value = (
            f'{CSS}{_UPLOAD_CSS}<div class="wb-page wb-head"><a href="index.ipynb?lang={lang}">{t("upload.back", lang)}</a>'
            f'<h1>{html.escape(t("upload.title", lang))}</h1>'
            f'<p class="wb-sub">{html.escape(str(self.ctx.agency_name))} · {html.escape(t("upload.sub", lang, mb=mb))}</p></div>'
            + size_guard_html(max_upload_mb(self.ctx.settings), lang))
        self._busy = True
        try:
            current = self.table_w.value or "auto"
            self.table_w.options = [(t("upload.auto", lang), "auto")] + [(tb, tb) for tb in UPLOAD_TABLES]
            self.table_w.value = current
            self.table_w.description = t("upload.table", lang)
            if self.lang_w.value != lang:
                self.lang_w.value = lang
        finally:
            self._busy = False
        self.upload_w.description = t("upload.choose", lang)
        self.use_w.description = t("upload.use", lang)
        self.use_w.disabled = not (st is not None and st.can_use and self.run is None)
        self.messages.value = msgs_html([st.refused]) if st is not None and st.refused else ""
        self.summary.value = _summary_html(st, lang) if st is not None else ""
        self.report.value = _report_html(st, lang, self.session.scrub) if st is not None else ""
        if self.run is not None:
            ttl = scratch_ttl_h(self.ctx.settings)
            note = " ".join([t("upload.done", lang), t("upload.kept", lang)] +
                            ([t("upload.kept_ttl", lang, h=fmt_number(ttl, lang, 1))] if ttl > 0 else []))
            self.result.value = cards_html([self.run.headline]) + f'<div class="wb-page wb-foot">{html.escape(note)}</div>'
        else:
            self.result.value = ""


class _Failed:
    def __init__(self, widget: widgets.Widget) -> None:
        self.widget = widget

    def apply_query(self, query: str | None) -> None:  # noqa: ARG002
        return None


def open_upload(*, show: bool = True, lang: str | None = None) -> UploadApp | _Failed:
    """Build and display the upload page from the environment's data and output folders."""
    from workbook.core.context import open_context

    lang = lang or parse_query(os.environ.get("QUERY_STRING", "")).get("lang", "id")
    lang = lang if lang in ("id", "en") else "id"
    try:
        ctx = open_context(interactive=True, lang=lang)
        app: UploadApp | _Failed = UploadApp(ctx, lang)
    except WorkbookError as exc:
        app = _Failed(widgets.HTML(CSS + msgs_html([exc.message(lang)])))
    except Exception:  # noqa: BLE001
        log_exception("opening the upload page")
        app = _Failed(widgets.HTML(CSS + msgs_html([t("upload.error", lang)])))
    if show:
        display(HTML(SIZE_GUARD_JS))  # a <script> in the page's HTML (widget HTML never runs scripts)
        display(app.widget)
    return app

