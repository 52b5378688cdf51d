"""The stations' pull API: each station fetches its days, playlists, audio and emergencies, and sends its as-run log.

Every station route needs `Authorization: Bearer <token>`; a token opens its own station's data and any audio.
Checks run in a fixed order, so answers are predictable: 401 (no or bad token), 422 (a code, date or hash that
cannot be one), 403 (another station's), 404 (no such station or day). Manifests answer `If-None-Match` with 304
from an in-memory cache, with no database query — that is the request stations make all day long. Each station's
contact (last seen, software version, free disk) is written at most once a minute (broadcast.server.contacts).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import select, text
from sqlalchemy.orm import Session as DbSession

from broadcast import __version__
from broadcast.config import Settings
from broadcast.db import Database, open_database
from broadcast.db.models import Station
from broadcast.emergency_queue import generation
from broadcast.messages.drafting import MAX_UPLOAD_BYTES
from broadcast.messages.emergencies import EMERGENCY_HOURS
from broadcast.server.contacts import (
    CONTACT_EVERY,
    FREE_DISK_HEADER,
    ContactThrottle,
    free_disk_of,
    record_contact,
    software_of,
)
from broadcast.server.emergency import MAX_WAIT_SECONDS, BookCache, EmergencyWatch, emergency_items
from broadcast.server.limits import BodyLimit
from broadcast.server.playlog import MAX_BODY_BYTES, PlayLogBatch, PlayLogReceipt, store_entries
from broadcast.server.tokens import TOKEN_TTL, TokenCache, TokenHolder, bearer_token
from broadcast.server.tree import ExportTree
from broadcast.speech.normalize import Normalizer, normalizer_for
from broadcast.units.book import StationBook
from broadcast.web.app import add_office
from broadcast.web.pages.directives import UPLOAD_PATH

STATION_CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"  # e.g. 2025-06187, legacy-183
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
SHA256 = r"^[0-9a-f]{64}$"
AUDIO_CACHE = "public, max-age=31536000, immutable"  # named by their content: an audio URL never changes
DAY_CACHE = "private, no-cache"  # always ask again, with If-None-Match

Code = Annotated[str, Path(pattern=STATION_CODE, max_length=40, description="Station code, e.g. 2025-06187.")]
Day = Annotated[str, Path(pattern=DAY, max_length=10, description="Station local date, YYYY-MM-DD.")]
IfNoneMatch = Annotated[str | None, Header(max_length=4096)]

MAX_ERRORS_SHOWN = 20
log = logging.getLogger(__name__)

_bearer = HTTPBearer(auto_error=False, description="The station's token, from `broadcast stations token CODE`.")


@dataclass
class Api:
    """What the routes share: settings, database, the export tree and the caches in front of them."""

    settings: Settings
    database: Database
    emergency_hours: float
    now: Callable[[], datetime]
    tokens: TokenCache
    tree: ExportTree
    normalizer: Normalizer
    books: BookCache
    contacts: ContactThrottle
    watch: EmergencyWatch
    _book_lock: threading.Lock = field(default_factory=threading.Lock)

    def book(self, db: DbSession, code: str) -> StationBook:
        with self._book_lock:
            return self.books.get(db, code)

    def record_contact(self, holder: TokenHolder, software: str | None, free_disk: int | None) -> None:
        """Note that the station called now; a failed write is logged and tried again at its next request."""
        try:
            with self.database.transaction() as db:
                record_contact(db, holder.station_id, self.now(), software, free_disk)
        except Exception:  # the station's request must not fail because its "last seen" could not be kept
            self.contacts.forget(holder.station_id)
            log.exception("could not record the contact of station %s", holder.station_code)

    def station_exists(self, code: str) -> bool:
        with self.database.transaction() as db:
            return db.scalar(select(Station.id).where(Station.code == code)) is not None


class EmergencyItemOut(BaseModel):
    message_id: int
    title: str
    approved_at: str = Field(description="When it was approved, ISO 8601 in the station's local time.")
    audio: str = Field(description="Absolute API path of the MP3, /api/v1/audio/<sha256>.mp3.")
    sha256: str
    bytes: int
    duration: float = Field(description="Seconds.")


class EmergencyList(BaseModel):
    station: str
    items: list[EmergencyItemOut]


class Health(BaseModel):
    status: str


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def _api(request: Request) -> Api:
    api: Api = request.app.state.api
    return api


async def token_holder(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]
) -> TokenHolder:
    """The station whose token came with the request; 401 without a valid one."""
    if credentials is None:
        raise _unauthorized("send the station's token as 'Authorization: Bearer <token>'")
    token = bearer_token(f"Bearer {credentials.credentials}")
    if token is None:
        raise _unauthorized("the token is not valid; issue a new one with `broadcast stations token CODE`")
    tokens = _api(request).tokens
    found, holder = tokens.cached(token)
    if not found:
        holder = await run_in_threadpool(tokens.lookup, token)
    if holder is None:
        raise _unauthorized("the token is not valid or was revoked; issue a new one with `broadcast stations token`")
    api = _api(request)
    if api.contacts.due(holder.station_id):
        software = software_of(request.headers.get("user-agent"))
        free_disk = free_disk_of(request.headers.get(FREE_DISK_HEADER))
        await run_in_threadpool(api.record_contact, holder, software, free_disk)
    return holder


Holder = Annotated[TokenHolder, Depends(token_holder)]


async def _own_station(api: Api, holder: TokenHolder, code: str) -> None:
    if code == holder.station_code:
        return
    if await run_in_threadpool(api.station_exists, code):
        raise HTTPException(403, f"this token belongs to station {holder.station_code}, not {code}")
    raise HTTPException(404, f"no station {code}")


def _calendar_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{value} is not a calendar date; use YYYY-MM-DD") from None


def etag_matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names this entity tag (given without quotes), or is '*'."""
    if not if_none_match:
        return False
    quoted = f'"{tag}"'
    for part in if_none_match.split(","):
        candidate = part.strip()
        candidate = candidate.removeprefix("W/")
        if candidate in (quoted, tag, "*"):
            return True
    return False


