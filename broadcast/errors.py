"""One exception hierarchy: every error meant for a person is a BroadcastError with a one-line message."""

from __future__ import annotations

from collections.abc import Callable


class BroadcastError(Exception):
    """Base of every error the CLI reports as one line and exit code 1.

    The text names no command-line flag or form field, so the CLI and the web pages can both show it. ``field``
    (or ``fields``) names the library parameters at fault, e.g. ``days``; where the text should name one, it holds
    it as ``{days}``: ``str(error)`` reads it in the domain's words ("the number of days must be …"), and each
    front renders its own name for it with ``render`` (the CLI's ``--days``). Other braces are left as they are.
    """

    def __init__(self, message: str = "", *, field: str | None = None, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.template = message
        self.fields = fields or ((field,) if field else ())
        self.field = field or (fields[0] if fields else None)

    def render(self, name: Callable[[str], str | None]) -> str:
        """The message with each input named by name(parameter), or in the domain's words where that gives None."""
        text = self.template
        for field in self.fields:
            text = text.replace(f"{{{field}}}", name(field) or label(field))
        return text

    def __str__(self) -> str:
        return self.render(lambda field: None)


# How a library parameter reads in a sentence, where the text names it; others read as their name in words.
LABELS = {
    "days": "the number of days",
    "per_day": "the times per day",
    "starts_on": "the first day",
    "ends_on": "the last day",
    "approved_by": "who approves",
    "targets": "a target",
    "title": "a title",
    "text": "a text",
    "start": "the first day",
    "end": "the last day",
    "name": "a name",
    "voice": "a voice",
    "rate": "the speaking rate",
    "folder": "the station folder",
    "code": "the station code",
    "server": "the server's address",
    "token": "the station's token",
    "player": "the player command",
    "config_file": "the config file",
    "out": "the output file",
    "message_id": "a message id",
}


def label(field: str) -> str:
    """A parameter name in the domain's words: per_day → "the times per day"."""
    return LABELS.get(field, field.replace("_", " "))


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


class AlreadyApproved(MessageError):
    """The message is approved already; approving it again changes nothing (fronts say so, it is no failure)."""


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


class AccountError(BroadcastError):
    """An account cannot be made or changed as asked: a taken or malformed name, a weak password, a bad scope."""


class LoginThrottled(AccountError):
    """Too many failed sign-ins for this name or from this address lately; try again later."""


class PermissionDenied(BroadcastError):
    """The account's role or scope does not allow this (the web shows a 403 page)."""
