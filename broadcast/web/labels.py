"""The Vietnamese words pages use for the domain's vocabularies, and the navigation."""

from __future__ import annotations

from sqlalchemy.orm import Session as DbSession

from broadcast.audit import Actor
from broadcast.db.models import Station, Unit
from broadcast.errors import BroadcastError
from broadcast.vocabulary import MessageStatus, PlayStatus, Priority

PRIORITY_LABELS = {Priority.NORMAL: "Thông thường", Priority.PRIORITY: "Ưu tiên", Priority.EMERGENCY: "Khẩn cấp"}
STATUS_LABELS = {MessageStatus.DRAFT: "Biên tập", MessageStatus.APPROVED: "Đã duyệt", MessageStatus.RETIRED: "Đã dừng"}
PLAY_LABELS = {PlayStatus.PLAYED: "Đã phát", PlayStatus.FAILED: "Lỗi", PlayStatus.SKIPPED: "Bỏ qua"}

# Every area of the office app, in the order of the navigation bar.
NAV = (
    ("/", "Tổng quan"),
    ("/directives", "Văn bản"),
    ("/messages", "Tin"),
    ("/timetable", "Lịch phát"),
    ("/units", "Đơn vị & đài"),
    ("/reports", "Báo cáo"),
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


# What a page says, in Vietnamese, when the library refuses an input; keyed by the library parameter at fault.
FIELD_LABELS = {
    "title": "Tiêu đề",
    "text": "Nội dung",
    "targets": "Nơi nhận",
    "starts_on": "Ngày bắt đầu",
    "ends_on": "Ngày kết thúc",
    "per_day": "Số lần mỗi ngày",
    "priority": "Mức độ",
    "session_names": "Buổi phát",
    "weekdays": "Ngày trong tuần",
    "approved_by": "Người duyệt",
    "days": "Số ngày",
    "start": "Từ ngày",
    "end": "Đến ngày",
    "name": "Tên buổi",
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "role": "Vai trò",
    "scope": "Phạm vi",
    "password": "Mật khẩu",
    "code": "Mã",
    "file": "Tệp",
}


def vi_error(exc: BroadcastError) -> str:
    """A library error as a page shows it: the field in Vietnamese, then the library's own words for the detail."""
    labels = {field: FIELD_LABELS.get(field, field) for field in exc.fields}
    detail = exc.render(lambda field: f"«{labels[field]}»" if field in labels else None)
    if exc.field in FIELD_LABELS:
        return f"{FIELD_LABELS[exc.field]}: kiểm tra lại giá trị ({detail})."
    return f"Không thực hiện được ({detail})."
