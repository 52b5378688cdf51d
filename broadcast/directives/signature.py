"""The end of a document: the "Nơi nhận" list and the signature block, in either order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from broadcast.directives.casing import sentence_case, title_case
from broadcast.directives.layout import Line
from broadcast.directives.markers import classify, is_item_start, strip_item
from broadcast.directives.record import Signer
from broadcast.directives.textutil import fold_keep, is_caps, is_lower_start, squash
from broadcast.text import fold

_RECEIVERS = re.compile(r"noi nhan\b\s*[:.]?\s*")
# OCR often loses the dot after the prefix ("TM ỦY BAN NHÂN DÂN"); without it the prefix is in capitals.
_AUTHORITY = re.compile(
    r"(?P<prefix>(?i:TUQ\.|TM\.|KT\.|TL\.|Q\.|T/M\b|K/T\b|T/L\b)|(?:TUQ|TM|KT|TL)(?=\s+[^\W\d_]{2}))\s*(?P<rest>.*)"
)
_NOTE = re.compile(r"[(\[].{0,80}[)\]]|(?:da ky|ky ten|ky thay|ky so)\b.{0,40}")
_DEPUTY = re.compile(r"\s(?=(?:PHÓ|Phó)\s)")
# Words that make a line a position rather than a person's name.
_POSITION = re.compile(
    r"(?<!\w)(?:phó|giám đốc|chủ tịch|trưởng|bí thư|chánh|ủy viên|uỷ viên|tổng|thư ký|chỉ huy|thủ tướng"
    r"|chính ủy|chính uỷ|chủ nhiệm|chủ trì)(?!\w)"
)
_MAX_TITLE = 80
_MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class Tail:
    """The signer, the copy-to list and the index where the tail begins (the body ends)."""

    signer: Signer | None
    cc: tuple[str, ...]
    start: int


def scan_tail(lines: Sequence[Line], start: int) -> Tail:
    """Find "Nơi nhận" and the signature block after start; the body lies between start and Tail.start."""
    receivers = None
    for index in range(len(lines) - 1, start - 1, -1):
        if _RECEIVERS.match(fold_keep(lines[index].text)):
            receivers = index
            break
    cc: list[str] = []
    after: list[str] = []
    limit = len(lines)
    if receivers is not None:
        match = _RECEIVERS.match(fold_keep(lines[receivers].text))
        rest = lines[receivers].text[match.end() :] if match else ""
        cc, cc_end = _take_cc(lines, receivers, rest)
        after = [line.text for line in lines[cc_end:] if line.text and signature_kind(line.text)]
        limit = receivers
    top = limit
    while top > start and (not lines[top - 1].text or signature_kind(lines[top - 1].text)):
        top -= 1
    before = [line.text for line in lines[top:limit] if line.text]
    return Tail(signer=_signer([_expand_line(text) for text in [*before, *after]]), cc=tuple(cc), start=top)


def _expand_line(text: str) -> str:
    """Expand a short title and mend a misread one, on its own line or after the authority's prefix."""
    if match := _AUTHORITY.match(text):
        rest = match["rest"].strip()
        return f"{match['prefix']} {mend_title(expand_title(rest))}" if rest else text
    if len(text) > _MAX_TITLE or _is_name(text):
        return text
    return mend_title(expand_title(text))


# Titles written short in signature blocks, folded and without spaces or dots, and how they read in full.
SHORT_TITLES: dict[str, str] = {
    "PCT": "PHÓ CHỦ TỊCH",
    "CT": "CHỦ TỊCH",
    "PGD": "PHÓ GIÁM ĐỐC",
    "GD": "GIÁM ĐỐC",
    "PTB": "PHÓ TRƯỞNG BAN",
    "TB": "TRƯỞNG BAN",
    "PTP": "PHÓ TRƯỞNG PHÒNG",
    "TP": "TRƯỞNG PHÒNG",
    "PBT": "PHÓ BÍ THƯ",
    "BT": "BÍ THƯ",
    "PCHT": "PHÓ CHỈ HUY TRƯỞNG",
    "CHT": "CHỈ HUY TRƯỞNG",
}
_SHORT_DEPUTY = re.compile(r"P\s*\.\s*(?=\w)|PHÓ\.\s*")


# Titles and bodies a signature block names, to mend what a scan misread ("PHÓ CHỦ 7T!CH", "ỦY BAN NiIÂN DÂN").
KNOWN_TITLES: tuple[str, ...] = (
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN",
    "BÍ THƯ",
    "PHÓ BÍ THƯ",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG",
    "CHỈ HUY TRƯỞNG",
    "ỦY BAN NHÂN DÂN",
    "BAN THƯỜNG VỤ",
    "BAN CHỈ HUY",
    "BAN CHỈ ĐẠO",
)
_KNOWN_FOLDED = {fold(title).upper(): title for title in KNOWN_TITLES}
_MIN_LIKENESS = 0.85


