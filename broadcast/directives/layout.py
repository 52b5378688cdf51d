"""From raw text to clean lines: Unicode and markdown clean-up, two-column layouts, paragraph re-joining."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from broadcast.directives.markers import classify
from broadcast.directives.textutil import fold_keep, is_lower_start, squash
from broadcast.text import nfc


@dataclass(frozen=True)
class Line:
    """One cleaned line (or re-joined paragraph) and whether it was wholly bold."""

    text: str
    bold: bool = False


_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")

# Debris of a table pasted from a legal-text site: a line holding only cell borders.
_BORDER_ONLY = re.compile(r"[\s|¦│┃]*[|¦│┃][\s|¦│┃]*")
_CELL_GAP = re.compile(r"\t+| {3,}")
_TABLE_ROW = re.compile(r"\s*\|.*\|\s*")
_TABLE_RULE = re.compile(r"\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*(?::?-{2,}:?\s*)?")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
# A line written in the right-hand column after a run of spaces or a tab (text pasted from a Word table).
_RIGHT_INDENT = 8
_MAX_CELL = 120
_LEFT_RUN = 30
# Wide gaps that are blanks to fill in ("ngày      tháng 02", "Số:     /STTTT") do not split columns.
_BLANK_BEFORE = re.compile(r"(?:\bngay|\bthang|\bso\s*:?)\s*$")
_BLANK_AFTER = re.compile(r"/|thang\b|nam\b")
# The national motto that heads the right-hand column; split it off when pasted on the issuer's line.
_MOTTO_INSIDE = re.compile(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–—]\s*tu do\s*[-–—]\s*hanh phuc")

_SEPARATOR = re.compile(r"[-_=*—–~.·•\s]{3,}")
# The star under a party body's name ("HUYỆN ỦY NẬM NHÙN" / "*"): an ornament, like the rule under a ministry's.
_STARS = re.compile(r"[*\s]+")
_HEADING = re.compile(r"#{1,6}\s+(?P<text>.*?)\s*#*")
_QUOTE = re.compile(r"(?:>\s?)+")
_WHOLE_BOLD = re.compile(r"(\*\*|__)(?P<inner>.+?)\1[\s.:;,]*")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(?P<inner>.{1,500}?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(?P<inner>.{1,500}?)(?<=[^\s*_])\1(?![\w*])")
_LINK = re.compile(r"\[(?P<text>[^\]\n]{1,500})\]\((?P<url>[^)\s]{1,500})\)")
_AUTOLINK = re.compile(r"<(?P<url>(?:https?|ftp|mailto):[^>\s]{1,500})>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_BULLET = re.compile(r"[*]\s+")
_END_OF_SENTENCE = re.compile(r"[.;:!?][\"”’')\]]*$")


def prepare_lines(text: str) -> list[Line]:
    """Clean text into lines: NFC, no markdown, two-column rows put one column after the other."""
    cleaned = _BREAKS.sub("\n", text.translate(_INVISIBLE))
    cleaned = _CONTROLS.sub("", _SPACES.sub(" ", cleaned))
    kept = [line for line in nfc(cleaned).split("\n") if not _BORDER_ONLY.fullmatch(line)]
    raw = _balance_bold(kept)
    lines = [_clean_markdown(cell) for cell in _unfold_columns(raw)]
    # Runs of blank lines carry no more meaning than one.
    result: list[Line] = []
    for line in _rejoin_split_fields(lines):
        if line.text or (result and result[-1].text):
            result.append(line)
    return result


# Header fields that legal-text sites split over two lines, folded: the first half, and how the second opens.
_SPLIT_FIELDS = (
    (re.compile(r"so\s*:?"), re.compile(r"[\d/._…]")),
    (re.compile(r".{0,60},\s*ngay"), re.compile(r"\d|thang\b")),
    (re.compile(r".{0,60},\s*ngay\s*\d{1,2}\s*thang\s*\d{1,2}"), re.compile(r"nam\s*\d{4}")),
    (re.compile(r"cong hoa xa hoi"), re.compile(r"chu nghia viet nam\b")),
    (re.compile(r"doc lap\s*[-–—]?\s*tu do\s*[-–—]?"), re.compile(r"hanh phuc\b")),
)


def _rejoin_split_fields(lines: list[Line]) -> list[Line]:
    """Put back on one line "Số:" and its number, "Quảng Ngãi, ngày" and its date, the halves of the motto."""
    result: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        folded = fold_keep(line.text)
        ahead = index + 1
        if ahead < len(lines) and not lines[ahead].text:
            ahead += 1  # one blank line may separate the halves; no more
        if ahead < len(lines) and line.text and lines[ahead].text:
            following = fold_keep(lines[ahead].text)
            if any(first.fullmatch(folded) and second.match(following) for first, second in _SPLIT_FIELDS):
                result.append(Line(f"{line.text} {lines[ahead].text}", line.bold))
                index = ahead + 1
                continue
        result.append(line)
        index += 1
    return result


def _balance_bold(raw: list[str]) -> list[str]:
    """Close a "**" left open at a line's end and reopen it on the next line, so each line stands alone."""
    result: list[str] = []
    is_open = False
    for line in raw:
        if not line.strip() or _TABLE_ROW.fullmatch(line):
            is_open = False
            result.append(line)
            continue
        if is_open:
            body = line.lstrip()
            line = line[: len(line) - len(body)] + "**" + body
        is_open = line.count("**") % 2 == 1
        result.append(line.rstrip() + "**" if is_open else line)
    return result


