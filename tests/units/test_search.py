"""Searching units and stations by name, without diacritics, within a scope, and the cache that follows the tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.audit import Actor
from broadcast.config import DEFAULT_SESSIONS
from broadcast.db import Database
from broadcast.db.models import Station
from broadcast.units.importer import import_units
from broadcast.units.scope import EVERYTHING, Scope, scope_of
from broadcast.units.search import MAX_FOUND, search_places
from broadcast.units.tree import find_unit
from broadcast.vocabulary import Role


@pytest.fixture
def lang_son(database: Database) -> Database:
    with database.transaction() as db:
        import_units(db, "legacy", "lang son", DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
    return database


def refs(database: Database, query: str, scope: Scope = EVERYTHING) -> list[str]:
    with database.transaction() as db:
        return [place.ref for place in search_places(db, query, scope)]


def test_names_match_with_or_without_diacritics_best_first(lang_son: Database) -> None:
    assert refs(lang_son, "cao loc")[:3] == ["legacy:183", "legacy:06187", "legacy-06187"]
    assert refs(lang_son, "Cao Lộc") == refs(lang_son, "cao loc") == refs(lang_son, "  CAO   LOC ")
    assert refs(lang_son, "lang son")[0] == "legacy:20"  # the province before the city of the same name
    assert refs(lang_son, "loc cao")[:1] == ["legacy:183"]  # every word, in any order
    assert refs(lang_son, "06253") == ["legacy:06253", "legacy-06253"]  # a code finds the commune and its station
    assert refs(lang_son, "") == refs(lang_son, "   ") == []
    assert refs(lang_son, "ha noi") == []
    assert len(refs(lang_son, "xa")) == MAX_FOUND


def test_places_carry_what_the_page_shows(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        place = search_places(db, "cao loc", EVERYTHING)[0]
    assert place.to_json_dict() == {
        "ref": "legacy:183",
        "code": "183",
        "name": "Huyện Cao Lộc",
        "kind": "district",
        "parent": "Tỉnh Lạng Sơn",
    }


def test_only_what_lies_in_scope(lang_son: Database) -> None:
    with lang_son.transaction() as db:
        van_quan = find_unit(db, "legacy:184")
        district = scope_of(db, Actor("x", 1, Role.EDITOR, van_quan.id))
        station = db.query(Station).filter_by(code="legacy-06253").one()
        operator = scope_of(db, Actor("y", 2, Role.OPERATOR, station_id=station.id))
    assert refs(lang_son, "cao loc", district) == []
    found = refs(lang_son, "van quan", district)
    assert "legacy:184" in found and "legacy-06253" in found and "legacy:20" not in found
    assert refs(lang_son, "van quan", operator) == ["legacy-06253"]


def test_the_cache_follows_new_units_and_stations(lang_son: Database, tmp_path: Path) -> None:
    assert refs(lang_son, "cao bang") == []
    with lang_son.transaction() as db:
        import_units(db, "legacy", "cao bang", DEFAULT_SESSIONS, "Asia/Ho_Chi_Minh")
    assert refs(lang_son, "cao bang")[0] == "legacy:04"
