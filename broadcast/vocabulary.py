"""The fixed vocabularies of the domain, as enums: one spelling of each word, checked by the type checker.

Each is a ``StrEnum``, so a member equals its stored text (``Priority.EMERGENCY == "emergency"``) and is written
to the database, JSON and manifests as that text.
"""

from __future__ import annotations

from enum import StrEnum


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


class ItemKind(StrEnum):
    """The parts of a bulletin (bản tin), as the manifest names them."""

    IDENT = "ident"  # the station call: "Đây là Đài Truyền thanh xã …"
    JINGLE = "jingle"
    GREETING = "greeting"
    INTRO = "intro"  # "Kính thưa bà con! Sau đây là thông báo: …"
    MESSAGE = "message"
    CLOSE = "close"
    PAUSE = "pause"  # silence between parts
