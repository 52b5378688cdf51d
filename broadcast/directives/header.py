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

_MOTTO = re.compile(
    r"(?:cong hoa xa hoi(?: chu nghia viet nam)?|chu nghia viet nam|doc lap\W*tu do\W*hanh phuc"
    r"|dang cong san viet nam)\b"
)
_NUMBER_LINE = re.compile(r"so\s*(?::|(?=\s*[\d/._…]))\s*")
_NUMBER = re.compile(
    r"[._…\s]*(?P<digits>\d{1,6})?\s*(?P<sep>[/-])?\s*(?:(?P<year>\d{4})\s*/\s*)?(?P<notation>[^\W\d_](?:[\w.&/-]*[\w.&])?(?:(?:\s+[-/]\s*|[-/]\s+)[A-ZĐ][\w.&]*)*)?"
)
# A number printed without "Số:" ("09/CĐ-UBND", "2031- CV/ HU"): digits, then a notation in capitals.
_BARE_NUMBER = re.compile(r"\d{1,6}\s*[/-]\s*(?:\d{4}\s*/\s*)?[A-ZĐ][A-ZĐ0-9]*(?:\s*[-/]\s*[A-ZĐ][A-ZĐ0-9]*)*(?!\w)")
# The sending time of a công điện, before its date: "hồi 15h30,", "Vào hồi 16 giờ 30", "lúc 14 giờ".
_TIME_LEAD = re.compile(r"(?:vao\s+)?(?:hoi|luc)\s+\d{1,2}\s*(?:h|gio|:)\s*(?:\d{1,2}\s*(?:phut|p|')?)?[\s,;]*")
_PLACE_TIME = re.compile(r"(?P<place>[^,;:()]{0,60}?)\s*,\s*" + _TIME_LEAD.pattern + r"(?=ngay\b|\d)")
_URGENCY_LEAD = re.compile(r"(?:thuong\s+khan|khan|hoa\s+toc)\b[\s,;-]*")
_PLACE_DATE = re.compile(r"(?P<place>[^,;:()]{0,60}?)\s*,\s*(?=ngay\b)")
_BARE_DATE = re.compile(r"ngay\b")
_DATE_WORDS = re.compile(r"ngay\b.{0,40}?(?:thang|\d\s*[/.-])")
_SUBJECT = re.compile(r"(?:v\s*/\s*v|ve viec)(?![\w/])\s*[:.]?\s*")
_RECIPIENTS = re.compile(r"kinh gui\b\s*[:.]?\s*")
_TELEGRAM = re.compile(r"(?P<who>[^:]{2,150}?)\s+dien\s*(?::|[-–—]+|$)\s*")
# "ĐIỆN:" alone on its line (the sender above it, or none), with or without dashes around it.
_TELEGRAM_ALONE = re.compile(r"[-–—\s]*dien\s*[:\-–—]*\s*$")
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
# Words a subject line cannot end on: the subject goes on after them, even on a line opening with a capital.
_DANGLING = frozenset(
    {"cua", "ve", "va", "cac", "cho", "tai", "voi", "tren", "theo", "thuc", "trien", "khai", "hien", "so", "den",
     "tu", "o", "nam", "giua", "nhung", "dot", "ngay", "thang", "tinh", "huyen", "xa", "phuong", "thi", "tran",
     "quan", "phong", "chong", "ban", "hanh", "doi", "trong", "nhan", "dan", "to", "chuc", "le"}
)  # fmt: skip


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


# How far down the header is searched for when lines above it (a portal's page title, a time stamp) hide it.
_MAX_LINES_ABOVE = 25


def scan_header(lines: Sequence[Line]) -> Header:
    """Find the header (lines above it are skipped) and read its elements, up to the first body line."""
    first = _scan_from(lines, 0)
    if first.number is not None and first.issued_on is not None:
        return first
    starts = [index for index, line in enumerate(lines[:_MAX_LINES_ABOVE]) if line.text and index > 0]
    headers = [first, *(_scan_from(lines, start) for start in starts)]
    # The first start that finds both the number and the date; failing that, the first that finds either.
    for header in headers:
        if header.number is not None and header.issued_on is not None:
            return header
    return next((h for h in headers if h.number is not None or h.issued_on is not None), first)


def _scan_from(lines: Sequence[Line], start: int) -> Header:
    """Read header elements from lines[start], in any order, up to the first line that belongs to the body."""
    state = _State()
    index = start
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
    if not state.number_seen and (number := _NUMBER_LINE.match(folded) or _BARE_NUMBER.match(text)):
        state.issuer_open = False
        state.number_seen = True
        start = number.end() if number.re is _NUMBER_LINE else 0
        _read_after_number(_read_number(text[start:], state), state)
        return index + 1
    if not state.date_seen and _read_place_date(text, state):
        _close_issuer(state)
        return index + 1
    if (lead := _TIME_LEAD.match(folded)) and match_date(folded, lead.end()) is not None:
        return index + 1  # a sending-time line after the date was read: part of the header, not the subject
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
    if state.recipients is None and (match := _telegram(text, folded)):
        state.issuer_open = False
        state.recipients, after = take_list(lines, index, text[match.end() :])
        return after
    if state.title_type is None and (match := _TITLE.match(folded)) and is_caps(text[: match.end("word")]):
        state.issuer_open = False
        state.title_type = _TITLE_TYPES[match["word"]]
        rest = _read_run_on(text[match.end() :], state)
        if state.subject is not None:
            return index + 1
        return _take_subject(lines, index, rest, state, skip_blanks=not rest)
    if state.title_type is None and state.issuer_open and _is_issuer_line(text):
        state.issuer_lines.append(text)
        return index + 1
    return index


