"""One exception hierarchy: every error meant for a person is a BroadcastError with a one-line message."""

from __future__ import annotations


class BroadcastError(Exception):
    """Base of every error the CLI reports as one line and exit code 1.

    The text names no command-line flag or form field: it says what is wrong in the domain's words, so the CLI and
    the web pages can both show it. ``field`` names the input at fault (a parameter name of the library call, such
    as ``days`` or ``approved_by``); a front shows it its own way (the CLI as the option, e.g. ``--days``).
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConfigError(BroadcastError):
    """Settings or the config file are wrong."""


class DatabaseError(BroadcastError):
    """The database cannot be opened, is not initialised, or is out of date."""


class NotInitialisedError(DatabaseError):
    """The database has no schema yet, or an older one."""


class NotFoundError(BroadcastError):
    """A code or id names nothing that exists."""


class UnitsError(BroadcastError):
    """Administrative units or stations: bad scheme, unknown province, ambiguous code."""


class SessionError(BroadcastError):
    """A broadcast session is malformed or overlaps another."""


class ParseError(BroadcastError):
    """A directive file cannot be read or is not a directive."""


class MessageError(BroadcastError):
    """A message cannot be stored, edited or approved as asked."""


class SpeechError(BroadcastError):
    """Text cannot be turned into speech."""


class AudioError(BroadcastError):
    """Audio tools are missing or fail: ffmpeg, players, unwritable output."""


class FileWriteError(BroadcastError):
    """A file cannot be written where it was asked to go."""


class ExportError(BroadcastError):
    """A station's day cannot be published: its audio is missing or differs from what the plan recorded."""


class BuildLockedError(BroadcastError):
    """Another build holds the build lock."""


class ReportError(BroadcastError):
    """A results report cannot be made as asked: bad period, format or destination."""


class StationError(BroadcastError):
    """The station client cannot do what was asked: a bad server address or token, no playlist for the day."""


class SyncIncompleteError(StationError):
    """A sync kept the station's last good days: the server was unreachable or sent damaged data (exit code 2)."""


class ServeError(BroadcastError):
    """The HTTP server cannot start: a bad host or port, or the port is taken."""
