"""Draft announcements from a parsed directive: one per top-level section, as prose ready for listening."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from broadcast.directives.markers import HEADING_KINDS, classify
from broadcast.directives.record import DirectiveRecord, Section
from broadcast.text import fold

# Sections that instruct offices rather than inform the public, recognised by how their title opens...
OFFICE_TITLE_OPENINGS: tuple[str, ...] = (
    "de nghi",
    "to chuc thuc hien",
    "che do bao cao",
    "kinh phi",
    "trach nhiem",
    "phan cong",
    "muc dich",
    "hinh thuc",
    "dieu khoan thi hanh",
    "hieu luc",
    "giao ",
    "yeu cau cac",
)
# ...by words anywhere in their title...
OFFICE_TITLE_WORDS: tuple[str, ...] = (
    "to chuc thuc hien",
    "che do bao cao",
    "kinh phi",
    "phan cong nhiem vu",
    "co hieu luc",
    "chiu trach nhiem thi hanh",
)
# ...or by how their text opens ("Đôn đốc, hướng dẫn…", "Đề nghị … báo cáo…").
OFFICE_TEXT_OPENINGS: tuple[str, ...] = ("de nghi", "don doc", "giao ", "yeu cau cac", "chi dao cac")

_END = re.compile(r"[.!?…][\"”’')\]]*$")
_SOFT_END = re.compile(r"\s*(?:\./\.|[;,:]+)$")


@dataclass(frozen=True)
class Draft:
    """A section turned into an announcement draft, and whether it is meant for the public at all."""

    title: str
    text: str
    for_broadcast: bool
    section_label: str

    def to_json_dict(self) -> dict[str, Any]:
        """Return the draft as plain JSON data."""
        return {
            "title": self.title,
            "text": self.text,
            "for_broadcast": self.for_broadcast,
            "section_label": self.section_label,
        }


def draft_messages(directive: DirectiveRecord) -> list[Draft]:
    """Return one draft per top-level section, or one from the preamble when there are no sections."""
    if not directive.sections:
        if not directive.preamble:
            return []
        title = directive.subject or ""
        text = _preamble_prose(directive.preamble)
        return [Draft(title, text, not is_for_offices(title, directive.preamble), "")]
    drafts = []
    for section in directive.sections:
        prose = _Prose()
        _walk(section, prose, top=True)
        text = prose.finish() or sentence(section.title)
        title = _SOFT_END.sub("", section.title.strip()).rstrip(".").strip()
        drafts.append(Draft(title, text, not is_for_offices(section.title, section.text), section.label))
    return drafts


def is_for_offices(title: str, text: str) -> bool:
    """True when a section tells offices what to do (report, organise, fund) instead of informing people."""
    folded_title = fold(title)
    folded_text = fold(text)
    return (
        folded_title.startswith(OFFICE_TITLE_OPENINGS)
        or any(word in folded_title for word in OFFICE_TITLE_WORDS)
        or folded_text.startswith(OFFICE_TEXT_OPENINGS)
    )


def sentence(text: str, *, intro: bool = False) -> str:
    """Return text as one spoken sentence: a capital first, trailing ";" "," "./." become a period."""
    text = " ".join(text.split())
    if not text:
        return ""
    # List entries often start in lower case after their marker; as sentences they start with a capital.
    text = text[0].upper() + text[1:]
    if intro and text.endswith(":"):
        return text
    text = _SOFT_END.sub("", text)
    if not text:
        return ""
    return text if _END.search(text) else text + "."


@dataclass
class _Prose:
    paragraphs: list[str] = field(default_factory=list)
    run: list[str] = field(default_factory=list)

    def paragraph(self, text: str) -> None:
        self.flush()
        if text:
            self.paragraphs.append(text)

    def item(self, text: str) -> None:
        if text:
            self.run.append(text)

    def flush(self) -> None:
        if self.run:
            self.paragraphs.append(" ".join(self.run))
            self.run = []

    def finish(self) -> str:
        self.flush()
        return "\n\n".join(self.paragraphs)


def _walk(section: Section, prose: _Prose, *, top: bool) -> None:
    """List items join one paragraph as sentences; nested headings and plain paragraphs start new ones."""
    has_more = bool(section.children)
    if section.title and not top:
        prose.paragraph(sentence(section.title, intro=has_more or bool(section.text)))
    paragraphs = [part for part in section.text.split("\n") if part.strip()]
    for index, part in enumerate(paragraphs):
        is_last = index == len(paragraphs) - 1
        spoken = sentence(part, intro=is_last and has_more)
        if not section.title:
            prose.item(spoken)
        elif spoken.endswith(":"):
            prose.paragraph("")
            prose.item(spoken)
        else:
            prose.paragraph(spoken)
    for child in section.children:
        _walk(child, prose, top=False)


def _preamble_prose(preamble: str) -> str:
    """Turn a body without sections into prose: bullets become sentences of one paragraph."""
    prose = _Prose()
    for line in preamble.split("\n"):
        marker = classify(line)
        if marker is not None and marker.kind not in HEADING_KINDS:
            prose.item(sentence(marker.rest))
        elif line.rstrip().endswith(":"):
            prose.paragraph("")
            prose.item(sentence(line, intro=True))
        else:
            prose.paragraph(sentence(marker.rest if marker is not None else line))
    return prose.finish()