def mend_title(text: str) -> str:
    """Return the known title a misread capital line stands for, or text unchanged when none is close enough."""
    folded = fold(text).upper()
    if folded in _KNOWN_FOLDED or not text.strip() or len(text) > 2 * max(map(len, _KNOWN_FOLDED)):
        return text
    # A deputy stays a deputy: only titles that agree on "PHÓ" are candidates.
    deputy = folded.startswith("PHO ")
    candidates = [known for known in _KNOWN_FOLDED if known.startswith("PHO ") == deputy]
    best = max(candidates, key=lambda known: SequenceMatcher(None, folded, known).ratio())
    return _KNOWN_FOLDED[best] if SequenceMatcher(None, folded, best).ratio() >= _MIN_LIKENESS else text


def expand_title(text: str) -> str:
    """Write a short title in full: "PCT" and "P.CHỦ TỊCH" → "PHÓ CHỦ TỊCH", "PGĐ" → "PHÓ GIÁM ĐỐC"."""
    key = fold("".join(text.split()).rstrip(".")).upper()
    if key in SHORT_TITLES:
        return SHORT_TITLES[key]
    if deputy := _SHORT_DEPUTY.match(text):
        rest = text[deputy.end() :]
        return f"PHÓ {expand_title(rest)}" if rest.isupper() else f"Phó {rest}"
    return text


def signature_kind(text: str) -> str | None:
    """Say what a line of a signature block is: "authority", "note", "name", "title", or None."""
    if classify(text) is not None and not _AUTHORITY.match(text):
        return None
    if _AUTHORITY.match(text):
        return "authority"
    if _NOTE.fullmatch(fold_keep(text)):
        return "note"
    if _is_name(text):
        return "name"
    if text.endswith((";", ".", ",")) or len(text) > _MAX_TITLE:
        return None
    if is_caps(text) or _POSITION.search(text.lower()):
        return "title"
    return None


# Military and police ranks printed before the name of a commander ("Thượng tá Hồ Văn Thành").
_RANK = re.compile(r"(?:Đại|Thượng|Trung|Thiếu)\s+(?:tướng|tá|úy|uý)\s+(?=\S)", re.IGNORECASE)


def _is_name(text: str) -> bool:
    words = _RANK.sub("", text, count=1).split()
    return 2 <= len(words) <= _MAX_NAME_WORDS and all(_is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    head, tail = word[0], word[1:]
    return head.isalpha() and head.isupper() and (not tail or (tail.isalpha() and tail.islower()))


def _take_cc(lines: Sequence[Line], index: int, rest: str) -> tuple[list[str], int]:
    """Collect the "Nơi nhận" entries, with or without bullets; stop at the signature block."""
    items = [rest] if rest.strip() else []
    after = index + 1
    while after < len(lines):
        text = lines[after].text
        if not text:
            ahead = after
            while ahead < len(lines) and not lines[ahead].text:
                ahead += 1
            if ahead < len(lines) and _is_cc_entry(lines[ahead].text):
                after = ahead
                continue
            break
        if items and _continues_entry(items[-1], text):
            items[-1] = f"{items[-1]} {text}"
        elif _is_cc_entry(text):
            items.append(text)
        else:
            break
        after += 1
    cleaned = [squash(strip_item(item)) for item in items]
    return [item for item in cleaned if item], after


def _continues_entry(previous: str, text: str) -> bool:
    """An entry broken over lines: the next line has no bullet and the entry has no closing ";" or "."."""
    if is_item_start(text) or classify(text) is not None or previous.rstrip().endswith((";", ".", ":")):
        return False
    return is_lower_start(text) or signature_kind(text) is None


def _is_cc_entry(text: str) -> bool:
    if is_item_start(text):
        return True
    return text.endswith((";", ".", "./.")) and len(text) <= 120 and signature_kind(text) is None


def _group_titles(lines: list[str]) -> list[str]:
    """Join a title broken over lines; a line that opens with a position word starts another title."""
    groups: list[str] = []
    for line in lines:
        if groups and not _POSITION.match(line.lower()):
            groups[-1] = f"{groups[-1]} {line}"
        else:
            groups.append(line)
    return groups


def _signer(texts: list[str]) -> Signer | None:
    authorities: list[str] = []
    titles: list[str] = []
    names: list[str] = []
    for text in texts:
        kind = signature_kind(text)
        if kind == "authority" and (match := _AUTHORITY.match(text)):
            prefix = match["prefix"].replace("/", "").replace(".", "").upper() + "."
            rest = squash(match["rest"])
            deputy = _DEPUTY.search(rest)
            if deputy is not None:
                rest, own = rest[: deputy.start()], rest[deputy.end() :]
                titles.append(own)
            authorities.append(f"{prefix} {sentence_case(rest)}".strip())
        elif kind == "name":
            names.append(_RANK.sub("", text, count=1))
        elif kind == "title":
            titles.append(text)
    name = names[-1] if names else None
    # A name printed in capitals looks like a title line; it is the last capital line that names no position.
    if name is None and titles and (len(titles) >= 2 or authorities) and not _POSITION.search(titles[-1].lower()):
        name = title_case(titles.pop())
    title = ", ".join(sentence_case(group) for group in _group_titles(titles)) or None
    authority = "; ".join(authorities) or None
    if name is None and title is None and authority is None:
        return None
    return Signer(name=squash(name) if name else None, title=title, authority=authority)
