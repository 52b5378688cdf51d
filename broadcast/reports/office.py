"""The results report as an office account sees it: only stations within its scope, and a chart of the totals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session as DbSession

from broadcast.audit import Actor
from broadcast.db.models import Unit
from broadcast.errors import PermissionDenied
from broadcast.reports.results import Report, load_report
from broadcast.units.scope import require_role, scope_of
from broadcast.units.tree import find_unit
from broadcast.vocabulary import Role

MAX_BARS = 40


@dataclass(frozen=True)
class Bar:
    """One place in the chart: what was planned there and what aired."""

    label: str
    planned: int
    played: int

    @property
    def done(self) -> int:
        return min(self.played, self.planned)


def scoped_report(
    db: DbSession, actor: Actor, start: date, end: date, directive_id: int | None = None, under: str | None = None
) -> Report:
    """The report of [start, end] for the unit under (by default the actor's own unit), which must lie in scope.

    PermissionDenied for an operator (its station's plays are its as-run log) or a unit outside the scope.
    """
    require_role(actor, Role.EDITOR, "read the results report")
    scope = scope_of(db, actor)
    if under:
        unit = find_unit(db, under)
        if not scope.has_unit(unit.id):
            raise PermissionDenied(f"{actor.name} may not read the report of {under}: it lies outside their scope")
        ref: str | None = unit.ref
    elif actor.unit_id is not None:
        own = db.get(Unit, actor.unit_id)
        ref = own.ref if own is not None else None
    else:
        ref = None
    return load_report(db, start, end, directive_id, ref)


def chart_bars(report: Report) -> list[Bar]:
    """Planned against aired per district when the report spans several, else per station (commune)."""
    if len(report.districts) > 1:
        bars = [Bar(t.district.name if t.district else "?", t.tally.planned, t.tally.played) for t in report.districts]
    else:
        planned: dict[str, int] = defaultdict(int)
        played: dict[str, int] = defaultdict(int)
        for row in report.rows:
            planned[row.station.name] += row.tally.planned
            played[row.station.name] += row.tally.played
        bars = [Bar(name, planned[name], played[name]) for name in planned]
    return bars[:MAX_BARS]
