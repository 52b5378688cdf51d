"""A session that ends at midnight, the whole way: built with real speech, served, synced and played to its end."""

from __future__ import annotations

import json
from pathlib import Path

from broadcast.build import build_days
from broadcast.export.manifest import manifest_path
from broadcast.messages.approval import approve_message
from broadcast.messages.editing import MessageChanges, add_message
from broadcast.units.clock import SessionClock
from broadcast.units.sessions import set_session
from tests.conftest import Invoke
from tests.export.timing import assert_no_overrun
from tests.station.conftest import DAY, NOW, STATION, Site, sync
from tests.station.test_play import Drive, drive, played_files

__all__ = ["drive"]  # the fixture, shared with test_play

NEWS = (
    ("Phòng cháy", "Bà con không đốt nương rẫy trong mùa khô hanh."),
    ("Tiêm chủng", "Trạm Y tế xã tiêm vắc xin sởi cho trẻ em vào sáng thứ bảy."),
)


def test_a_built_session_ending_at_midnight_is_served_synced_and_played_whole(
    site: Site, folder: Path, invoke: Invoke, drive: Drive
) -> None:
    with site.database.transaction() as db:
        set_session(db, STATION, SessionClock.parse("tối", "23:30", "30m"))
        for title, text in NEWS:
            changes = MessageChanges(title=title, text=text, targets=[STATION], starts_on=DAY, ends_on=DAY)
            message = add_message(db, changes, NOW)
            approve_message(db, site.settings, message.id, "Cán bộ", NOW)
    result = build_days(site.settings, DAY, 1, now=NOW)
    assert result.published.days_written == 1 and not result.plan.shortfalls
    assert assert_no_overrun(site.settings.export_root) == 1
    manifest = json.loads(site.exported(manifest_path(STATION, DAY)).read_bytes())
    [session] = manifest["sessions"]
    assert (session["start"], session["end"]) == ("23:30", "24:00")
    assert sorted(i["title"] for i in session["items"] if i["kind"] == "message") == sorted(t for t, _ in NEWS)

    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0  # a 24:00 end is no damage
    driven, played = drive("23:00")
    driven.at("23:29:59")
    assert played_files(played) == []
    driven.at("23:30:00")
    assert played_files(played) == [Path(item["audio"]).name for item in session["items"]]
    assert driven.playout.finished.is_set()
