"""Build: plan the days, render the speech that is missing, and publish every station's playlists.

This is what `broadcast build` and the nightly job run. Only the station call is rendered per station (once, then
kept); greetings, closes, intros and messages are rendered once per voice, whatever the number of stations.
The export is published day by day, audio before manifests, so a crash leaves the last good export intact.
Before publishing, every plan is fitted to the real lengths of its speech (broadcast.planning.refit), so no session
ends after its end; a message whose speech cannot be made becomes a shortfall and a station whose call cannot be
made loses only its own day, while everything else publishes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from broadcast.audio.templates import Templates, find_folder, load_templates
from broadcast.config import Settings
from broadcast.db import Database, open_database
from broadcast.db.models import Message, PlanDay, Segment
from broadcast.errors import SpeechError
from broadcast.export.model import ExportItem, ExportSession, StationDay
from broadcast.export.publish import (
    PublishResult,
    publish_days,
    remove_leftovers,
    remove_old_days,
    remove_unreferenced_audio,
)
from broadcast.planning.bulletin import (
    CLOSING,
    OPENING,
    PAUSE,
    Announcement,
    Part,
    call_part,
    lay_out,
    session_parts,
    station_call,
    station_voice,
)
from broadcast.planning.overhead import jingle_seconds
from broadcast.planning.refit import SessionSeconds, refit_program
from broadcast.planning.service import PlanSummary, plan_range, shortfall_reports
from broadcast.speech.engines import Engine, get_engine
from broadcast.speech.normalize import normalizer_for
from broadcast.speech.segments import SegmentStore
from broadcast.units.book import StationBook, StationEntry
from broadcast.vocabulary import ItemKind

RENDER_BATCH = 50  # segments per transaction: a crash loses at most this much rendering
Progress = Callable[[Sequence[tuple[str, str, str]], str], Iterable[tuple[str, str, str]]]


@dataclass(frozen=True)
class SkippedDay:
    """A station's day the build could not make (its last published day, if any, is left as it was), and why."""

    station: str
    day: date
    reason: str


@dataclass(frozen=True)
class BuildResult:
    plan: PlanSummary
    segments_needed: int
    segments_rendered: int
    published: PublishResult
    audio_removed: int
    export_root: Path
    leftovers_removed: int = 0  # temporary files a killed build had left in the export
    segments_repaired: int = 0  # segment store files found damaged and rendered again
    skipped: tuple[SkippedDay, ...] = ()  # station days left out: their station call cannot be spoken
    refitted: int = 0  # audience days whose plan changed once real lengths and failed renders were known
    segments_reused: int = 0  # pieces found already rendered in the segment store
    render_seconds: float = 0.0  # wall-clock time spent finding and rendering speech
    publish_seconds: float = 0.0  # wall-clock time spent publishing the export (audio, playlists, manifests)


@dataclass(frozen=True)
class Piece:
    """Rendered audio for one piece of text in one voice."""

    path: Path
    sha256: str
    bytes: int
    duration: float


Laid = tuple[Part, Piece, Message | None]  # one part of a session with its audio and, for a message, its row


def _no_progress(items: Sequence[tuple[str, str, str]], label: str) -> Iterator[tuple[str, str, str]]:
    yield from items


def build_days(
    settings: Settings,
    start: date,
    days: int,
    *,
    now: datetime | None = None,
    progress: Progress = _no_progress,
    message_id: int | None = None,
    since: datetime | None = None,
) -> BuildResult:
    """Plan [start, start + days), render what is missing and publish. The caller holds the build lock.

    message_id names the emergency message this build was asked for; it is marked rebuilt when the build is done.
    since is when the rebuild was asked for; sessions that began before a message's approval are left as planned.
    """
    moment = now or since or datetime.now(UTC)
    database = open_database(settings.database_url)
    try:
        result = _build(database, settings, start, days, moment, progress)
        if message_id is not None:
            with database.transaction() as db:
                message = db.get(Message, message_id)
                if message is not None:
                    message.rebuilt_at = moment
        return result
    finally:
        database.dispose()


def retry_failed_renders(settings: Settings, *, now: datetime) -> BuildResult | None:
    """Forget segments another engine had to stand in for (gTTS offline) and build again, so they are retried."""
    database = open_database(settings.database_url)
    try:
        with database.transaction() as db:
            failed = list(db.scalars(select(Segment).where(Segment.fallback_reason.is_not(None))))
            for segment in failed:
                db.delete(segment)
    finally:
        database.dispose()
    if not failed:
        return None
    local = now.astimezone(ZoneInfo(settings.timezone))
    return build_days(settings, local.date(), settings.build_days, now=now)


