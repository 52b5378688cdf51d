"""The manifest as the station receives it: a damaged one is refused, and a plan puts each item on the clock."""

from __future__ import annotations

import copy
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from broadcast.errors import SyncIncompleteError
from broadcast.export.manifest import manifest_dict, manifest_version
from broadcast.station.days import check_manifest, day_plan, entry_id
from tests.export.conftest import Build

DAY = date(2025, 3, 1)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def manifest(build: Build) -> dict[str, Any]:
    return manifest_dict(build.day())  # what the exporter writes and the server sends


def test_a_good_manifest_passes(manifest: dict[str, Any]) -> None:
    assert check_manifest(manifest, "27001", DAY) is manifest


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda m: m["sessions"][0]["items"][0].update(title="Tin giả"), "does not match its version"),
        (lambda m: m.update(station="27002"), "it is for 27002 on 2025-03-01"),
        (lambda m: m.update(date="2025-03-02"), "it is for 27001 on 2025-03-02"),
        (lambda m: m["sessions"][0]["items"][0].update(sha256="../../etc/passwd"), "not a lowercase hex sha256"),
        (lambda m: m["sessions"][0]["items"][0].pop("bytes"), "KeyError"),
        (lambda m: m["sessions"][1].update(start="25:00"), "no HH:MM start and end"),
    ],
)
def test_a_damaged_manifest_is_refused(manifest: dict[str, Any], change: Any, problem: str) -> None:
    damaged = copy.deepcopy(manifest)
    change(damaged)
    if "does not match" not in problem:
        damaged["version"] = manifest_version(damaged)  # consistent, yet wrong in another way
    with pytest.raises(SyncIncompleteError, match="the server's manifest for 27001 on 2025-03-01 is damaged") as caught:
        check_manifest(damaged, "27001", DAY)
    assert problem in str(caught.value)


def test_a_session_running_past_midnight_ends_the_next_day(build: Build) -> None:
    late = build.session(
        build.item(0, start="23:50:00"), build.item(1, start="00:05:00"), name="đêm", start="23:50", end="00:20"
    )
    early = build.session(build.item(2, start="05:30:00"))
    plan = day_plan(manifest_dict(build.day(sessions=(late, early))), Path("/station"))
    assert [session.name for session in plan] == ["sáng", "đêm"]
    night = plan[1]
    assert night.end == datetime(2025, 3, 2, 0, 20, tzinfo=TZ)
    assert [item.start for item in night.items] == [
        datetime(2025, 3, 1, 23, 50, tzinfo=TZ),
        datetime(2025, 3, 2, 0, 5, tzinfo=TZ),
    ]
    assert (
        night.items[1].entry_id
        == entry_id(DAY, 0, 1, build.tones[1].sha256)
        == (f"2025-03-01-s1-2-{build.tones[1].sha256[:12]}")
    )
    assert night.items[1].path == Path("/station/audio") / f"{build.tones[1].sha256}.mp3"
