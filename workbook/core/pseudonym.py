"""Pseudonyms: a raw NIP never travels past the loader.

A NIP (18 digits: birth date ``YYYYMMDD``, TMT CPNS ``YYYYMM``, sex ``1``/``2``, sequence ``NNN``)
is a quasi-identifier. On load it is checked (:func:`check_nip`) and replaced by a *keyed*
pseudonym, ``N`` + the first 12 hex digits of HMAC-SHA256(key, NIP): the same key gives the same
pseudonym every year; without the key nobody can recompute it from a list of NIPs. Names are
dropped.

The key comes from, in order: the file named by the setting ``privacy.pseudonym_key_file``; the
environment variable named by ``privacy.pseudonym_key_env`` (default ``WORKBOOK_PSEUDONYM_KEY``);
otherwise a new random key file is created in the user's configuration folder
(``%APPDATA%\\workbook\\pseudonym.key`` on Windows, ``$XDG_CONFIG_HOME/workbook`` or
``~/.config/workbook`` elsewhere) and a warning says where. Keep a copy of the key: without it,
next year's pseudonyms will differ.

The re-identification table (pseudonym → NIP, name) is written next to the key file
(``pseudonym_reid.csv``), merged year after year, never inside the repository or an output
folder. :func:`reidentify` is used only when writing the *confidential* output class
(individual development plans).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import tempfile
import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from workbook.core.exceptions import Problem, SettingsError

__all__ = [
    "check_nip",
    "clean_nip",
    "pseudonym",
    "load_key",
    "default_key_path",
    "reid_path",
    "pseudonymise_frame",
    "reidentify",
    "PREFIX",
    "nip_dates",
    "pseudonymise_ids",
]

PREFIX = "N"
_DIGITS = 12
REID_FILE = "pseudonym_reid.csv"


def clean_nip(value: Any) -> str | None:
    """The NIP as text without spaces (and without an Excel leading apostrophe); None if blank."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer():
            value = int(value)
    s = str(value).strip().lstrip("'").replace(" ", "").replace("\u00a0", "")
    return s or None


def check_nip(nip: str, *, today: date | None = None) -> tuple[str, str] | None:
    """Why ``nip`` is not a plausible NIP (Indonesian, English), or None if it is.

    Checks: 18 digits; digits 1–8 a birth date between 1940 and today; digits 9–14 a TMT year and
    month at least 15 years after birth and not in the future (+1 year); digit 15 is 1 or 2.
    """
    today = today or date.today()
    if not re.fullmatch(r"\d{18}", nip):
        return (f"harus 18 digit angka, ditemukan {len(nip)} karakter",
                f"must be 18 digits, found {len(nip)} characters")
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return ("digit 1–8 bukan tanggal lahir yang sah", "digits 1–8 are not a valid birth date")
    if not 1940 <= born.year <= today.year - 15:
        return ("tahun lahir (digit 1–4) tidak masuk akal", "birth year (digits 1–4) is implausible")
    tmt_y, tmt_m = int(nip[8:12]), int(nip[12:14])
    if not 1 <= tmt_m <= 12 or tmt_y < born.year + 15 or tmt_y > today.year + 1:
        return ("digit 9–14 bukan TMT CPNS yang masuk akal", "digits 9–14 are not a plausible TMT CPNS")
    if nip[14] not in "12":
        return ("digit 15 (jenis kelamin) harus 1 atau 2", "digit 15 (sex) must be 1 or 2")
    return None