@dataclass
class _Row:
    left: list[str]
    right: list[str] | None
    indent: int = 0

    @property
    def blank(self) -> bool:
        return self.right is None and not any(part.strip() for part in self.left)


def _split_row(line: str) -> _Row:
    if not line.strip():
        return _Row([""], None)
    if _TABLE_RULE.fullmatch(line):
        return _Row([""], None)
    if _TABLE_ROW.fullmatch(line):
        return _table_row(line)
    if "|" in line:
        # Legal-text sites paste the header's two columns as "left | right" without outer borders.
        return _table_row(f"|{line}|")
    body = line.lstrip()
    indent = len(line[: len(line) - len(body)].expandtabs(8))
    parts = _cells(body.rstrip())
    if len(parts) >= 2 and all(len(part) <= _MAX_CELL for part in parts):
        marker = classify(parts[0])
        if marker is None or marker.rest:
            return _Row([parts[0]], [" ".join(parts[1:])], indent)
        return _Row([" ".join(parts)], None, indent)
    body = " ".join(parts)
    motto = _MOTTO_INSIDE.search(fold_keep(body), 1)
    if motto is not None and body[: motto.start()].strip():
        return _Row([body[: motto.start()].strip()], [body[motto.start() :]], indent)
    return _Row(_HTML_BREAK.split(body), None, indent)


def _table_row(line: str) -> _Row:
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    filled = [cell for cell in cells if cell]
    if len(cells) == 1 or not filled:
        return _Row(_HTML_BREAK.split(" ".join(filled)), None)
    if len(cells) > 2:
        if len(filled) > 2:
            # A data table, not a layout table: keep each row on one line.
            return _Row(["; ".join(filled)], None)
        cells = filled if len(filled) == 2 else [cells[0], " ".join(cells[1:])]
    return _Row(_HTML_BREAK.split(cells[0]), _HTML_BREAK.split(cells[1]))


def _cells(body: str) -> list[str]:
    """Split a line at its wide gaps, except the blanks left for a day, month or number to be filled in."""
    cells: list[str] = []
    start = 0
    for gap in _CELL_GAP.finditer(body):
        before = fold_keep(body[start : gap.start()])
        after = fold_keep(body[gap.end() : gap.end() + 6])
        if _BLANK_BEFORE.search(before) or _BLANK_AFTER.match(after):
            continue
        cells.append(body[start : gap.start()])
        start = gap.end()
    cells.append(body[start:])
    return cells