def clean_up(settings: Settings, *, now: datetime) -> tuple[int, int]:
    """Remove exported days past retention, then audio no remaining day needs; return both counts."""
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    days = remove_old_days(settings.export_root, settings.retention_days, today)
    return days, remove_unreferenced_audio(settings.export_root, settings.retention_days, now)


def _build(
    database: Database, settings: Settings, start: date, days: int, now: datetime, progress: Progress
) -> BuildResult:
    end = start + timedelta(days=days - 1)
    with database.transaction() as db:
        book = StationBook.load(db)
        summary = plan_range(db, settings, start, days, now, book=book)
    with database.transaction() as db:
        plans = list(db.scalars(select(PlanDay).where(PlanDay.day >= start, PlanDay.day <= end).order_by(PlanDay.id)))
        ids = {i["message_id"] for p in plans for s in p.program["sessions"] for i in s["items"]}
        ids |= {short["message_id"] for p in plans for short in p.shortfalls}  # their titles, for the report
        messages = {m.id: m for m in db.scalars(select(Message).where(Message.id.in_(ids)))}
    templates = load_templates(find_folder(settings.audio_templates, settings.home))
    store = SegmentStore(settings.audio_dir, settings.audio, normalizer_for(settings.lexicon))
    engines: dict[str, Engine] = {}

    def engine(name: str) -> Engine:
        if name not in engines:
            engines[name] = get_engine(name)
        return engines[name]

    def voice_of(station: StationEntry) -> tuple[str, str]:
        return station_voice(station, settings.engine, engines=engine)

    # Everything to be spoken, once per (engine, voice, text); who needs it, should it fail to render.
    wanted: dict[tuple[str, str, str], None] = {}
    needs = _Needs()
    for plan in plans:
        voices = {voice_of(book.by_code[code]) for code in plan.stations}
        for code in plan.stations:
            station = book.by_code[code]
            request = (*voice_of(station), station_call(templates, station.name))
            wanted[request] = None
            needs.stations.setdefault(request[2], set()).add(code)
        for engine_name, voice in sorted(voices):
            for session in plan.program["sessions"]:
                for part in _parts(templates, plan, session, messages):
                    if part.text is not None and part.kind is not ItemKind.IDENT:
                        wanted[(engine_name, voice, part.text)] = None
                        if part.item is not None:
                            message_id = session["items"][part.item]["message_id"]
                            needs.messages.setdefault(part.text, set()).add(message_id)
    rendering = time.perf_counter()
    pieces, rendered, failed = _render(database, store, engines, list(wanted), progress)
    render_seconds = time.perf_counter() - rendering
    unreadable, silent = needs.blame(failed)

    jingles = {name: _jingle(templates.jingle(name)) for name in ("opening", "closing")}
    skipped = [SkippedDay(code, plan.day, silent[code]) for plan in plans for code in plan.stations if code in silent]
    refitted = _refit(database, plans, book, voice_of, templates, messages, pieces, jingles, unreadable, silent)
    if refitted:
        summary.shortfalls = shortfall_reports(plans, {m.id: m.title for m in messages.values()})
    station_days = _station_days(plans, book, voice_of, templates, messages, pieces, jingles, silent)
    publishing = time.perf_counter()  # includes making each day's items from its plan
    leftovers = remove_leftovers(settings.export_root)
    published = publish_days(settings.export_root, station_days, now=now)
    publish_seconds = time.perf_counter() - publishing
    # Audio becomes unreferenced only when a manifest changes: a build that changed none does not read them all again
    # (the whole country: 1.9 s), and audio aging out of retention meanwhile goes at the nightly clean_up.
    changed = published.days_written or published.audio_added or leftovers
    removed = remove_unreferenced_audio(settings.export_root, settings.retention_days, now) if changed else 0
    return BuildResult(
        summary,
        len(wanted),
        rendered,
        published,
        removed,
        settings.export_root,
        leftovers,
        store.repaired,
        tuple(skipped),
        refitted,
        max(0, len(pieces) - rendered),
        render_seconds,
        publish_seconds,
    )


@dataclass
class _Needs:
    """Which stations speak each station call, and which messages each intro and message text belongs to."""

    stations: dict[str, set[str]] = field(default_factory=dict)
    messages: dict[str, set[int]] = field(default_factory=dict)

    def blame(self, failed: Mapping[tuple[str, str, str], str]) -> tuple[dict[int, str], dict[str, str]]:
        """Messages and stations that lose their place, each with the reason; a failure of the bulletin's own
        words (greeting, close) is no one item's and stops the build (SpeechError)."""
        messages: dict[int, str] = {}
        stations: dict[str, str] = {}
        for (_, _, text), reason in failed.items():
            if text in self.messages:
                for message_id in self.messages[text]:
                    messages.setdefault(message_id, f"cannot be read aloud: {reason}")
            if text in self.stations:
                for code in self.stations[text]:
                    stations.setdefault(code, f"its station call cannot be read aloud: {reason}")
            if text not in self.messages and text not in self.stations:
                raise SpeechError(f"the bulletin's own words cannot be read aloud ({text[:60]!r}): {reason}")
        return messages, stations


