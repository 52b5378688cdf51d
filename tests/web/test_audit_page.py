"""Nhật ký: the trail within the reader's scope, filtered, paginated, with only the changed values shown."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, update

from broadcast import audit
from broadcast.audit import Actor
from broadcast.db.models import AuditEntry
from broadcast.units.station_settings import StationChanges, change_station
from broadcast.units.tree import find_unit
from tests.web.conftest import NOW, Office, sign_in


def seed(office: Office) -> None:
    """A station change in Văn Quan (by the CLI), and a user change in Cao Lộc a day later."""
    with office.database.transaction() as db:
        db.execute(delete(AuditEntry))  # the fixture's accounts, made at the CLI: start from a clean trail
        change_station(db, "legacy-06253", StationChanges(voice_region="south"), actor=Actor.cli("tester"))
        db.execute(update(AuditEntry).values(at=NOW))  # recorded at the wall clock: set it on the tests' day
        audit.record(
            db, Actor.cli("tester"), "user.set", "user", "bientap", "sửa tài khoản bientap",
            before={"full_name": "A", "role": "editor"}, after={"full_name": "B", "role": "editor"},
            unit_id=find_unit(db, "legacy:183").id, now=NOW + timedelta(days=1),
        )  # fmt: skip


def rows(html: str) -> int:
    return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].count("<tr>") if "<tbody>" in html else 0


def test_each_reader_sees_only_their_scope_with_the_changed_values(office: Office) -> None:
    seed(office)
    province = office.app_client()
    sign_in(province, "tinh")
    page = province.get("/audit")
    assert page.status_code == 200 and rows(page.text) == 2
    assert "voice_region: <del>north</del> → <ins>south</ins>" in page.text
    assert "engine:" not in page.text  # unchanged keys are left out
    assert "full_name: <del>A</del> → <ins>B</ins>" in page.text and "role:" not in page.text
    district = office.app_client()
    sign_in(district, "caoloc")
    mine = district.get("/audit")
    assert rows(mine.text) == 1 and "sửa tài khoản bientap" in mine.text and "voice_region" not in mine.text
    other = office.app_client()
    sign_in(other, "vanquan")
    refused = other.get("/audit", params={"unit": "legacy:183"})
    assert refused.status_code == 400 and "ngoài phạm vi" in refused.text and "bientap" not in refused.text


def test_filters_by_kind_user_unit_and_days(office: Office) -> None:
    seed(office)
    client = office.app_client()
    sign_in(client, "tinh")
    assert rows(client.get("/audit", params={"kind": "station"}).text) == 1
    assert rows(client.get("/audit", params={"kind": "user.set"}).text) == 1
    assert rows(client.get("/audit", params={"unit": "legacy:184"}).text) == 1
    assert rows(client.get("/audit", params={"since": "01/12/2026", "until": "01/12/2026"}).text) == 1
    assert rows(client.get("/audit", params={"until": "30/11/2026"}).text) == 1
    assert rows(client.get("/audit", params={"user": "tinh"}).text) == 0
    bad = client.get("/audit", params={"since": "31/02/2026"})
    assert bad.status_code == 400 and "ngày/tháng/năm" in bad.text
    reversed_days = client.get("/audit", params={"since": "02/12/2026", "until": "01/12/2026"})
    assert reversed_days.status_code == 400
    markup = client.get("/audit", params={"user": "<script>x</script>"})
    assert markup.status_code == 400 and "<script>x</script>" not in markup.text
    assert client.get("/audit", params={"unit": "99999"}).status_code == 400
    assert client.get("/audit", params={"page": "abc"}).status_code == 200


def test_the_trail_is_paginated_newest_first(office: Office) -> None:
    with office.database.transaction() as db:
        db.execute(delete(AuditEntry))
        unit_id = find_unit(db, "legacy:183").id
        for n in range(60):
            audit.record(
                db, None, "user.set", "user", f"u{n}", f"mục {n:02d}", unit_id=unit_id, now=NOW + timedelta(minutes=n)
            )
    client = office.app_client()
    sign_in(client, "caoloc")
    first = client.get("/audit")
    assert rows(first.text) == 50 and first.text.index("mục 59") < first.text.index("mục 58")
    assert "?page=2" in first.text and "mục 09" not in first.text
    second = client.get("/audit", params={"page": "2"})
    assert rows(second.text) == 10 and "mục 09" in second.text and "Trang trước" in second.text
