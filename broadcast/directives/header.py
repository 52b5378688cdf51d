"""The header of an official document: issuer, number, place and date, urgency, title, subject, recipients."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from broadcast.directives.dates import match_date
from broadcast.directives.layout import Line
from broadcast.directives.markers import classify, is_item_start, strip_item
from broadcast.directives.record import DocType, Urgency
from broadcast.directives.textutil import fold_keep, is_caps, is_lower_start, squash
from broadcast.errors import ParseError

_MOTTO = re.compile(r"(?:cong hoa xa hoi chu nghia viet nam|doc lap\W*tu do\W*hanh phuc|dang cong san viet nam)\b")
_NUMBER_LINE = re.compile(r"so\s*(?::|(?=\s*[\d/._…]))\s*")
_NUMBER = re.compile(
    r"[._…\s]*(?P<digits>\d{1,6})?\s*(?P<sep>[/-])?\s*(?:(?P<year>\d{4})\s*/\s*)?(?P<notation>[^\W\d_][\w.&/-]*)?"
)
_PLACE_DATE = re.compile(r"(?P<place>[^,;:()]{0,60}?)\s*,\s*(?=ngay\b)")
_BARE_DATE = re.compile(r"ngay\b")
_DATE_WORDS = re.compile(r"ngay\b.{0,40}?(?:thang|\d\s*[/.-])")
_SUBJECT = re.compile(r"(?:v\s*/\s*v|ve viec)(?![\w/])\s*[:.]?\s*")
_RECIPIENTS = re.compile(r"kinh gui\b\s*[:.]?\s*")
_TELEGRAM = re.compile(r"(?P<who>[^:]{2,150}?)\s+dien\s*:\s*")
_BODY_START = re.compile(
    r"(?:thuc hien|can cu|de |nham |theo |trong |hien nay|tiep theo|sau khi|qua |vua qua|thoi gian qua"
    r"|ngay \d|nhan duoc|thuc te|hom nay|duoc su)"
)
_WORDS = re.compile(r"[a-z]+")

# Title lines and the document type each names; titles not in the project's list count as "other".
_TITLES: tuple[tuple[str, DocType], ...] = (
    ("cong dien", "cong_dien"),
    ("cong van", "cong_van"),
    ("ke hoach", "ke_hoach"),
    ("thong bao", "thong_bao"),
    ("quyet dinh", "quyet_dinh"),
    ("chi thi", "chi_thi"),
    ("huong dan", "huong_dan"),
    ("bao cao", "bao_cao"),
    ("to trinh", "other"),
    ("ket luan", "other"),
    ("giay moi", "other"),
    ("nghi quyet", "other"),
    ("chuong trinh", "other"),
    ("phuong an", "other"),
    ("quy che", "other"),
    ("quy dinh", "other"),
    ("bien ban", "other"),
    ("thong tri", "other"),
)
_TITLE = re.compile(r"(?P<word>" + "|".join(word for word, _ in _TITLES) + r")\b\s*[:.-]?\s*")
_TITLE_TYPES = dict(_TITLES)

_URGENCY_WORDS = frozenset({"khan", "thuong", "hoa", "toc"})
_SECRECY = frozenset({"mat", "toi mat", "tuyet mat"})
# Words that open the name of a new body in the issuer block; other capital lines continue the one above.
_UNIT_START = re.compile(
    r"(?:ubnd|uy ban|hdnd|hoi dong|so |phong (?!chong)|ban |tieu ban|trung tam|dai |van phong|cong an|bo chi huy"
    r"|chi cuc|cuc |tong cuc|benh vien|truong |hoi |bo |tinh uy|huyen uy|thanh uy|thi uy|dang uy|dang bo"
    r"|mat tran|doan |lien doan|cong ty|bao |kho bac|chi nhanh|thanh tra|vien |hoc vien)"
)
_MAX_SUBJECT_LINE = 250


@dataclass(frozen=True)
class Header:
    """Header fields found at the top of a document, and the index of the first body line."""

    number: str | None = None
    notation: str | None = None
    issuer: str | None = None
    issuer_parent: str | None = None
    place: str | None = None
    issued_on: str | None = None
    urgency: Urgency | None = None
    title_type: DocType | None = None
    subject: str | None = None
    has_vv: bool = False
    recipients: tuple[str, ...] = ()
    end: int = 0


@dataclass
class _State:
    number_seen: bool = False
    number: str | None = None
    notation: str | None = None
    issuer_lines: list[str] = field(default_factory=list)
    issuer_open: bool = True
    date_seen: bool = False
    place: str | None = None
    issued_on: str | None = None
    urgency: Urgency | None = None
    title_type: DocType | None = None
    subject: str | None = None
    has_vv: bool = False
    recipients: list[str] | None = None

    def add_urgency(self, level: Urgency | None) -> None:
        order: tuple[Urgency, ...] = ("khan", "thuong_khan", "hoa_toc")
        if level is not None and (self.urgency is None or order.index(level) > order.index(self.urgency)):
            self.urgency = level


def scan_header(lines: Sequence[Line]) -> Header:
    """Read header elements from the top, in any order, up to the first line that belongs to the body."""
    state = _State()
    index = 0
    while index < len(lines):
        if not lines[index].text:
            index += 1
            continue
        after = _take_element(lines, index, state)
        if after == index:
            break
        index = after
    parent, issuer = _split_issuer(state.issuer_lines)
    return Header(
        number=state.number,
        notation=state.notation,
        issuer=issuer,
        issuer_parent=parent,
        place=state.place,
        issued_on=state.issued_on,
        urgency=state.urgency,
        title_type=state.title_type,
        subject=state.subject,
        has_vv=state.has_vv,
        recipients=tuple(state.recipients or ()),
        end=index,
    )


def _take_element(lines: Sequence[Line], index: int, state: _State) -> int:
    """Record the header element at lines[index] and return the index after it, or index if it is none."""
    text = lines[index].text
    folded = fold_keep(text)
    if _MOTTO.match(folded) or _secrecy(folded):
        return index + 1
    if not state.number_seen and (number := _NUMBER_LINE.match(folded)):
        state.issuer_open = False
        state.number_seen = True
        remainder = _read_number(text[number.end() :], state)
        if remainder and not _read_place_date(remainder, state):
            state.add_urgency(urgency_of(remainder))
        return index + 1
    if not state.date_seen and _read_place_date(text, state):
        _close_issuer(state)
        return index + 1
    if (level := urgency_of(text)) is not None:
        state.add_urgency(level)
        return index + 1
    if state.recipients is None and (match := _RECIPIENTS.match(folded)):
        state.issuer_open = False
        state.recipients, after = take_list(lines, index, text[match.end() :])
        return after
    if state.subject is None and (match := _SUBJECT.match(folded)):
        state.issuer_open = False
        state.has_vv = True
        return _take_subject(lines, index, text[match.end() :], state)
    if state.recipients is None and (match := _TELEGRAM.match(folded)) and is_caps(text[: match.end("who")]):
        state.issuer_open = False
        state.recipients, after = take_list(lines, index, text[match.end() :])
        return after
    if state.title_type is None and (match := _TITLE.match(folded)) and is_caps(text[: match.end("word")]):
        state.issuer_open = False
        state.title_type = _TITLE_TYPES[match["word"]]
        rest = text[match.end() :].strip()
        if rest and (level := urgency_of(rest)) is not None:
            state.add_urgency(level)
            rest = ""
        if state.subject is not None:
            return index + 1
        return _take_subject(lines, index, rest, state, skip_blanks=not rest)
    if state.title_type is None and state.issuer_open and _is_issuer_line(text):
        state.issuer_lines.append(text)
        return index + 1
    return index


def _secrecy(folded: str) -> bool:
    return " ".join(_WORDS.findall(folded)) in _SECRECY


def urgency_of(text: str) -> Urgency | None:
    """Return the urgency a line states when it holds nothing else ("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC")."""
    words = _WORDS.findall(fold_keep(text))
    if not words or len(words) > 6 or not set(words) <= _URGENCY_WORDS:
        return None
    pairs = set(itertools.pairwise(words))
    if ("hoa", "toc") in pairs:
        return "hoa_toc"
    if ("thuong", "khan") in pairs:
        return "thuong_khan"
    return "khan" if "khan" in words else None


def _close_issuer(state: _State) -> None:
    # The right-hand column (motto, date) may come before the issuer; only close a block already begun.
    if state.issuer_lines:
        state.issuer_open = False


def _is_issuer_line(text: str) -> bool:
    return is_caps(text) and len(text) <= 150 and classify(text) is None and not text.endswith((":", ";"))


def _read_number(rest: str, state: _State) -> str:
    """Read "07/CĐ-UBND" (or "/STTTT-TTBCXB" with the number left blank); return what follows it."""
    match = _NUMBER.match(rest)
    if match is None:  # pragma: no cover - the pattern matches the empty string
        return rest.strip()
    digits, notation = match["digits"], match["notation"]
    notation = notation.rstrip("./-&") if notation else None
    if notation is not None and digits:
        year = f"{match['year']}/" if match["year"] else ""
        state.number = f"{digits}{match['sep'] or '/'}{year}{notation}"
    elif digits:
        state.number = digits
    state.notation = notation or None
    return rest[match.end() :].strip(" ,;")


def _read_place_date(text: str, state: _State) -> bool:
    """Read "Lạng Sơn, ngày 05 tháng 3 năm 2021" (or a bare date line); False when text is neither."""
    folded = fold_keep(text)
    place: str | None = None
    if match := _PLACE_DATE.match(folded):
        start = match.end()
        place = squash(text[: match.end("place")]) or None
    elif _BARE_DATE.match(folded):
        start = 0
    else:
        return False
    date = match_date(folded, start)
    if date is None:
        if not _DATE_WORDS.match(folded, start):
            return False
    elif place is None and folded[date.end :].strip(" .,;"):
        return False  # a sentence that starts with a date is body text, not the date line
    elif date.iso is None:
        raise ParseError(f"the date in {text.strip()!r} does not exist; correct the date line")
    state.date_seen = True
    state.place = place
    state.issued_on = None if date is None else date.iso
    return True


def _take_subject(lines: Sequence[Line], index: int, rest: str, state: _State, *, skip_blanks: bool = False) -> int:
    """Collect a subject that may wrap over lines; return the index after it."""
    parts = [rest.strip()] if rest.strip() else []
    after = index + 1
    if not parts:
        ahead = after
        while skip_blanks and ahead < len(lines) and not lines[ahead].text:
            ahead += 1
        if ahead < len(lines) and _opens_subject(lines[ahead].text):
            parts, after = [lines[ahead].text], ahead + 1
    while after < len(lines) and lines[after].text and _continues_subject(parts, lines[after].text):
        parts.append(lines[after].text)
        after += 1
    if parts:
        subject = squash(" ".join(parts)).rstrip(" ;.")
        if subject.endswith("./"):
            subject = subject[:-2]
        state.subject = subject or None
    return after


def _opens_subject(text: str) -> bool:
    folded = fold_keep(text)
    return (
        bool(text)
        and len(text) <= _MAX_SUBJECT_LINE
        and not _is_element(text, folded)
        and classify(text) is None
        and not _BODY_START.match(folded)
    )


def _continues_subject(parts: list[str], text: str) -> bool:
    if not parts or not _opens_subject(text):
        return False
    previous = parts[-1]
    if is_caps(text) and not is_caps(previous):
        return False
    return is_lower_start(text) or not previous.endswith((".", ";", ":"))


def _is_element(text: str, folded: str) -> bool:
    if _MOTTO.match(folded) or _NUMBER_LINE.match(folded) or _RECIPIENTS.match(folded):
        return True
    if _SUBJECT.match(folded) or urgency_of(text) is not None:
        return True
    if (match := _TELEGRAM.match(folded)) and is_caps(text[: match.end("who")]):
        return True
    if (match := _TITLE.match(folded)) and is_caps(text[: match.end("word")]):
        return True
    return bool(_PLACE_DATE.match(folded) and _DATE_WORDS.search(folded))


def take_list(lines: Sequence[Line], index: int, rest: str) -> tuple[list[str], int]:
    """Collect a list that opens after "Kính gửi:", "… điện:" or "Nơi nhận:"; return items and next index."""
    rest = rest.strip()
    items: list[str] = []
    if rest:
        items = [rest] if is_item_start(rest) else [part for part in rest.split(";") if part.strip()]
    bulleted = not items or is_item_start(items[0])
    after = index + 1
    while after < len(lines):
        text = lines[after].text
        if not text:
            ahead = after
            while ahead < len(lines) and not lines[ahead].text:
                ahead += 1
            if ahead < len(lines) and (
                (bulleted and is_item_start(lines[ahead].text)) or (not items and _plain_item(lines[ahead]))
            ):
                after = ahead
                continue
            break
        if is_item_start(text) and bulleted:
            items.append(text)
        elif items and is_lower_start(text) and classify(text) is None:
            items[-1] = f"{items[-1]} {text}"
        elif not items and _plain_item(lines[after]):
            items.append(text)
            bulleted = False
        else:
            break
        after += 1
    cleaned = [strip_item(item) for item in items]
    return [squash(item) for item in cleaned if item], after


def _plain_item(line: Line) -> bool:
    """A recipient written without a bullet: one short line that is not body text."""
    folded = fold_keep(line.text)
    return (
        len(line.text) <= 200
        and classify(line.text) is None
        and not _BODY_START.match(folded)
        and not _is_element(line.text, folded)
    )


def _split_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    """Split the capital lines above the number into the issuing body and the body above it."""
    units: list[str] = []
    for line in lines:
        if not units or _UNIT_START.match(fold_keep(line)):
            units.append(squash(line))
        else:
            units[-1] = f"{units[-1]} {squash(line)}"
    if not units:
        return None, None
    if len(units) == 1:
        return None, units[0]
    return units[-2], units[-1]