def _parts(
    templates: Templates, plan: PlanDay, session: Mapping[str, Any], messages: dict[int, Message]
) -> tuple[Part, ...]:
    """The parts of one session of the plan that every station speaks alike (the station call left blank)."""
    said = _announcements(_in_order(session, messages))
    return session_parts(templates, station="", session=session["name"], day=plan.day, items=said)


def _refit(
    database: Database,
    plans: Sequence[PlanDay],
    book: StationBook,
    voice_of: Callable[[StationEntry], tuple[str, str]],
    templates: Templates,
    messages: dict[int, Message],
    pieces: Mapping[tuple[str, str, str], Piece],
    jingles: Mapping[str, Piece],
    unreadable: Mapping[int, str],
    silent: Mapping[str, str],
) -> int:
    """Fit every plan to its real lengths, for the longest of its stations' voices and calls, and leave out
    messages that cannot be read; store the plans that change. How many changed."""
    changed = 0
    for plan in plans:
        stations = [book.by_code[code] for code in plan.stations if code not in silent]
        if not stations:
            continue
        voices = sorted({voice_of(station) for station in stations})
        call = max(pieces[(*voice_of(s), station_call(templates, s.name))].duration for s in stations)

        def longest(part: Part, voices: Sequence[tuple[str, str]] = voices, call: float = call) -> float:
            """The part's length in the longest of the plan's voices (the longest station call for the call)."""
            if part.kind is ItemKind.IDENT:
                return call
            if part.jingle is not None:
                return jingles[part.jingle].duration
            return max(pieces[(*voice, part.text or "")].duration for voice in voices)

        seconds = []
        for session in plan.program["sessions"]:
            parts = _parts(templates, plan, session, messages)
            opening = sum(longest(part) + PAUSE for part in parts[: len(OPENING)])
            closing = sum(longest(part) for part in parts[-len(CLOSING) :]) + PAUSE * (len(CLOSING) - 1)
            items: dict[int, float] = {}
            for part in parts[len(OPENING) : -len(CLOSING)]:
                message_id = session["items"][part.item or 0]["message_id"]
                if message_id not in unreadable:
                    items[message_id] = items.get(message_id, 0.0) + longest(part) + PAUSE
            seconds.append(SessionSeconds(opening, closing, items))
        refit = refit_program(plan.program, plan.shortfalls, seconds, unreadable)
        if refit.changed:
            plan.program, plan.shortfalls = refit.program, refit.shortfalls
            with database.transaction() as db:
                stored = update(PlanDay).where(PlanDay.id == plan.id)
                db.execute(stored.values(program=refit.program, shortfalls=refit.shortfalls))
            changed += 1
    return changed


def _in_order(session: Mapping[str, Any], messages: dict[int, Message]) -> list[Message]:
    return [messages[item["message_id"]] for item in session["items"]]


def _announcements(in_order: Sequence[Message]) -> list[Announcement]:
    return [Announcement(message.title, message.text) for message in in_order]


def _render(
    database: Database,
    store: SegmentStore,
    engines: dict[str, Engine],
    wanted: list[tuple[str, str, str]],
    progress: Progress,
) -> tuple[dict[tuple[str, str, str], Piece], int, dict[tuple[str, str, str], str]]:
    """Pieces for every request, how many were newly made, and the requests whose speech cannot be made (one text
    the engine refuses, or with nothing to read) with the reason; a batch with such a text is made one by one."""
    pieces: dict[tuple[str, str, str], Piece] = {}
    failed: dict[tuple[str, str, str], str] = {}
    for request in wanted:  # nothing to read is known before any engine runs
        try:
            store.spoken(request[2])
        except SpeechError as exc:
            failed[request] = str(exc)
    todo = iter(progress([request for request in wanted if request not in failed], "Rendering speech clips"))
    while batch := [request for _, request in zip(range(RENDER_BATCH), todo, strict=False)]:
        try:
            with database.transaction() as db:
                segments = store.render_many(db, [(engines[name], voice, text) for name, voice, text in batch])
                for request, segment in zip(batch, segments, strict=True):
                    pieces[request] = _piece(store, segment)
        except SpeechError:
            for request in batch:
                name, voice, text = request
                try:
                    with database.transaction() as db:
                        pieces[request] = _piece(store, store.render(db, engines[name], voice, text))
                except SpeechError as exc:
                    failed[request] = str(exc)
    return pieces, store.made, failed


