from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.config import DEFAULT_SESSIONS, load_settings
from broadcast.errors import ConfigError


def test_defaults(tmp_path: Path) -> None:
    settings = load_settings(env={"BROADCAST_HOME": str(tmp_path)})
    assert settings.home == tmp_path
    assert settings.database_url == f"sqlite:///{tmp_path / 'broadcast.db'}"
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.default_sessions == DEFAULT_SESSIONS
    assert settings.config_file is None


def test_home_defaults_to_broadcast_data_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_settings(env={}).home == tmp_path / "broadcast-data"


def test_environment_beats_the_file(tmp_path: Path) -> None:
    (tmp_path / "broadcast.toml").write_text('database_url = "sqlite:///from-file.db"\n', encoding="utf-8")
    from_file = load_settings(env={"BROADCAST_HOME": str(tmp_path)})
    assert from_file.database_url == "sqlite:///from-file.db"
    assert from_file.config_file == tmp_path / "broadcast.toml"
    env = {"BROADCAST_HOME": str(tmp_path), "BROADCAST_DATABASE_URL": "sqlite:///from-env.db"}
    assert load_settings(env=env).database_url == "sqlite:///from-env.db"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("colour = 'blue'\n", "unknown setting colour"),
        ("database_url = 5\n", "database_url must be a non-empty string"),
        ("default_sessions = 'sáng'\n", "default_sessions must be a list"),
        ("default_sessions = [{name = 'sáng'}]\n", "needs string name, start and length"),
        ("timezone = 7\n", "timezone must be a string"),
        ("= nope", "is not valid TOML"),
        ("max_connections = 0\n", "max_connections must be at least 1"),
        ("header_timeout = '10s'\n", "header_timeout must be a int"),
    ],
)
def test_bad_config_says_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "x.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path, env={"BROADCAST_HOME": str(tmp_path)})


def test_server_limits_come_from_the_file(tmp_path: Path) -> None:
    defaults = load_settings(env={"BROADCAST_HOME": str(tmp_path)})
    assert (defaults.max_connections, defaults.header_timeout, defaults.body_timeout) == (4096, 10, 30)
    assert defaults.keep_alive_timeout == 5
    (tmp_path / "broadcast.toml").write_text(
        "max_connections = 500\nheader_timeout = 3\nbody_timeout = 20\nkeep_alive_timeout = 2\n", encoding="utf-8"
    )
    settings = load_settings(env={"BROADCAST_HOME": str(tmp_path)})
    assert (settings.max_connections, settings.header_timeout, settings.body_timeout) == (500, 3, 20)
    assert settings.keep_alive_timeout == 2
