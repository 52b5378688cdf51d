"""Tình trạng đài: the stations in the visitor's scope — silent ones, sessions missed yesterday, emergencies not
yet played — and a map of them coloured by state, drawn as SVG on the server (no script, no map tiles)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from broadcast.errors import UnitsError
from broadcast.reports.status import StationHealth, station_status
from broadcast.times import local_time
from broadcast.units.coordinates import Point, unit_points
from broadcast.units.scope import scope_of
from broadcast.vocabulary import StationState
from broadcast.web.context import Visitor, office, render, visitor
from broadcast.web.labels import scope_name

router = APIRouter()

# One colour per state, as the legend shows them; fill attributes, so the map reads the same without the stylesheet.
COLOURS = {
    StationState.ACTIVE: "#2e7d32",
    StationState.MISSED: "#ef6c00",
    StationState.SILENT: "#c62828",
    StationState.NEVER_SEEN: "#757575",
}
MAP_WIDTH = 600.0
MAP_MARGIN = 12.0
MAX_ROWS = 200  # per table; a national view lists the first ones and says how many more there are


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    colour: str
    label: str  # the dot's <title>: station, state


@dataclass(frozen=True)
class StationMap:
    width: float
    height: float
    radius: float
    dots: tuple[Dot, ...]
    unplaced: int  # stations whose unit has no coordinates in the dataset


def station_map(stations: Iterable[StationHealth], points: Mapping[str, Mapping[str, Point]]) -> StationMap:
    """Dots for the stations placed by their unit's coordinates (points: scheme → unit code → point), fitted into
    MAP_WIDTH with longitudes shrunk by the cosine of the middle latitude, so distances look right."""
    placed: list[tuple[StationHealth, Point]] = []
    unplaced = 0
    for station in stations:
        point = points.get(station.scheme, {}).get(station.unit_code)
        if point is None:
            unplaced += 1
        else:
            placed.append((station, point))
    if not placed:
        return StationMap(MAP_WIDTH, MAP_WIDTH / 2, 4.0, (), unplaced)
    south, north = min(p[0] for _, p in placed), max(p[0] for _, p in placed)
    west, east = min(p[1] for _, p in placed), max(p[1] for _, p in placed)
    squeeze = math.cos(math.radians((south + north) / 2))
    span = max((east - west) * squeeze, north - south, 0.05)
    scale = (MAP_WIDTH - 2 * MAP_MARGIN) / span
    height = (north - south) * scale + 2 * MAP_MARGIN
    radius = 5.0 if len(placed) <= 300 else 3.0 if len(placed) <= 3000 else 1.6
    dots = tuple(
        Dot(
            x=round(MAP_MARGIN + (lon - west) * squeeze * scale, 1),
            y=round(MAP_MARGIN + (north - lat) * scale, 1),
            colour=COLOURS[station.state],
            label=f"{station.name} ({station.code}): {station.state.label.lower()}",
        )
        for station, (lat, lon) in placed
    )
    return StationMap(MAP_WIDTH, round(max(height, 4 * MAP_MARGIN), 1), radius, dots, unplaced)


def _points(schemes: set[str]) -> dict[str, dict[str, Point]]:
    found = {}
    for scheme in schemes:
        try:
            found[scheme] = unit_points(scheme)
        except UnitsError:  # no dataset on this machine: the lists still show, the map stays empty
            found[scheme] = {}
    return found


@router.get("/status")
def status_page(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    app = office(request)
    zone = app.settings.timezone
    with app.transaction() as db:
        report = station_status(db, scope_of(db, who.actor), app.now(), zone)
        where = scope_name(db, who.actor)
    drawn = station_map(report.stations, _points({s.scheme for s in report.stations}))

    def when(moment: Any) -> str:
        return local_time(moment, zone).strftime("%H:%M %d/%m/%Y") if moment else "chưa bao giờ"

    return render(
        request,
        "status/index.html",
        title="Tình trạng đài",
        visitor=who,
        active="/status",
        report=report,
        scope_name=where,
        counts=report.counts(),
        colours=COLOURS,
        map=drawn,
        when=when,
        max_rows=MAX_ROWS,
    )