def pseudonym(nip: str, key: bytes) -> str:
    """Keyed pseudonym of a (clean) NIP: ``N`` + 12 upper-case hex digits of HMAC-SHA256."""
    digest = hmac.new(key, nip.encode("ascii", "ignore"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:_DIGITS].upper()


def default_key_path() -> Path:
    """``%APPDATA%/workbook/pseudonym.key`` on Windows, else ``$XDG_CONFIG_HOME`` or ``~/.config``."""
    if os.name == "nt" and os.environ.get("APPDATA"):
        base = Path(os.environ["APPDATA"])
    elif os.environ.get("XDG_CONFIG_HOME"):
        base = Path(os.environ["XDG_CONFIG_HOME"])
    else:
        base = Path.home() / ".config"
    return base / "workbook" / "pseudonym.key"


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def _refuse_inside(path: Path, forbidden: list[Path]) -> None:
    rp = path.resolve()
    for f in forbidden:
        try:
            rp.relative_to(f.resolve())
        except ValueError:
            continue
        raise SettingsError(
            f"Berkas kunci samaran tidak boleh berada di dalam {f} (repositori, data masukan atau keluaran): {path}",
            f"The pseudonym key file must not be inside {f} (repository, input data or outputs): {path}",
            file=str(path),
        )


def _key_file_setting(settings: Any) -> str | None:
    try:
        return settings["privacy.pseudonym_key_file"] if settings is not None else None
    except Exception:  # noqa: BLE001
        return None


def load_key(settings: Any = None, *, forbidden: list[Path] | None = None,
             create: bool = True) -> tuple[bytes, Path | None]:
    """The secret key and the folder where the re-identification table belongs.

    Returns
    -------
    key : bytes
    key_dir : Path or None
        The folder of the key file (None when the key came from the environment and no key file
        is configured; the re-identification table then goes to the default config folder).
    """
    forbidden = [_repo_root(), *(forbidden or [])] if (_repo_root() / "pyproject.toml").exists() else list(forbidden or [])
    kf = _key_file_setting(settings)
    if kf:
        path = Path(kf).expanduser()
        _refuse_inside(path, forbidden)
        if not path.is_file():
            if not create:
                raise SettingsError(f"Berkas kunci samaran tidak ditemukan: {path}",
                                    f"Pseudonym key file not found: {path}", file=str(path))
            _write_new_key(path)
        return _read_key(path), path.parent
    env_name = "WORKBOOK_PSEUDONYM_KEY"
    if settings is not None:
        try:
            env_name = settings["privacy.pseudonym_key_env"] or env_name
        except Exception:  # noqa: BLE001
            pass
    env = os.environ.get(env_name)
    if env:
        return env.strip().encode("utf-8"), None
    path = default_key_path()
    _refuse_inside(path, forbidden)
    if not path.is_file():
        if not create:
            raise SettingsError("Kunci samaran belum ada.", "No pseudonym key yet.", file=str(path))
        _write_new_key(path)
        warnings.warn(
            f"Kunci samaran baru dibuat di {path}. Simpan salinannya di tempat aman: tanpa kunci ini ID samaran "
            f"tahun depan akan berbeda. | A new pseudonym key was created at {path}. Keep a safe copy: without it "
            "next year's pseudonyms will differ.",
            UserWarning, stacklevel=3,
        )
    return _read_key(path), path.parent


def _write_new_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write_text(path, secrets.token_hex(32) + "\n")
    try:
        os.chmod(path, 0o600)
    except OSError:  # pragma: no cover - e.g. some Windows file systems
        pass


def _read_key(path: Path) -> bytes:
    data = path.read_bytes().strip()
    if len(data) < 16:
        raise SettingsError(f"Berkas kunci samaran terlalu pendek (minimal 16 byte): {path}",
                            f"Pseudonym key file too short (at least 16 bytes): {path}", file=str(path))
    return data


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def reid_path(settings: Any = None) -> Path:
    """Path of the re-identification table (next to the key file)."""
    kf = _key_file_setting(settings)
    return (Path(kf).expanduser().parent if kf else default_key_path().parent) / REID_FILE


def _merge_reid(path: Path, new: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    cols = ["pseudonym", "nip", "nama", "first_seen", "last_seen"]
    if path.is_file():
        old = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        old = old.reindex(columns=cols, fill_value="")
    else:
        old = pd.DataFrame(columns=cols, dtype="str")
    new = new.astype(str).reindex(columns=cols, fill_value="")
    merged = pd.concat([old, new], ignore_index=True)
    first = merged.groupby("pseudonym", sort=True)["first_seen"].agg(
        lambda s: min([x for x in s if x] or [""]))
    merged = merged.drop_duplicates("pseudonym", keep="last").set_index("pseudonym")
    merged["first_seen"] = first
    out = merged.reset_index()[cols].sort_values("pseudonym")
    _atomic_write_text(path, out.to_csv(index=False, lineterminator="\n"))


def nip_dates(nip: str) -> tuple[date, date]:
    """Birth date (digits 1–8, ``YYYYMMDD``) and TMT CPNS (digits 9–14, ``YYYYMM``, first of the
    month) of a NIP that passed :func:`check_nip`.

    >>> nip_dates("198602222012122003")
    (datetime.date(1986, 2, 22), datetime.date(2012, 12, 1))
    """
    return (date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8])), date(int(nip[8:12]), int(nip[12:14]), 1))


#: a date derived from a NIP is kept only inside these bounds (else a warning and a blank value)
NIP_AGE_RANGE = (18, 70)  # age at the TMT CPNS and in the plan year
NIP_CPNS_MIN_AGE = 18