def _unfold_columns(raw: list[str]) -> list[str]:
    """Emit each block of two-column rows as its left column, a blank line, then its right column."""
    rows = [_split_row(line) for line in raw]
    out: list[str] = []
    index = 0
    while index < len(rows):
        if rows[index].right is None:
            out.extend(rows[index].left)
            index += 1
            continue
        left: list[str] = []
        right: list[str] = []
        while index < len(rows):
            row = rows[index]
            if row.right is not None:
                left.extend(row.left)
                right.extend(row.right)
            elif row.indent >= _RIGHT_INDENT and not row.blank:
                right.extend(row.left)
            elif not _block_goes_on(rows, index):
                break
            elif row.blank:
                left.append("")
                right.append("")
            else:
                left.extend(row.left)
            index += 1
        out.extend([*left, "", *right, ""])
    return out


def _block_goes_on(rows: list[_Row], index: int) -> bool:
    """A blank or left-only row stays in a column block when more two-column rows follow it closely."""
    ahead = index
    # Left-only rows (the rest of a "Nơi nhận" list) run on to the next two-column or right-hand row.
    limit = min(len(rows), index + _LEFT_RUN)
    while ahead < limit and _is_left_only(rows[ahead]):
        ahead += 1
    while ahead < len(rows) and rows[ahead].blank:
        ahead += 1
    return ahead < len(rows) and not _is_left_only(rows[ahead])


def _is_left_only(row: _Row) -> bool:
    return row.right is None and not row.blank and row.indent < _RIGHT_INDENT


def _clean_markdown(raw: str) -> Line:
    text = raw.strip()
    if not text:
        return Line("")
    bold = False
    if heading := _HEADING.fullmatch(text):
        text, bold = heading["text"], True
    text = _QUOTE.sub("", text, count=1) if text.startswith(">") else text
    if (_SEPARATOR.fullmatch(text) or _STARS.fullmatch(text)) and not text.startswith("./."):
        return Line("")
    if (bullet := _BULLET.match(text)) is not None:
        text = "- " + text[bullet.end() :]
    whole = _WHOLE_BOLD.fullmatch(text)
    if whole is not None and "**" not in whole["inner"] and "__" not in whole["inner"]:
        bold = True
    text = _BOLD.sub(r"\g<inner>", text)
    text = _ITALIC.sub(r"\g<inner>", text)
    text = text.replace("**", "").replace("__", "")
    text = _LINK.sub(r"\g<text>", text)
    text = _AUTOLINK.sub(r"\g<url>", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _HTML_BREAK.sub(" ", text)
    return Line(squash(text), bold and bool(text.strip()))


def join_paragraphs(lines: Sequence[Line]) -> list[Line]:
    """Re-join lines broken inside a sentence; a paragraph ends at a blank line, a marker or . ; : ! ?."""
    width = _typical_width(lines)
    paragraphs: list[Line] = []
    parts: list[str] = []
    bold = False
    for line in lines:
        if not line.text:
            if parts:
                paragraphs.append(Line(" ".join(parts), bold))
                parts = []
            continue
        if parts and _continues(parts[-1], line, bold, width):
            parts.append(line.text)
            continue
        if parts:
            paragraphs.append(Line(" ".join(parts), bold))
        parts, bold = [line.text], line.bold
    if parts:
        paragraphs.append(Line(" ".join(parts), bold))
    return paragraphs


def _typical_width(lines: Sequence[Line]) -> int:
    lengths = sorted(len(line.text) for line in lines if line.text)
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def _continues(previous: str, line: Line, bold: bool, width: int) -> bool:
    if line.bold != bold or classify(line.text) is not None or _END_OF_SENTENCE.search(previous):
        return False
    if is_lower_start(line.text) or line.text[0] in "(“\"'‘,":
        return True
    # An upper-case start continues only a line that was full: its next word would not have fitted.
    first_word = line.text.split(" ", 1)[0]
    return width >= 40 and len(previous) + 1 + len(first_word) > width
