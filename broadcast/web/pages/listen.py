"""Nghe: a message's speech, as listeners will hear it in a bulletin, with a seekable player."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse

from broadcast.errors import BroadcastError, NotFoundError, PermissionDenied
from broadcast.listening import message_audio, require_listener
from broadcast.messages.store import find_message
from broadcast.web.context import Visitor, office, render, visitor
from broadcast.web.labels import PRIORITY_LABELS, STATUS_LABELS, vi_error

router = APIRouter()


# Before the page's route, whose {message_id} would otherwise take "1.mp3" and refuse it.
@router.get("/listen/message/{message_id}.mp3")
def message_mp3(request: Request, who: Annotated[Visitor, Depends(visitor)], message_id: int) -> Any:
    """The message's preview, rendered on first request (a few seconds) and cached; Range requests get 206."""
    app = office(request)
    try:
        with app.transaction() as db:
            path = message_audio(db, app.settings, who.actor, message_id, app.now())
    except BroadcastError as exc:
        if isinstance(exc, NotFoundError | PermissionDenied):
            raise
        return render(request, "error.html", 422, title="Không nghe được", heading="Không nghe được",
                      detail=vi_error(exc))  # fmt: skip
    return FileResponse(path, media_type="audio/mpeg", headers={"Cache-Control": "private, max-age=3600"})


@router.get("/listen/message/{message_id}")
def listen_page(request: Request, who: Annotated[Visitor, Depends(visitor)], message_id: int) -> Any:
    app = office(request)
    with app.transaction() as db:
        message = find_message(db, message_id)
        require_listener(db, who.actor, message)
        page = render(
            request,
            "timetable/listen.html",
            title=f"Nghe: {message.title}",
            visitor=who,
            active="/timetable",
            message=message,
            priority_labels=PRIORITY_LABELS,
            status_labels=STATUS_LABELS,
        )
    return page
