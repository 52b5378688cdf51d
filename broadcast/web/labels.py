"""The Vietnamese words pages use for the domain's vocabularies, and the navigation."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from broadcast.audit import Actor
from broadcast.db.models import Station, Unit
from broadcast.errors import BroadcastError
from broadcast.vocabulary import MessageStatus, PlayStatus, Priority
from broadcast.web.vietnamese import FIELD_LABELS as FIELD_LABELS
from broadcast.web.vietnamese import vi_message

PRIORITY_LABELS = {Priority.NORMAL: "Thông thường", Priority.PRIORITY: "Ưu tiên", Priority.EMERGENCY: "Khẩn cấp"}
STATUS_LABELS = {MessageStatus.DRAFT: "Biên tập", MessageStatus.APPROVED: "Đã duyệt", MessageStatus.RETIRED: "Đã dừng"}
PLAY_LABELS = {
    PlayStatus.PLAYED: "Đã phát",
    PlayStatus.FAILED: "Lỗi",
    PlayStatus.SKIPPED: "Bỏ qua",
    PlayStatus.INTERRUPTED: "Ngắt để phát tin khẩn",
}

# Every area of the office app, in the order of the navigation bar.
NAV = (
    ("/", "Tổng quan"),
    ("/directives", "Văn bản"),
    ("/messages", "Tin"),
    ("/timetable", "Lịch phát"),
    ("/units", "Đơn vị & đài"),
    ("/reports", "Báo cáo"),
    ("/status", "Tình trạng đài"),
    ("/audit", "Nhật ký"),
    ("/users", "Tài khoản"),
)


def scope_name(db: DbSession, actor: Actor) -> str:
    """The actor's scope as a page names it: a station, a unit, or the whole country."""
    if actor.station_id is not None:
        station = db.get(Station, actor.station_id)
        return station.name if station else "?"
    if actor.unit_id is not None:
        unit = db.get(Unit, actor.unit_id)
        return unit.name if unit else "?"
    return "Toàn quốc"


def vi_error(exc: BroadcastError) -> str:
    """A library error as a page shows it: whole Vietnamese sentences (broadcast.web.vietnamese)."""
    return vi_message(exc)