async def _validation_error(request: Request, exc: Exception) -> Response:
    """422 naming what is wrong, without echoing the input: it may be huge, or text that cannot even be encoded."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    shown = [
        {"loc": [p if isinstance(p, int) else str(p) for p in error.get("loc", ())], "msg": str(error.get("msg"))}
        for error in errors[:MAX_ERRORS_SHOWN]
    ]
    body = json.dumps({"detail": shown, "errors": len(errors)}, ensure_ascii=True)  # escapes lone surrogates
    return Response(body, status_code=422, media_type="application/json")


def create_app(
    settings: Settings,
    database: Database | None = None,
    *,
    emergency_hours: float = EMERGENCY_HOURS,
    token_ttl: float = TOKEN_TTL,
    contact_every: float = CONTACT_EVERY,
    now: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The API for these settings; opens the database itself when not given one (and closes it on shutdown)."""
    owned = database is None
    db = database if database is not None else open_database(settings.database_url)
    api = Api(
        settings=settings,
        database=db,
        emergency_hours=emergency_hours,
        now=now or (lambda: datetime.now(UTC)),
        tokens=TokenCache(db, token_ttl),
        tree=ExportTree(settings.export_root),
        normalizer=normalizer_for(settings.lexicon),
        books=BookCache(token_ttl, time.monotonic),
        contacts=ContactThrottle(contact_every, time.monotonic),
        watch=EmergencyWatch(lambda: _generation(db)),
    )
    app = FastAPI(
        title="broadcast station API",
        version=__version__,
        description=(
            "What commune and district stations pull: each day's manifest and playlist, the audio, emergencies "
            "to play now; and where they send their as-run log. Manifests carry their version as ETag: send it "
            "back in If-None-Match to get 304 while the day is unchanged."
        ),
    )
    app.state.api = api
    app.add_exception_handler(RequestValidationError, _validation_error)
    # The office's directive upload carries a whole document; the multipart wrapping adds a little.
    uploads = {UPLOAD_PATH: MAX_UPLOAD_BYTES + 64 * 1024}
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES, larger=uploads)
    app.router.on_shutdown.append(api.watch.close)
    if owned:
        app.router.on_shutdown.append(db.dispose)
    _routes(app)
    add_office(app, settings, db, api.now)
    return app


