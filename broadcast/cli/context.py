"""What every command shares: settings resolved once and the database opened on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session as DbSession

    from broadcast.config import Settings
    from broadcast.db import Database


class AppContext:
    """Lazily loads settings and opens the database, so `--help` needs neither (nor imports SQLAlchemy)."""

    def __init__(self, config_file: str | None) -> None:
        self._config_file = config_file
        self._settings: Settings | None = None
        self._database: Database | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from broadcast.config import load_settings

            self._settings = load_settings(self._config_file)
        return self._settings

    @property
    def database(self) -> Database:
        if self._database is None:
            from broadcast.db import open_database

            self._database = open_database(self.settings.database_url)
        return self._database

    @contextmanager
    def transaction(self) -> Iterator[DbSession]:
        with self.database.transaction() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A Core connection for listings that stream plain rows; the ORM is not imported."""
        with self.database.reading() as connection:
            yield connection

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None