def _implausible_dates(born: date, tmt: date, year: int) -> tuple[str, str] | None:
    lo, hi = NIP_AGE_RANGE
    if not lo <= year - born.year <= hi:
        return (f"umur {year - born.year} tahun pada {year} (harus {lo}–{hi})",
                f"age {year - born.year} in {year} (must be {lo}–{hi})")
    if tmt.year - born.year < NIP_CPNS_MIN_AGE or tmt.year > year:
        return (f"TMT CPNS {tmt:%Y-%m} tidak cocok dengan tahun lahir {born.year} atau tahun {year}",
                f"TMT CPNS {tmt:%Y-%m} does not fit birth year {born.year} or year {year}")
    return None


def _derive_dates(out: pd.DataFrame, nips: list[str | None], rows: pd.Series, fname: str,
                  problems: list[Problem], plan_year: Any) -> None:
    """Fill blank ``tanggal_lahir``/``tmt_cpns`` from valid NIPs (in place); implausible → warning, blank."""
    from workbook.core.problems import make_problem

    year = plan_year if isinstance(plan_year, int) else date.today().year
    cols = {c: (out[c].tolist() if c in out.columns else [pd.NaT] * len(out)) for c in ("tanggal_lahir", "tmt_cpns")}
    touched = False
    pppk = (out["status"] == "PPPK").tolist() if "status" in out.columns else [False] * len(out)
    for pos, nip in enumerate(nips):
        if nip is None:
            continue
        blank = [c for c in cols if (cols[c][pos] is None or pd.isna(cols[c][pos]))
                 and not (c == "tmt_cpns" and pppk[pos])]  # a PPPK's NIP holds the TMT PPPK
        if not blank:
            continue
        born, tmt = nip_dates(nip)
        why = _implausible_dates(born, tmt, year)
        if why is not None:
            problems.append(make_problem("nip_date_implausible", file=fname, row=int(rows.iloc[pos]),
                                         column=",".join(blank), value=nip[:4] + "…",
                                         detail_id=why[0], detail_en=why[1]))
            continue
        for c in blank:
            cols[c][pos] = pd.Timestamp(born if c == "tanggal_lahir" else tmt)
            touched = True
    if touched or any(c in out.columns for c in cols):
        for c, v in cols.items():
            if c in out.columns or touched:
                out[c] = pd.Series(pd.to_datetime(pd.Series(v, index=out.index, dtype=object)),
                                   index=out.index).astype("datetime64[us]")


def pseudonymise_frame(df: pd.DataFrame, rows: pd.Series, fname: str, settings: Any,
                       problems: list[Problem], *, plan_year: Any = None,
                       derive_dates: bool = False) -> pd.DataFrame:
    """Replace ``nip`` by pseudonyms in ``pegawai_id`` (where blank), drop ``nip`` and ``nama``.

    Invalid NIPs are reported (``invalid_nip``, located; the value shown is masked) and those rows
    keep their ``pegawai_id`` if any (else ``required_blank``). The re-identification table is
    updated next to the key file. With ``derive_dates``, blank ``tanggal_lahir`` and ``tmt_cpns``
    (not for PPPK: their NIP holds the TMT PPPK) are taken from each valid NIP first (:func:`nip_dates`); a derived date that is implausible
    for ``plan_year`` (age outside 18–70, TMT CPNS before 18 or after the plan year) gives a
    ``nip_date_implausible`` warning and stays blank.
    """
    from workbook.core.problems import make_problem

    if "nip" not in df.columns:
        if "pegawai_id" in df.columns:
            pass
        return df.drop(columns=[c for c in ("nama",) if c in df.columns])
    out = df.copy()
    valid_nips: list[str | None] = [None] * len(out)
    if "pegawai_id" not in out.columns:
        out.insert(0, "pegawai_id", pd.Series([None] * len(out), index=out.index, dtype="str"))
    nips = pd.Series([clean_nip(v) for v in out["nip"].tolist()], index=out.index, dtype=object)
    need = nips.map(lambda v: v is not None)
    key: bytes | None = None
    reid = []
    ids = out["pegawai_id"].tolist()
    for pos, (i, nip) in enumerate(nips.items()):
        row = int(rows.iloc[pos])
        if nip is None or not isinstance(nip, str):
            if ids[pos] is None or pd.isna(ids[pos]):
                problems.append(make_problem("required_blank", file=fname, row=row, column="pegawai_id",
                                             expected="pegawai_id / nip",
                                             detail_id="isi pegawai_id atau nip", detail_en="give pegawai_id or nip"))
            continue
        raw_value = df.at[i, "nip"]
        why = check_nip(nip)
        if why is None and isinstance(raw_value, float) and abs(raw_value) >= 2 ** 53:
            why = ("NIP tersimpan sebagai angka sehingga digit terakhir hilang; format sel sebagai teks",
                   "NIP stored as a number so its last digits are lost; format the cell as text")
        if why is not None:
            masked = nip[:4] + "…" if len(nip) > 4 else nip
            problems.append(make_problem("invalid_nip", file=fname, row=row, column="nip", value=masked,
                                         expected="18 digit", detail_id=why[0], detail_en=why[1]))
            if ids[pos] is None or pd.isna(ids[pos]):
                ids[pos] = None
            continue
        valid_nips[pos] = nip
        if key is None:
            key, _ = load_key(settings)
        pid = pseudonym(nip, key)
        if ids[pos] is None or pd.isna(ids[pos]):
            ids[pos] = pid
        nama = df.at[i, "nama"] if "nama" in df.columns else ""
        reid.append({"pseudonym": ids[pos], "nip": nip, "nama": "" if nama is None or pd.isna(nama) else nama,
                     "first_seen": str(plan_year or ""), "last_seen": str(plan_year or "")})
    out["pegawai_id"] = pd.Series(ids, index=out.index, dtype="str")
    if derive_dates:
        _derive_dates(out, valid_nips, rows, fname, problems, plan_year)
    if reid and need.any():
        _merge_reid(reid_path(settings), pd.DataFrame(reid))
    return out.drop(columns=[c for c in ("nip", "nama") if c in out.columns])