def _generation(database: Database) -> object:
    with database.transaction() as db:
        return generation(db)


def _heard_ids(heard: str | None) -> frozenset[int]:
    return frozenset(int(part) for part in heard.split(",")) if heard else frozenset()


def _routes(app: FastAPI) -> None:
    day_responses: dict[int | str, dict[str, Any]] = {
        304: {"description": "Unchanged since the ETag sent in If-None-Match."},
        401: {"description": "No token, or not a valid one."},
        403: {"description": "The token belongs to another station."},
        404: {"description": "No such station, or nothing published for that day."},
    }

    @app.get("/healthz", response_model=Health, tags=["service"], responses={503: {"description": "No database."}})
    async def healthz(request: Request) -> Any:
        """Whether the service is up and its database answers."""

        def check() -> None:
            with _api(request).database.transaction() as db:
                db.execute(text("SELECT 1"))

        try:
            await run_in_threadpool(check)
        except Exception as exc:  # any database failure means "not healthy", never a crash
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return JSONResponse({"status": "error", "detail": reason}, status_code=503)
        return {"status": "ok"}

    # Registered before the manifest route, whose {day} would otherwise take "2025-03-01.m3u8" whole.
    @app.get(
        "/api/v1/stations/{code}/days/{day}.m3u8",
        response_class=Response,
        tags=["stations"],
        responses={200: {"content": {"audio/x-mpegurl": {}}, "description": "The playlist."}, **day_responses},
    )
    async def get_playlist(request: Request, code: Code, day: Day, holder: Holder) -> Response:
        """The day's M3U8 playlist. Its audio lines are absolute API paths (/api/v1/audio/<sha256>.mp3), unlike
        the static export's ../../audio/… paths, so a player can stream them from this server."""
        api = _api(request)
        await _own_station(api, holder, code)
        data = api.tree.read_playlist(code, _calendar_day(day))
        if data is None:
            raise HTTPException(404, f"nothing published for station {code} on {day}")
        return Response(data, media_type="audio/x-mpegurl; charset=utf-8", headers={"Cache-Control": DAY_CACHE})

    @app.get(
        "/api/v1/stations/{code}/days/{day}",
        response_class=Response,
        tags=["stations"],
        responses={200: {"content": {"application/json": {}}, "description": "The manifest."}, **day_responses},
    )
    async def get_manifest(
        request: Request, code: Code, day: Day, holder: Holder, if_none_match: IfNoneMatch = None
    ) -> Response:
        """The day's manifest, the exported file byte for byte; its ETag is the manifest's version."""
        api = _api(request)
        if code != holder.station_code:
            await _own_station(api, holder, code)
        on = _calendar_day(day)
        if if_none_match:
            exists, version = api.tree.manifest_version(code, on)
            if exists and version is not None and etag_matches(if_none_match, version):
                return Response(status_code=304, headers={"ETag": f'"{version}"', "Cache-Control": DAY_CACHE})
        manifest = api.tree.read_manifest(code, on)
        if manifest is None:
            raise HTTPException(404, f"nothing published for station {code} on {day}")
        headers = {"Cache-Control": DAY_CACHE}
        if manifest.version is not None:
            headers["ETag"] = f'"{manifest.version}"'
            if etag_matches(if_none_match, manifest.version):
                return Response(status_code=304, headers=headers)
        return Response(manifest.data, media_type="application/json", headers=headers)

    @app.get(
        "/api/v1/audio/{sha256}.mp3",
        response_class=FileResponse,
        tags=["audio"],
        responses={
            200: {"content": {"audio/mpeg": {}}, "description": "The MP3."},
            206: {"description": "The part asked for with Range."},
            304: {"description": "Unchanged (the ETag is the sha256)."},
            401: {"description": "No token, or not a valid one."},
            404: {"description": "No audio with this sha256."},
            416: {"description": "The Range lies outside the file."},
        },
    )
    async def get_audio(
        request: Request,
        sha256: Annotated[str, Path(pattern=SHA256, description="sha256 of the MP3, 64 lowercase hex digits.")],
        holder: Holder,
        if_none_match: IfNoneMatch = None,
    ) -> Response:
        """An MP3 named by its sha256, for any station's token; Range requests get 206. Audio never changes."""
        api = _api(request)
        headers = {"ETag": f'"{sha256}"', "Cache-Control": AUDIO_CACHE}
        path = api.tree.audio_file(sha256, api.settings.audio_dir)
        if path is None:
            raise HTTPException(404, f"no audio {sha256}")
        if etag_matches(if_none_match, sha256):
            return Response(status_code=304, headers=headers)
        try:
            stat = path.stat()
        except OSError:
            raise HTTPException(404, f"no audio {sha256}") from None
        return FileResponse(path, media_type="audio/mpeg", headers=headers, stat_result=stat)

    @app.get(
        "/api/v1/stations/{code}/emergency",
        response_model=EmergencyList,
        tags=["stations"],
        responses={204: {"description": "Nothing to play now."}, **{k: day_responses[k] for k in (401, 403, 404)}},
    )
    async def get_emergency(
        request: Request,
        code: Code,
        holder: Holder,
        wait: Annotated[
            float | None,
            Query(
                ge=0,
                le=MAX_WAIT_SECONDS,
                description=f"Long poll: hold the answer up to this many seconds (at most {MAX_WAIT_SECONDS}) "
                "until there is an item not in `heard`; without it, answer at once.",
            ),
        ] = None,
        heard: Annotated[
            str | None,
            Query(
                max_length=4000,
                pattern=r"^[0-9]{1,10}(,[0-9]{1,10})*$",
                description="Message ids the station has already played, comma-separated: left out of the answer.",
            ),
        ] = None,
    ) -> Any:
        """Emergency messages to play now: approved within the last hours, for today, reaching this station,
        with audio rendered for its engine and voice (items whose audio is not ready yet are left out).
        With `wait`, a long poll: the answer comes as soon as an emergency the station has not heard is ready."""
        api = _api(request)
        await _own_station(api, holder, code)
        known = _heard_ids(heard)

        def find() -> list[dict[str, object]] | None:
            with api.database.transaction() as db:
                items = emergency_items(
                    db,
                    api.settings,
                    code,
                    api.now(),
                    book=api.book,
                    normalizer=api.normalizer,
                    audio_exists=lambda sha: api.tree.audio_file(sha, api.settings.audio_dir) is not None,
                    hours=api.emergency_hours,
                )
            if items is None:
                return None
            return [item.as_json() for item in items if item.message_id not in known]

        deadline = time.monotonic() + (wait or 0.0)
        while True:
            changed = await api.watch.changed() if wait else None
            items = await run_in_threadpool(find)
            if items is None:
                raise HTTPException(404, f"no station {code}")
            left = deadline - time.monotonic()
            if items or changed is None or left <= 0:
                break
            try:
                await asyncio.wait_for(changed.wait(), left)
            except TimeoutError:
                return Response(status_code=204)
        if not items:
            return Response(status_code=204)
        return {"station": code, "items": items}

    @app.post(
        "/api/v1/stations/{code}/playlog",
        response_model=PlayLogReceipt,
        tags=["stations"],
        responses={
            **{k: day_responses[k] for k in (401, 403, 404)},
            413: {"description": "The body is larger than 4 MiB."},
        },
    )
    async def post_playlog(request: Request, code: Code, batch: PlayLogBatch, holder: Holder) -> Any:
        """Store the station's as-run entries. Sending an entry again (same id) stores it once: safe to retry."""
        api = _api(request)
        await _own_station(api, holder, code)

        def store() -> int:
            with api.database.transaction() as db:
                return store_entries(db, holder.station_id, batch.entries, api.now())

        stored = await run_in_threadpool(store)
        return {"received": len(batch.entries), "stored": stored}
