"""The overview (Tổng quan): what awaits approval, today's sessions, emergencies, quiet stations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from broadcast.overview import office_overview
from broadcast.times import local_time
from broadcast.web.context import Visitor, office, render, visitor
from broadcast.web.labels import PRIORITY_LABELS, scope_name

router = APIRouter()


@router.get("/")
def overview(request: Request, who: Annotated[Visitor, Depends(visitor)]) -> Any:
    app = office(request)
    now = app.now()
    with app.transaction() as db:
        data = office_overview(db, who.actor, now, app.settings.timezone)
        page = render(
            request,
            "overview.html",
            title="Tổng quan",
            visitor=who,
            active="/",
            data=data,
            scope_name=scope_name(db, who.actor),
            today=local_time(now, app.settings.timezone).date(),
            priority_labels=PRIORITY_LABELS,
        )
    return page
