"""Where units lie: latitude and longitude of each province, district and commune, from the vietnamadminunits dataset.

Read from the dataset when first asked and kept for the life of the process (a few thousand rows, read in tens of
milliseconds): the dataset ships read-only with the package and never changes while a server runs, so storing the
coordinates in our own tables would only be a second copy to keep in step after every `units import`.
"""

from __future__ import annotations

from contextlib import closing
from functools import lru_cache

from broadcast.units.dataset import _connect, _table

Point = tuple[float, float]  # (latitude, longitude), degrees


@lru_cache(maxsize=2)
def unit_points(scheme: str) -> dict[str, Point]:
    """Official unit code → (latitude, longitude) for every unit of the scheme that has them; UnitsError for a
    scheme that does not exist, or when the dataset is missing."""
    table = _table(scheme)
    levels = ["province", "ward"] + (["district"] if scheme == "legacy" else [])
    points: dict[str, Point] = {}
    with closing(_connect()) as conn:
        for level in levels:
            query = f"SELECT DISTINCT {level}Code, {level}Lat, {level}Lon FROM {table} WHERE {level}Code IS NOT NULL"
            for code, lat, lon in conn.execute(query):
                if code and isinstance(lat, float) and isinstance(lon, float):
                    points.setdefault(str(code), (lat, lon))
    return points
