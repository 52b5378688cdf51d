"""The parsed directive: frozen records and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

DocType = Literal[
    "cong_van", "cong_dien", "ke_hoach", "thong_bao", "quyet_dinh", "chi_thi", "huong_dan", "bao_cao", "other"
]
Urgency = Literal["khan", "thuong_khan", "hoa_toc"]

DOC_TYPES: tuple[DocType, ...] = (
    "cong_van",
    "cong_dien",
    "ke_hoach",
    "thong_bao",
    "quyet_dinh",
    "chi_thi",
    "huong_dan",
    "bao_cao",
    "other",
)
# How offices write each type and urgency mark (Nghị định 30/2020/NĐ-CP), for pages and listings.
DOC_TYPE_NAMES: dict[str, str] = {
    "cong_van": "Công văn",
    "cong_dien": "Công điện",
    "ke_hoach": "Kế hoạch",
    "thong_bao": "Thông báo",
    "quyet_dinh": "Quyết định",
    "chi_thi": "Chỉ thị",
    "huong_dan": "Hướng dẫn",
    "bao_cao": "Báo cáo",
    "other": "Văn bản",
}
URGENCY_NAMES: dict[str, str] = {"khan": "KHẨN", "thuong_khan": "THƯỢNG KHẨN", "hoa_toc": "HỎA TỐC"}


@dataclass(frozen=True)
class Reference:
    """Another document cited in the text, e.g. "Công điện số 01/CĐ-UBND ngày 19/02/2022 của UBND tỉnh"."""

    number: str
    kind: str | None
    issued_on: str | None
    issuer: str | None

    def to_json_dict(self) -> dict[str, Any]:
        """Return the reference as plain JSON data."""
        return {"number": self.number, "kind": self.kind, "issued_on": self.issued_on, "issuer": self.issuer}


@dataclass(frozen=True)
class Section:
    """A numbered part or list item: headings carry a title, list items ("-", "+", "a)") only text."""

    label: str
    title: str
    text: str
    children: tuple[Section, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        """Return the section and its children as plain JSON data."""
        return {
            "label": self.label,
            "title": self.title,
            "text": self.text,
            "children": [child.to_json_dict() for child in self.children],
        }


@dataclass(frozen=True)
class Signer:
    """Who signed: name, own title ("Phó Giám đốc") and the authority signed for ("KT. Giám đốc")."""

    name: str | None
    title: str | None
    authority: str | None

    def to_json_dict(self) -> dict[str, Any]:
        """Return the signer as plain JSON data."""
        return {"name": self.name, "title": self.title, "authority": self.authority}


@dataclass(frozen=True)
class BroadcastHints:
    """What the directive asks of the stations: times a day and the period, as ISO dates."""

    times_per_day: int | None
    start: str | None
    end: str | None

    def to_json_dict(self) -> dict[str, Any]:
        """Return the hints as plain JSON data."""
        return {"times_per_day": self.times_per_day, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class DirectiveRecord:
    """One official document, parsed: header fields, body sections, signature and references."""

    doc_type: DocType
    number: str | None
    notation: str | None
    issuer: str | None
    issuer_parent: str | None
    place: str | None
    issued_on: str | None
    urgency: Urgency | None
    subject: str | None
    recipients: tuple[str, ...]
    references: tuple[Reference, ...]
    sections: tuple[Section, ...]
    signer: Signer | None
    cc: tuple[str, ...]
    broadcast_hints: BroadcastHints | None
    preamble: str | None
    closing: str | None
    # The issuer was not named by a header block: taken from the notation, the preamble or the signature.
    issuer_inferred: bool = False
    # How the text was read, when not from a text layer: mean OCR confidence (0–100, Tesseract's word confidences).
    ocr_confidence: float | None = None
    # The reading is doubtful (OCR confidence below the threshold): an office should check the record by eye.
    uncertain: bool = False

    def to_json_dict(self) -> dict[str, Any]:
        """Return the directive as plain JSON data with the keys other layers rely on."""
        return {
            "doc_type": self.doc_type,
            "number": self.number,
            "notation": self.notation,
            "issuer": self.issuer,
            "issuer_parent": self.issuer_parent,
            "place": self.place,
            "issued_on": self.issued_on,
            "urgency": self.urgency,
            "subject": self.subject,
            "recipients": list(self.recipients),
            "references": [reference.to_json_dict() for reference in self.references],
            "sections": [section.to_json_dict() for section in self.sections],
            "signer": None if self.signer is None else self.signer.to_json_dict(),
            "cc": list(self.cc),
            "broadcast_hints": None if self.broadcast_hints is None else self.broadcast_hints.to_json_dict(),
            "preamble": self.preamble,
            "closing": self.closing,
            "issuer_inferred": self.issuer_inferred,
            "ocr_confidence": self.ocr_confidence,
            "uncertain": self.uncertain,
        }
