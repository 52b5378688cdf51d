"""The as-run log (nhật ký phát thanh): what the station played, one JSON line per item in asrun/<date>.jsonl.

`station play` adds entries; `station sync` uploads those not yet sent and lists their ids in asrun/<date>.sent,
so they are not sent again (the server stores each id once anyway). Each file has one writer: the log is written
by the player and the list of sent ids by the sync, both atomically, so either may read the other's file.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from broadcast.files import write_atomic
from broadcast.vocabulary import PlayStatus

ASRUN_DIR = "asrun"


@dataclass(frozen=True)
class AsRunEntry:
    """One line of the log, with the fields the server's playlog endpoint takes."""

    id: str  # unique per station: the same item of the same day always has the same id
    date: str  # YYYY-MM-DD
    session: str | None  # None for an emergency item played outside a session
    kind: str
    message_id: int | None
    sha256: str | None
    started_at: str  # ISO 8601 with the station's UTC offset
    duration: float  # seconds
    status: PlayStatus
    emergency: bool = False
    cut_at: float | None = None  # for an interrupted item: seconds into it where it was faded out

    @classmethod
    def of(cls, day: dt.date, started_at: dt.datetime, **fields: Any) -> AsRunEntry:
        return cls(date=day.isoformat(), started_at=started_at.isoformat(timespec="seconds"), **fields)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


class AsRunLog:
    """The as-run files under a station folder."""

    def __init__(self, root: Path) -> None:
        self.folder = root / ASRUN_DIR
        self._lock = threading.Lock()  # the sessions and the emergency poll log from their own threads

    def log_file(self, day: date) -> Path:
        return self.folder / f"{day.isoformat()}.jsonl"

    def sent_file(self, day: date) -> Path:
        return self.folder / f"{day.isoformat()}.sent"

    def entries(self, day: date) -> list[dict[str, Any]]:
        """The day's entries in the order they were logged; a line that cannot be read is left out."""
        found = []
        for line in _read_lines(self.log_file(day)):
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found.append(entry)
        return found

    def ids(self, day: date) -> set[str]:
        return {entry["id"] for entry in self.entries(day)}

    def add(self, entry: AsRunEntry) -> bool:
        """Append the entry unless its id is already in the day's log; True when it was added."""
        day = date.fromisoformat(entry.date)
        with self._lock:
            if entry.id in self.ids(day):
                return False
            path = self.log_file(day)
            lines = _read_lines(path)
            fields = asdict(entry)
            if fields["cut_at"] is None:
                del fields["cut_at"]  # only interrupted items carry it, so servers before 0.7 take the rest as before
            lines.append(json.dumps(fields, ensure_ascii=False))
            write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
        return True

    def days(self) -> list[date]:
        """Every day that has a log, oldest first."""
        found = []
        for path in self.folder.glob("*.jsonl"):
            try:
                found.append(date.fromisoformat(path.stem))
            except ValueError:
                continue
        return sorted(found)

    def unsent(self, day: date) -> list[dict[str, Any]]:
        """The day's entries not yet uploaded."""
        sent = set(_read_lines(self.sent_file(day)))
        return [entry for entry in self.entries(day) if entry["id"] not in sent]

    def mark_sent(self, day: date, ids: list[str]) -> None:
        """Record that these entries reached the server."""
        sent = _read_lines(self.sent_file(day))
        known = set(sent)
        sent.extend(entry_id for entry_id in ids if entry_id not in known)
        write_atomic(self.sent_file(day), ("\n".join(sent) + "\n").encode("utf-8"))
