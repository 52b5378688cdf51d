"""The fixed vocabularies of the domain, as enums: one spelling of each word, checked by the type checker.

Each is a ``StrEnum``, so a member equals its stored text (``Priority.EMERGENCY == "emergency"``) and is written
to the database, JSON and manifests as that text.
"""

from __future__ import annotations

from enum import StrEnum

# Words stored as they are, checked by the tables' CHECK constraints; here so that commands can offer them as
# choices without importing the ORM models.
SCHEMES = ("legacy", "2025")  # the administrative tree until 30 June 2025, and after
UNIT_KINDS = ("province", "district", "commune")
STATION_KINDS = ("commune", "district", "province")
VOICE_REGIONS = ("north", "central", "south")


class Priority(StrEnum):
    """A message's priority (Thông tư 39/2020/TT-BTTTT): thông thường, ưu tiên, khẩn cấp.

    Priority items go ahead of the commune's own; emergency items (disaster, fire, epidemic) play at once.
    """

    NORMAL = "normal"
    PRIORITY = "priority"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        """0 for emergency, 1 for priority, 2 for normal: the order the planner fills a session in."""
        return _PRIORITY_RANK[self]


_PRIORITY_RANK = {Priority.EMERGENCY: 0, Priority.PRIORITY: 1, Priority.NORMAL: 2}


class MessageStatus(StrEnum):
    """Where a message is in its life: biên tập (draft) → duyệt (approved); retired ones stay on record."""

    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


class PlayStatus(StrEnum):
    """What a station reports of one item in its as-run log (nhật ký phát thanh)."""

    PLAYED = "played"
    FAILED = "failed"
    SKIPPED = "skipped"
    INTERRUPTED = "interrupted"  # faded out part-way for an emergency


class ItemKind(StrEnum):
    """The parts of a bulletin (bản tin), as the manifest names them."""

    IDENT = "ident"  # the station call: "Đây là Đài Truyền thanh xã …"
    JINGLE = "jingle"
    GREETING = "greeting"
    INTRO = "intro"  # "Kính thưa bà con! Sau đây là thông báo: …"
    MESSAGE = "message"
    CLOSE = "close"
    PAUSE = "pause"  # silence between parts


class Role(StrEnum):
    """What an office account may do, within its scope (a unit and everything under it).

    The levels follow the guidance for grassroots radio source systems: each office (province, district, commune)
    has its own accounts; content is approved by the office's leadership before air.
    """

    ADMIN = "admin"  # users, units, sessions, stations and tokens in scope, and all an approver may
    APPROVER = "approver"  # approve and retire messages, and all an editor may
    EDITOR = "editor"  # import directives, draft and edit messages for targets in scope
    OPERATOR = "operator"  # one station: its timetable, previews and as-run

    @property
    def label(self) -> str:
        """The role as offices name it, in Vietnamese."""
        return _ROLE_LABELS[self]

    def may(self, other: Role) -> bool:
        """Whether this role may do what other may (admin ⊇ approver ⊇ editor; an operator only its own)."""
        return self is other or (
            self in _ROLE_ORDER and other in _ROLE_ORDER and _ROLE_ORDER[self] <= _ROLE_ORDER[other]
        )


_ROLE_LABELS = {
    Role.ADMIN: "Quản trị",
    Role.APPROVER: "Duyệt tin",
    Role.EDITOR: "Biên tập",
    Role.OPERATOR: "Vận hành đài",
}
_ROLE_ORDER = {Role.ADMIN: 0, Role.APPROVER: 1, Role.EDITOR: 2}


class SessionState(StrEnum):
    """How a station's session went, from its as-run log: phát đủ, phát một phần, lỡ buổi."""

    AIRED = "aired"  # every planned item played
    PARTLY_AIRED = "partly_aired"  # some played
    MISSED = "missed"  # nothing played, and the session is over

    @property
    def label(self) -> str:
        return _SESSION_LABELS[self]


_SESSION_LABELS = {
    SessionState.AIRED: "Phát đủ",
    SessionState.PARTLY_AIRED: "Phát một phần",
    SessionState.MISSED: "Lỡ buổi",
}


class StationState(StrEnum):
    """A station as the status page colours it, the first that holds in this order: never seen, not seen for
    hours, missed (or partly aired) a session, active."""

    NEVER_SEEN = "never_seen"
    SILENT = "silent"
    MISSED = "missed"
    ACTIVE = "active"

    @property
    def label(self) -> str:
        return _STATION_LABELS[self]


_STATION_LABELS = {
    StationState.ACTIVE: "Đang hoạt động",
    StationState.SILENT: "Lâu không liên lạc",
    StationState.NEVER_SEEN: "Chưa từng liên lạc",
    StationState.MISSED: "Lỡ buổi phát",
}
