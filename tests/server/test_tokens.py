"""Station tokens: stored as hashes, cached briefly, and the `broadcast stations token` command."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from broadcast.db.models import Station, StationToken
from broadcast.server.tokens import TokenCache, bearer_token, hash_token, revoke_tokens
from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke
from tests.server.conftest import HOME_CODE, Site

NOW = datetime(2025, 3, 1, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_only_the_hash_is_stored(site: Site) -> None:
    with site.database.transaction() as db:
        hashes = set(db.scalars(select(StationToken.token_hash)))
    assert hashes == {hash_token(site.token), hash_token(site.other_token)}
    assert hash_token(site.token) == hashlib.sha256(site.token.encode()).hexdigest()
    assert re.fullmatch(r"bst_[A-Za-z0-9_-]{43}", site.token)


def test_the_cache_answers_until_its_entries_expire(site: Site) -> None:
    clock = FakeClock()
    cache = TokenCache(site.database, ttl=30, clock=clock)
    assert cache.cached(site.token) == (False, None)
    holder = cache.lookup(site.token)
    assert holder is not None and holder.station_code == HOME_CODE
    assert cache.lookup("bst_unknown") is None
    assert cache.cached("bst_unknown") == (True, None)  # unknown tokens are cached too: no query per guess

    with site.database.transaction() as db:
        revoke_tokens(db, db.scalars(select(Station).where(Station.code == HOME_CODE)).one(), NOW)
    clock.now += 29
    assert cache.cached(site.token) == (True, holder)  # still trusted, for at most the ttl
    clock.now += 2
    assert cache.cached(site.token) == (False, None)
    assert cache.lookup(site.token) is None
    assert cache.lookup(site.other_token) is not None


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer bst_abc", "bst_abc"),
        ("bearer  bst_abc ", "bst_abc"),
        ("Basic bst_abc", None),
        ("Bearer", None),
        ("Bearer " + "x" * 200, None),
        ("Bearer bst_ạbc", None),
        (None, None),
    ],
)
def test_bearer_header(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


def test_token_command_issues_and_revokes(invoke_any: Invoke) -> None:
    ok(invoke_any, "init")
    ok(invoke_any, "units", "import", "--scheme", "2025", "--province", "lang son")
    code = json.loads(ok(invoke_any, "stations", "list", "--json"))[0]["code"]

    first = invoke_any("stations", "token", code)
    assert first.exit_code == 0
    token = first.stdout.strip()
    assert re.fullmatch(r"bst_[A-Za-z0-9_-]{43}", token)
    assert "cannot be shown again" in first.stderr
    second = json.loads(ok(invoke_any, "stations", "token", code, "--json"))
    assert second["station"] == code and second["token"] != token

    revoked = ok(invoke_any, "stations", "token", code, "--revoke")
    assert revoked.startswith("Revoked 2 tokens of ")
    assert json.loads(ok(invoke_any, "stations", "token", code, "--revoke", "--json")) == {
        "station": code,
        "revoked": 0,
    }
    assert "no station with code 'nope'" in fails(invoke_any, "stations", "token", "nope")