def pseudonymise_ids(df: pd.DataFrame, rows: pd.Series, fname: str, settings: Any,
                     problems: list[Problem]) -> pd.DataFrame:
    """``nip`` → keyed pseudonym in ``pegawai_id`` (where blank) in a table other than ``pegawai``;
    drop ``nip``. Other columns (a training's ``nama`` included) are kept; the re-identification
    table is not touched (it is written from ``pegawai``). An invalid NIP is ``invalid_nip``
    (located, masked); a row with neither id is ``required_blank``."""
    from workbook.core.problems import make_problem

    if "nip" not in df.columns:
        return df
    out = df.copy()
    ids = out["pegawai_id"].tolist() if "pegawai_id" in out.columns else [None] * len(out)
    key: bytes | None = None
    for pos, raw in enumerate(df["nip"].tolist()):
        nip = clean_nip(raw)
        have = not (ids[pos] is None or pd.isna(ids[pos]))
        row = int(rows.iloc[pos])
        if nip is None:
            if not have:
                problems.append(make_problem("required_blank", file=fname, row=row, column="pegawai_id",
                                             expected="pegawai_id / nip",
                                             detail_id="isi pegawai_id atau nip", detail_en="give pegawai_id or nip"))
            continue
        why = check_nip(nip)
        if why is None and isinstance(raw, float) and abs(raw) >= 2 ** 53:
            why = ("NIP tersimpan sebagai angka sehingga digit terakhir hilang; format sel sebagai teks",
                   "NIP stored as a number so its last digits are lost; format the cell as text")
        if why is not None:
            problems.append(make_problem("invalid_nip", file=fname, row=row, column="nip",
                                         value=nip[:4] + "…" if len(nip) > 4 else nip,
                                         expected="18 digit", detail_id=why[0], detail_en=why[1]))
            continue
        if not have:
            if key is None:
                key, _ = load_key(settings)
            ids[pos] = pseudonym(nip, key)
    out["pegawai_id"] = pd.Series(ids, index=out.index, dtype="str")
    cols = ["pegawai_id"] + [c for c in out.columns if c not in ("pegawai_id", "nip")]
    return out[cols]


def reidentify(df: pd.DataFrame, column: str = "pegawai_id", settings: Any = None) -> pd.DataFrame:
    """Add ``nip`` and ``nama`` columns for the pseudonyms in ``column``.

    Only for the *confidential* output class (one person's development plan). Pseudonyms not in
    the re-identification table get blank NIP and name.
    """
    path = reid_path(settings)
    if not path.is_file():
        raise SettingsError(
            f"Tabel re-identifikasi tidak ditemukan: {path}", f"Re-identification table not found: {path}",
            file=str(path),
        )
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    lookup = table.set_index("pseudonym")[["nip", "nama"]]
    out = df.copy()
    out["nip"] = out[column].map(lookup["nip"]).fillna("").astype("str")
    out["nama"] = out[column].map(lookup["nama"]).fillna("").astype("str")
    return out
