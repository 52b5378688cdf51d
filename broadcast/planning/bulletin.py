"""The bulletin (bản tin): one session's parts in order, their words, the pause between them, and the voice.

A session opens with the station call, the opening jingle and the greeting; each announcement follows with its
intro; the close and the closing jingle end it. Every part starts PAUSE after the previous one ends. The build lays
out manifests with this, the preview assembles audio with it, the planner counts its overhead with it, and the
emergency endpoint finds a station's audio with the same voice. (broadcast.audio.bulletin joins the audio.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from broadcast.audio.templates import Templates
from broadcast.planning.planner import Overhead
from broadcast.speech.engines import Engine, get_engine
from broadcast.speech.style import DEFAULT_RATE, with_rate
from broadcast.vocabulary import ItemKind

PAUSE_MS = 500  # between two parts: a breath between the call, the jingle and each announcement
PAUSE = PAUSE_MS / 1000  # the same, in seconds

# The order of a session's parts: the opening, then each announcement's, then the closing.
OPENING = (ItemKind.IDENT, ItemKind.JINGLE, ItemKind.GREETING)
PER_ITEM = (ItemKind.INTRO, ItemKind.MESSAGE)
CLOSING = (ItemKind.CLOSE, ItemKind.JINGLE)

_JINGLE_TITLES = {"opening": "Nhạc hiệu mở đầu", "closing": "Nhạc hiệu kết thúc"}


@dataclass(frozen=True)
class Announcement:
    """What one item says; with title None it is read without an intro (a preview of bare text)."""

    title: str | None
    text: str


@dataclass(frozen=True)
class Part:
    """One part of a session, in broadcast order.

    text is the words spoken (None for a jingle); jingle names the jingle ("opening", "closing"); item is the index
    of the announcement an intro or message belongs to.
    """

    kind: ItemKind
    title: str  # as the manifest lists it
    text: str | None = None
    jingle: str | None = None
    item: int | None = None


def session_parts(
    templates: Templates, *, station: str, session: str, day: date, items: Sequence[Announcement]
) -> tuple[Part, ...]:
    """Every part of one session of a station, in the order listeners hear them; day fills the greeting's date."""
    when = f"{day:%d/%m/%Y}"

    def fixed(kind: ItemKind, group: str) -> Part:
        if kind is ItemKind.JINGLE:
            return Part(kind, _JINGLE_TITLES[group], jingle=group)
        if kind is ItemKind.IDENT:
            return call_part(templates, station)
        if kind is ItemKind.GREETING:
            return Part(kind, f"Chào buổi {session}", templates.fill("greeting", session=session, date=when))
        return Part(kind, f"Kết thúc buổi {session}", templates.fill("close", session=session))

    def announced(kind: ItemKind, index: int, item: Announcement) -> list[Part]:
        if kind is ItemKind.MESSAGE:
            return [Part(kind, item.title or "", item.text, item=index)]
        if item.title is None:
            return []
        return [Part(kind, f"Giới thiệu: {item.title}", templates.fill("intro", title=item.title), item=index)]

    return (
        *(fixed(kind, "opening") for kind in OPENING),
        *(part for index, item in enumerate(items) for kind in PER_ITEM for part in announced(kind, index, item)),
        *(fixed(kind, "closing") for kind in CLOSING),
    )


def call_part(templates: Templates, station: str) -> Part:
    """The part that opens every session: the station call, titled with its own words."""
    call = station_call(templates, station)
    return Part(ItemKind.IDENT, call, call)


def station_call(templates: Templates, station: str) -> str:
    """The station call ("Đây là Đài Truyền thanh xã …"): the only words that differ from station to station."""
    return templates.fill("call", station=station)


def shared_texts(templates: Templates, *, session: str, day: date, items: Sequence[Announcement]) -> list[str]:
    """The words of a session that every station with this program speaks alike: all but the station call."""
    parts = session_parts(templates, station="", session=session, day=day, items=items)
    return [part.text for part in parts if part.kind is not ItemKind.IDENT and part.text is not None]


def lay_out(durations: Sequence[float]) -> list[float]:
    """Where each part starts, in seconds from the session's start, given each part's length in seconds."""
    starts, clock = [], 0.0
    for duration in durations:
        starts.append(clock)
        clock += duration + PAUSE
    return starts


def session_overhead(parts: Sequence[Part], seconds: Callable[[Part], float]) -> Overhead:
    """The seconds a session's own parts take, from its layout: opening (up to the first intro), per item (its
    intro and pauses, the message not counted) and closing (after the last item's pause); unrounded.

    parts must hold at least one introduced item; a ValueError otherwise.
    """
    durations = [seconds(part) for part in parts]
    starts = lay_out(durations)
    intros = [index for index, part in enumerate(parts) if part.kind is ItemKind.INTRO]
    if not intros or intros[0] + 2 >= len(parts):
        raise ValueError("a session's overhead needs one introduced item")
    first, message = intros[0], intros[0] + 1
    after = max(index for index, part in enumerate(parts) if part.kind is ItemKind.MESSAGE) + 1
    return Overhead(
        opening=starts[first],
        closing=starts[-1] + durations[-1] - starts[after],
        per_item=starts[message + 1] - starts[first] - durations[message],
    )


class Speaker(Protocol):
    """A station as far as its voice goes (a StationEntry or a Station row)."""

    @property
    def engine(self) -> str | None: ...

    @property
    def voice_region(self) -> str: ...

    @property
    def speaking_rate(self) -> int: ...


def station_voice(
    station: Speaker | None,
    default_engine: str,
    *,
    engine: str | None = None,
    voice: str | None = None,
    engines: Callable[[str], Engine] = get_engine,
) -> tuple[str, str]:
    """The engine name and voice id a station speaks with, its speaking rate included ("vi@80%", see style.py).

    The engine is the one named, else the station's, else default_engine (the configured one); the voice is the
    one named, else the engine's voice for the station's region (north without a station). SpeechError for an
    unknown engine or voice.
    """
    name = engine or (station.engine if station is not None and station.engine else default_engine)
    region = station.voice_region if station is not None else "north"
    rate = (station.speaking_rate if station is not None else None) or DEFAULT_RATE  # None: a row not yet flushed
    return name, with_rate(engines(name).resolve_voice(voice, region), rate)
