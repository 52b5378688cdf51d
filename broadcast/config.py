"""Settings: BROADCAST_HOME, BROADCAST_DATABASE_URL and an optional TOML file.

Precedence, highest first: environment variables, the TOML file, built-in defaults. The TOML file is the one
named by ``--config`` or ``BROADCAST_CONFIG``, else ``$BROADCAST_HOME/broadcast.toml`` when it exists.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import ConfigError

DEFAULT_HOME = "broadcast-data"
CONFIG_FILE_NAME = "broadcast.toml"
TIMEZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class DefaultSession:
    """A session given to each province on import, as written in the config file."""

    name: str
    start: str
    length: str
    weekdays: str = "daily"


DEFAULT_SESSIONS = (
    DefaultSession(name="sáng", start="05:30", length="30m"),
    DefaultSession(name="chiều", start="17:00", length="30m"),
)


@dataclass(frozen=True)
class Settings:
    """Everything the program reads from its environment, resolved once."""

    home: Path
    database_url: str
    timezone: str = TIMEZONE
    default_sessions: tuple[DefaultSession, ...] = DEFAULT_SESSIONS
    config_file: Path | None = None


_KNOWN_KEYS = {"database_url", "timezone", "default_sessions"}


def load_settings(config_file: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Settings:
    """Resolve settings from the environment and the optional TOML file."""
    environ = dict(os.environ if env is None else env)
    home = Path(environ.get("BROADCAST_HOME") or DEFAULT_HOME).expanduser().absolute()

    explicit = config_file or environ.get("BROADCAST_CONFIG")
    path: Path | None
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist; create it or drop --config/BROADCAST_CONFIG")
    else:
        candidate = home / CONFIG_FILE_NAME
        path = candidate if candidate.is_file() else None

    data = _read_toml(path) if path else {}
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {', '.join(unknown)}; known settings are {', '.join(sorted(_KNOWN_KEYS))}"
        )

    database_url = environ.get("BROADCAST_DATABASE_URL") or data.get("database_url")
    if database_url is None:
        database_url = f"sqlite:///{home / 'broadcast.db'}"
    if not isinstance(database_url, str) or not database_url.strip():
        raise ConfigError(f"{path}: database_url must be a non-empty string such as sqlite:///broadcast.db")

    timezone = data.get("timezone", TIMEZONE)
    if not isinstance(timezone, str):
        raise ConfigError(f"{path}: timezone must be a string such as {TIMEZONE!r}")

    sessions = _default_sessions(data["default_sessions"], path) if "default_sessions" in data else DEFAULT_SESSIONS
    return Settings(
        home=home,
        database_url=database_url.strip(),
        timezone=timezone,
        default_sessions=sessions,
        config_file=path,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix the file or remove it") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from exc


def _default_sessions(value: Any, path: Path | None) -> tuple[DefaultSession, ...]:
    example = 'default_sessions = [{name = "sáng", start = "05:30", length = "30m"}]'
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ConfigError(f"{path}: default_sessions must be a list of tables, e.g. {example}")
    sessions = []
    for item in value:
        missing = {"name", "start", "length"} - set(item)
        extra = set(item) - {"name", "start", "length", "weekdays"}
        if missing or extra or not all(isinstance(v, str) for v in item.values()):
            raise ConfigError(f"{path}: each default session needs string name, start and length, e.g. {example}")
        sessions.append(DefaultSession(**item))
    return tuple(sessions)