def _telegram(text: str, folded: str) -> re.Match[str] | None:
    """Match "CHỦ TỊCH UBND TỈNH ĐIỆN:" or "ĐIỆN:" alone, which open a công điện's recipients."""
    if (match := _TELEGRAM_ALONE.match(folded)) and is_caps(text):
        return match
    if _TITLE.match(folded) and ":" not in text:
        return None  # "CÔNG ĐIỆN" is the title, "CÔNG ĐIỆN HỎA TỐC" too
    if (match := _TELEGRAM.match(folded)) and is_caps(text[: match.end("who")]):
        return match
    return None


def _read_run_on(rest: str, state: _State) -> str:
    """Read urgency, number, sending time and date printed on the title's line; return what is left of it."""
    rest = rest.strip()
    while lead := _URGENCY_LEAD.match(fold_keep(rest)):
        state.add_urgency(urgency_of(rest[: lead.end()]))
        rest = rest[lead.end() :].strip()
    folded = fold_keep(rest)
    if not state.number_seen and (number := _NUMBER_LINE.match(folded) or _BARE_NUMBER.match(rest)):
        state.number_seen = True
        start = number.end() if number.re is _NUMBER_LINE else 0
        return _read_after_number(_read_number(rest[start:], state), state)
    if not state.date_seen and _read_place_date(rest, state):
        return ""
    return rest


def _read_after_number(remainder: str, state: _State) -> str:
    """Read what follows a number on its line (sending time, date, urgency); return what is left."""
    if not remainder:
        return ""
    if not state.date_seen and _read_place_date(remainder, state):
        return ""
    if (level := urgency_of(remainder)) is not None:
        state.add_urgency(level)
        return ""
    return remainder


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
    # "87/CV - UBND" is "87/CV-UBND": spaces inside a notation are typing, not meaning.
    notation = "".join(notation.split()).rstrip("./-&") if notation else None
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
    lead = _TIME_LEAD.match(folded)
    timed = _PLACE_TIME.match(folded)
    if timed is not None and (timed["place"] and not _names_no_place(timed["place"])):
        # "Điện Biên, hồi 14 giờ ngày 20 tháng 5 năm 2024"
        start = timed.end()
        place = squash(text[: timed.end("place")]) or None
    elif lead is not None:
        # "hồi 15h30, ngày …", "Vào hồi 16 giờ 30 ngày 05/9/2020": time words are not a place.
        start = lead.end()
        if not _BARE_DATE.match(folded, start) and match_date(folded, start) is None:
            return False
    elif (match := _PLACE_DATE.match(folded)) and not _names_no_place(match["place"]):
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


def _names_no_place(place: str) -> bool:
    """A "place" holding a number or a title ("THÔNG BÁO 32/TB-UBND Phú Cường") is a one-line header's head."""
    return "/" in place or (_TITLE.match(place) is not None and is_caps(place.split(" ", 1)[0]))


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
    if is_lower_start(text) or (is_caps(text) and is_caps(previous)):
        return not previous.endswith((".", ";", ":")) or is_lower_start(text)
    # A capital after a finished phrase opens the body ("V/v …" then "Ủy ban nhân dân xã đề nghị …");
    # after a word that needs its complement ("… của" / "UBND tỉnh") the subject goes on.
    last = fold_keep(previous.rsplit(" ", 1)[-1]).lower()
    return last in _DANGLING or previous.endswith((",", "-", "–"))


def _is_element(text: str, folded: str) -> bool:
    if _MOTTO.match(folded) or _NUMBER_LINE.match(folded) or _RECIPIENTS.match(folded):
        return True
    if _SUBJECT.match(folded) or urgency_of(text) is not None:
        return True
    if _telegram(text, folded) is not None or _TIME_LEAD.match(folded):
        return True
    if _BARE_NUMBER.match(text):
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
        elif items and not bulleted and not rest and _plain_item(lines[after]) and _item_goes_on(items[-1], text):
            items.append(text)
        else:
            break
        after += 1
    cleaned = [strip_item(item) for item in items]
    return [squash(item) for item in cleaned if item], after


def _item_goes_on(previous: str, text: str) -> bool:
    """Recipients written one a line without bullets: after a ";", or short lines while none ends with "."."""
    return previous.endswith(";") or (len(text) <= 100 and not previous.endswith((".", ":")))


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
