"""Read official administrative units from the dataset shipped in the vietnamadminunits package (MIT).

The package's ``data/dataset.db`` holds one row per commune: ``admin_units_legacy`` for the scheme in force until
30 June 2025 (province → district → commune) and ``admin_units`` for the 2025 scheme (province → commune).
A few legacy island districts (Côn Đảo, Lý Sơn, …) have no communes: their row has an empty ward.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from broadcast.errors import UnitsError
from broadcast.text import fold, nfc

SCHEME_TABLES = {"legacy": "admin_units_legacy", "2025": "admin_units"}


@dataclass(frozen=True)
class UnitRecord:
    """One unit as the dataset gives it, before it is stored."""

    code: str
    name: str
    short_name: str
    type_name: str
    kind: str
    parent_code: str | None


def dataset_path() -> Path:
    """Where the vietnamadminunits dataset lives on this machine."""
    try:
        path = Path(str(resources.files("vietnamadminunits") / "data" / "dataset.db"))
    except ModuleNotFoundError as exc:
        raise UnitsError(
            "the vietnamadminunits package is missing; install it with pip install vietnamadminunits"
        ) from exc
    if not path.is_file():
        raise UnitsError(f"the vietnamadminunits dataset is missing at {path}; reinstall vietnamadminunits")
    return path


def _connect() -> sqlite3.Connection:
    return sqlite3.connect(f"file:{dataset_path()}?mode=ro", uri=True)


def _type_of(name: str, short_name: str) -> str:
    """The unit's type ("Tỉnh", "Thành phố", "Xã", …) is its full name without the short name."""
    return name[: len(name) - len(short_name)].strip() if name.endswith(short_name) else name.split(" ")[0]


def _province_key(text: str) -> str:
    return fold(text).replace(" ", "").replace("-", "")


def resolve_province(scheme: str, query: str) -> str:
    """Return the official code of the province named by query, ignoring case, diacritics and the type word."""
    table = _table(scheme)
    with closing(_connect()) as conn:
        rows = conn.execute(f"SELECT DISTINCT provinceCode, province, provinceShort, provinceKeywords FROM {table}")
        provinces = [(code, nfc(name), nfc(short), keywords or "") for code, name, short, keywords in rows]
    wanted = _province_key(query)
    for code, name, short, keywords in provinces:
        if wanted in {code, _province_key(name), _province_key(short)} or f'"{wanted}"' in keywords:
            return str(code)
    by_key = {fold(short): short for _, _, short, _ in provinces}
    close = difflib.get_close_matches(fold(query), list(by_key), n=3, cutoff=0.75)
    hint = (
        f"; did you mean {', '.join(by_key[c] for c in close)}?"
        if close
        else "; give its name (e.g. 'Lạng Sơn' or 'lang son') or its two-digit code"
    )
    raise UnitsError(f"no province {query!r} in the {scheme} scheme{hint}")


def _table(scheme: str) -> str:
    try:
        return SCHEME_TABLES[scheme]
    except KeyError:
        raise UnitsError(f"unknown scheme {scheme!r}; use legacy or 2025") from None


def read_units(scheme: str, province_code: str | None = None) -> Iterator[UnitRecord]:
    """Yield provinces, then districts (legacy), then communes, each once, parents before children."""
    table = _table(scheme)
    where, params = ("WHERE provinceCode = ?", (province_code,)) if province_code else ("", ())
    district_cols = "district, districtShort, districtCode" if scheme == "legacy" else "NULL, NULL, NULL"
    query = (
        f"SELECT province, provinceShort, provinceCode, {district_cols}, ward, wardShort, wardCode "
        f"FROM {table} {where} ORDER BY provinceCode, wardCode"
    )
    with closing(_connect()) as conn:
        rows = conn.execute(query, params).fetchall()

    provinces: dict[str, UnitRecord] = {}
    districts: dict[str, UnitRecord] = {}
    communes: list[UnitRecord] = []
    for p_name, p_short, p_code, d_name, d_short, d_code, w_name, w_short, w_code in rows:
        p_name, p_short = nfc(p_name), nfc(p_short)
        provinces.setdefault(p_code, UnitRecord(p_code, p_name, p_short, _type_of(p_name, p_short), "province", None))
        parent = p_code
        if d_code:
            d_name, d_short = nfc(d_name), nfc(d_short)
            districts.setdefault(
                d_code, UnitRecord(d_code, d_name, d_short, _type_of(d_name, d_short), "district", p_code)
            )
            parent = d_code
        if w_code:
            w_name, w_short = nfc(w_name), nfc(w_short)
            communes.append(UnitRecord(w_code, w_name, w_short, _type_of(w_name, w_short), "commune", parent))
    yield from sorted(provinces.values(), key=lambda u: u.code)
    yield from sorted(districts.values(), key=lambda u: u.code)
    yield from communes