def _piece(store: SegmentStore, segment: Segment) -> Piece:
    return Piece(store.path_of(segment), segment.sha256, segment.bytes, segment.duration)


def _jingle(path: Path) -> Piece:
    data = path.read_bytes()
    return Piece(path, hashlib.sha256(data).hexdigest(), len(data), jingle_seconds(path))


def _session_items(start: str, parts: Sequence[Laid]) -> tuple[ExportItem, ...]:
    """A session's parts with their audio, each at the session's start time ("HH:MM") plus its bulletin offset."""
    hours, minutes = map(int, start.split(":"))
    clock = float(hours * 3600 + minutes * 60)
    offsets = lay_out([piece.duration for _, piece, _ in parts])
    return tuple(
        ExportItem(
            kind=part.kind,
            title=part.title,
            message_id=message.id if message else None,
            priority=message.priority if message else None,
            start=_hms(clock + offset),
            duration=piece.duration,
            source=piece.path,
            sha256=piece.sha256,
            bytes=piece.bytes,
        )
        for (part, piece, message), offset in zip(parts, offsets, strict=True)
    )


def _station_days(
    plans: Sequence[PlanDay],
    book: StationBook,
    voice_of: Callable[[StationEntry], tuple[str, str]],
    templates: Templates,
    messages: dict[int, Message],
    pieces: Mapping[tuple[str, str, str], Piece],
    jingles: Mapping[str, Piece],
    silent: Mapping[str, str],
) -> Iterator[StationDay]:
    """Every station's day of every plan, one at a time. A plan's parts after the station call are the same for all
    its stations of one voice, and so are their items for all whose calls last as long: each is made once."""
    for plan in plans:
        after_call: dict[tuple[str, str], _AfterCall] = {}
        for code in plan.stations:
            if code in silent:
                continue
            station = book.by_code[code]
            voice = voice_of(station)
            if voice not in after_call:
                after_call[voice] = _AfterCall(
                    [
                        _after_call(plan, session, voice, templates, messages, pieces, jingles)
                        for session in plan.program["sessions"]
                    ]
                )
            yield _station_day(plan, station, voice, templates, pieces, after_call[voice])


@dataclass
class _AfterCall:
    """A plan's parts after the station call in one voice, one list per session, and their items once laid out
    after a call of a given length (in seconds): those items start the same for every call that long."""

    parts: list[list[Laid]]
    items: dict[tuple[int, float], tuple[ExportItem, ...]] = field(default_factory=dict)


def _after_call(
    plan: PlanDay,
    session: Mapping[str, Any],
    voice: tuple[str, str],
    templates: Templates,
    messages: dict[int, Message],
    pieces: Mapping[tuple[str, str, str], Piece],
    jingles: Mapping[str, Piece],
) -> list[Laid]:
    """A session's parts after the station call (the first part), each with its audio in this voice."""
    in_order = _in_order(session, messages)
    ident, *rest = _parts(templates, plan, session, messages)
    assert ident.kind is ItemKind.IDENT  # the call opens every session (bulletin.OPENING)
    laid: list[Laid] = []
    for part in rest:
        if part.jingle is not None:
            laid.append((part, jingles[part.jingle], None))
        else:
            message = in_order[part.item] if part.kind is ItemKind.MESSAGE and part.item is not None else None
            laid.append((part, pieces[(*voice, part.text or "")], message))
    return laid


def _station_day(
    plan: PlanDay,
    station: StationEntry,
    voice: tuple[str, str],
    templates: Templates,
    pieces: Mapping[tuple[str, str, str], Piece],
    after_call: _AfterCall,
) -> StationDay:
    """One station's day: in each session its own call, then the parts every station of its voice shares."""
    ident = call_part(templates, station.name)
    call: Laid = (ident, pieces[(*voice, ident.text or "")], None)
    sessions = []
    for index, (session, rest) in enumerate(zip(plan.program["sessions"], after_call.parts, strict=True)):
        known = after_call.items.get((index, call[1].duration))
        if known is None:
            items = _session_items(session["start"], [call, *rest])
            after_call.items[(index, call[1].duration)] = items[1:]
        else:
            items = (*_session_items(session["start"], [call]), *known)
        sessions.append(ExportSession(session["name"], session["start"], session["end"], items))
    return StationDay(station.code, station.name, plan.day, station.timezone, tuple(sessions))


def _hms(seconds: float) -> str:
    """Seconds since midnight as "HH:MM:SS.mmm": a part starts within a pause's length, so to the millisecond."""
    millis = round(seconds * 1000)
    whole, fraction = divmod(millis, 1000)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{fraction:03d}"
