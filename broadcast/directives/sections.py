"""The body of a document: the preamble, the nested sections, and the closing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from broadcast.directives.layout import Line
from broadcast.directives.markers import HEADING_KINDS, Marker, classify
from broadcast.directives.record import Section
from broadcast.directives.textutil import fold_keep

# How closing paragraphs open ("Đề nghị Quý cơ quan…", "Trên đây là Kế hoạch…", "Sở Y tế thông báo để…"), folded.
_CLOSING = re.compile(
    r"(?:de nghi|tren day|yeu cau cac|trong qua trinh|nhan duoc|rat mong|tran trong|noi dung nay"
    r"|(?:so|ubnd|uy ban|ban|phong|trung tam|van phong|chu tich)\b[^.;:]{0,80}?\b(?:thong bao|de nghi) )"
)
_END_MARK = "./."
_MAX_BOLD_HEADING = 200


@dataclass(frozen=True)
class Body:
    """Opening paragraphs, sections and closing paragraphs of a document."""

    preamble: str | None
    sections: tuple[Section, ...]
    closing: str | None


@dataclass
class _Node:
    marker: Marker
    texts: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def freeze(self) -> Section:
        children = tuple(child.freeze() for child in self.children)
        rest = self.marker.rest.strip()
        if self.marker.kind in HEADING_KINDS:
            return Section(self.marker.label, rest, "\n".join(self.texts), children)
        return Section(self.marker.label, "", "\n".join([rest, *self.texts]).strip(), children)


def paragraph_marker(paragraph: Line) -> Marker | None:
    """Return the marker that opens a paragraph; a short wholly bold paragraph is a heading of its own."""
    marker = classify(paragraph.text)
    bold = paragraph.bold and len(paragraph.text) <= _MAX_BOLD_HEADING and _END_MARK not in paragraph.text
    if marker is None and bold:
        return Marker("bold", "", paragraph.text)
    return marker


def split_body(paragraphs: Sequence[Line]) -> Body:
    """Split body paragraphs into preamble, a tree of sections, and closing."""
    paragraphs = _titles_on_next_line(paragraphs)
    marks = [paragraph_marker(paragraph) for paragraph in paragraphs]
    closing_at = _closing_start(paragraphs, marks)
    top_kind = next((mark.kind for mark in marks[:closing_at] if mark is not None and mark.kind in HEADING_KINDS), None)
    preamble: list[str] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    for paragraph, mark in zip(paragraphs[:closing_at], marks[:closing_at], strict=True):
        if not roots and (mark is None or mark.kind != top_kind):
            preamble.append(paragraph.text)
        elif mark is None:
            stack[-1].texts.append(paragraph.text)
        elif mark.kind == top_kind:
            stack = [_Node(mark)]
            roots.append(stack[0])
        else:
            kinds = [node.marker.kind for node in stack]
            if mark.kind in kinds:
                del stack[kinds.index(mark.kind) :]
            node = _Node(mark)
            stack[-1].children.append(node)
            stack.append(node)
    closing = [paragraph.text for paragraph in paragraphs[closing_at:]]
    return Body(
        preamble="\n".join(preamble) or None,
        sections=tuple(root.freeze() for root in roots),
        closing="\n".join(closing) or None,
    )


def _titles_on_next_line(paragraphs: Sequence[Line]) -> list[Line]:
    """Join "Phần I" (a heading marker alone) and the title printed on the next line."""
    result: list[Line] = []
    for paragraph in paragraphs:
        previous = result[-1] if result else None
        marker = classify(previous.text) if previous is not None else None
        if (
            previous is not None
            and marker is not None
            and marker.kind in HEADING_KINDS
            and not marker.rest.strip()
            and classify(paragraph.text) is None
            and len(paragraph.text) <= _MAX_BOLD_HEADING
        ):
            result[-1] = Line(f"{previous.text} {paragraph.text}", previous.bold or paragraph.bold)
        else:
            result.append(paragraph)
    return result


def _closing_start(paragraphs: Sequence[Line], marks: Sequence[Marker | None]) -> int:
    """Index of the first closing paragraph: the last unmarked "Đề nghị…" before "./.", or what follows "./."."""
    end_mark = next((index for index, p in enumerate(paragraphs) if _END_MARK in p.text), None)
    limit = len(paragraphs) if end_mark is None else end_mark + 1
    index = limit - 1
    while index > 0 and marks[index] is None:
        if _CLOSING.match(fold_keep(paragraphs[index].text)):
            return index
        index -= 1
    return limit
