"""Settings: BROADCAST_HOME, BROADCAST_DATABASE_URL and an optional TOML file.

Precedence, highest first: environment variables, the TOML file, built-in defaults. The TOML file is the one
named by ``--config`` or ``BROADCAST_CONFIG``, else ``$BROADCAST_HOME/broadcast.toml`` when it exists.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from broadcast.errors import ConfigError

if TYPE_CHECKING:  # the audio stack loads only when a command needs it
    from broadcast.audio.ffmpeg import AudioSettings

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
    engine: str = "espeak"  # the speech engine for stations that do not name their own
    bitrate: str = "64k"
    loudness_target: float = -16.0  # LUFS integrated (EBU R128)
    true_peak: float = -1.0  # dBTP ceiling
    lexicon: Path | None = None  # the user's abbreviations, merged over the built-in lexicon
    announcements: Path | None = None  # the user's announcement rules, tried before the built-in ones
    audio_templates: Path | None = None  # default: audio_templates/ beside the package
    export_dir: Path | None = None  # default: $BROADCAST_HOME/export
    retention_days: int = 7  # exported audio no day needs is removed after this long
    build_time: str = "02:00"  # the nightly build, station local time
    build_days: int = 2  # how many days ahead the nightly build makes
    build_grace_hours: float = 6.0  # a nightly build missed by less than this (service down) runs at start
    cleanup_time: str = "03:30"  # the daily export clean-up
    max_connections: int = 4096  # open connections `broadcast serve` accepts at most
    header_timeout: int = 10  # seconds a client has to send a request's headers
    body_timeout: int = 30  # seconds for a request's body, plus one per 64 KiB of it
    keep_alive_timeout: int = 5  # seconds an idle connection is kept between requests

    @property
    def audio(self) -> AudioSettings:
        from broadcast.audio.ffmpeg import AudioSettings

        return AudioSettings(bitrate=self.bitrate, target_lufs=self.loudness_target, true_peak=self.true_peak)

    @property
    def export_root(self) -> Path:
        return self.export_dir or self.home / "export"

    @property
    def audio_dir(self) -> Path:
        """Where rendered segments live, named by the sha256 of their bytes."""
        return self.home / "audio"


_KNOWN_KEYS = {
    "database_url",
    "timezone",
    "default_sessions",
    "engine",
    "bitrate",
    "loudness_target",
    "true_peak",
    "lexicon",
    "announcements",
    "audio_templates",
    "export_dir",
    "retention_days",
    "build_time",
    "build_days",
    "build_grace_hours",
    "cleanup_time",
    "max_connections",
    "header_timeout",
    "body_timeout",
    "keep_alive_timeout",
}


def load_settings(config_file: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None) -> Settings:
    """Resolve settings from the environment and the optional TOML file."""
    environ = dict(os.environ if env is None else env)
    home = Path(environ.get("BROADCAST_HOME") or DEFAULT_HOME).expanduser().absolute()

    explicit = config_file or environ.get("BROADCAST_CONFIG")
    path: Path | None
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(
                f"config file {path} does not exist; create it or drop {{config_file}}/BROADCAST_CONFIG",
                field="config_file",
            )
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

    sessions = _default_sessions(data["default_sessions"], path) if "default_sessions" in data else DEFAULT_SESSIONS
    bitrate = _get(data, path, "bitrate", str, "64k")
    if not re.fullmatch(r"\d{2,3}k", bitrate):
        raise ConfigError(f"{path}: bitrate must look like '64k' or '128k'")
    return Settings(
        home=home,
        database_url=database_url.strip(),
        timezone=_get(data, path, "timezone", str, TIMEZONE),
        default_sessions=sessions,
        config_file=path,
        engine=_get(data, path, "engine", str, "espeak"),
        bitrate=bitrate,
        loudness_target=float(_get(data, path, "loudness_target", (int, float), -16.0)),
        true_peak=float(_get(data, path, "true_peak", (int, float), -1.0)),
        lexicon=_path(data, path, "lexicon", home),
        announcements=_path(data, path, "announcements", home),
        audio_templates=_path(data, path, "audio_templates", home),
        export_dir=_path(data, path, "export_dir", home),
        retention_days=_positive(data, path, "retention_days", 7),
        build_time=_clock(data, path, "build_time", "02:00"),
        build_days=_positive(data, path, "build_days", 2),
        build_grace_hours=_positive(data, path, "build_grace_hours", 6),
        cleanup_time=_clock(data, path, "cleanup_time", "03:30"),
        max_connections=_positive(data, path, "max_connections", 4096),
        header_timeout=_positive(data, path, "header_timeout", 10),
        body_timeout=_positive(data, path, "body_timeout", 30),
        keep_alive_timeout=_positive(data, path, "keep_alive_timeout", 5),
    )


def _positive(data: dict[str, Any], path: Path | None, key: str, default: int) -> int:
    value = _get(data, path, key, int, default)
    if value < 1:
        raise ConfigError(f"{path}: {key} must be at least 1, e.g. {key} = {default}")
    return int(value)


def _clock(data: dict[str, Any], path: Path | None, key: str, default: str) -> str:
    value = _get(data, path, key, str, default)
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
        raise ConfigError(f'{path}: {key} must be HH:MM, e.g. {key} = "{default}"')
    return str(value)


def _get(data: dict[str, Any], path: Path | None, key: str, kind: type | tuple[type, ...], default: Any) -> Any:
    value = data.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ConfigError(f"{path}: {key} must be a {_kind_name(kind)}, e.g. {key} = {default!r}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    return "number" if isinstance(kind, tuple) else "string" if kind is str else kind.__name__


def _path(data: dict[str, Any], path: Path | None, key: str, home: Path) -> Path | None:
    """A path setting; relative paths are taken from the home directory."""
    value = _get(data, path, key, str, "")
    return (home / Path(value).expanduser()) if value else None


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
