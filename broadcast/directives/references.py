"""Other documents cited in a directive: "Công điện số 01/CĐ-UBND ngày 19/02/2022 của UBND tỉnh"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from broadcast.directives.dates import match_date
from broadcast.directives.record import Reference
from broadcast.directives.textutil import fold_keep
from broadcast.text import fold

# "01/CĐ-UBND", "33-KH/BCĐ", "30/2020/NĐ-CP": a number, then a notation that starts with a capital letter.
# Party documents and pastes put spaces around the separators ("2031- CV/ HU", "87/CV - UBND"); a part after a
# spaced separator is in capitals. The notation never runs into a word ("1- Tuyên truyền" is a list item).
_NUMBER = re.compile(
    r"(?<![\w/.-])(?P<digits>\d{1,5})\s?(?P<sep>[/-])(?P<gap>\s?)(?:(?P<year>\d{4})\s?/\s?)?"
    r"(?P<notation>[A-ZĐ][A-Za-zĐđ0-9]*(?:(?:[-/.&]|(?:\s[-/]\s?|[-/]\s)(?=[A-ZĐ][A-ZĐ0-9]*(?!\w)))[A-Za-zĐđ0-9]+)*)"
    r"(?![^\W\d_])"
)
# The kind of document named just before the number, folded ("Công điện số", "Thông tư").
_KINDS: tuple[tuple[str, str], ...] = (
    ("cong dien", "cong_dien"),
    ("cong van", "cong_van"),
    ("ke hoach", "ke_hoach"),
    ("nghi quyet", "nghi_quyet"),
    ("nghi dinh", "nghi_dinh"),
    ("quyet dinh", "quyet_dinh"),
    ("chi thi", "chi_thi"),
    ("thong tu lien tich", "thong_tu_lien_tich"),
    ("thong tu", "thong_tu"),
    ("thong bao", "thong_bao"),
    ("huong dan", "huong_dan"),
    ("bao cao", "bao_cao"),
    ("ket luan", "ket_luan"),
    ("quy dinh", "quy_dinh"),
    ("to trinh", "to_trinh"),
    ("thong tri", "thong_tri"),
    ("chuong trinh", "chuong_trinh"),
    ("luat", "luat"),
    ("phap lenh", "phap_lenh"),
)
_KIND_BEFORE = re.compile(r"(?P<kind>" + "|".join(word for word, _ in _KINDS) + r")(?:\s+so)?\s*:?\s*$")
_KIND_NAMES = dict(_KINDS)
# Type codes inside a notation, folded and upper-cased ("CĐ-UBND" → CD); a notation without one is a công văn.
_CODES = {
    "CD": "cong_dien",
    "KH": "ke_hoach",
    "TB": "thong_bao",
    "QD": "quyet_dinh",
    "CT": "chi_thi",
    "HD": "huong_dan",
    "BC": "bao_cao",
    "NQ": "nghi_quyet",
    "ND": "nghi_dinh",
    "TT": "thong_tu",
    "TTLT": "thong_tu_lien_tich",
    "KL": "ket_luan",
    "TTR": "to_trinh",
    "CTR": "chuong_trinh",
}
_LAW = re.compile(r"QH\d*")
_DATE_LEAD = re.compile(r"\s*,?\s*(?:ban hanh\s+)?(?=ngay\b)")
_ISSUER_LEAD = re.compile(r"\s*,?\s*cua\s+")
# Where the name of the issuer ends: words that start what the cited document is about (case matters:
# "Truyền thông" inside a body's name is capitalised, "truyền thông" after it is not).
_ISSUER_STOP = re.compile(
    r"[;(\n:“\"”]|(?<![A-ZĐ])\.|\s(?:về|thực hiện|truyền thông|tăng cường|đẩy mạnh"
    r"|tuyên truyền|quy định|gửi|đã|có|trong|đối với|nhằm|để|tại|kèm|và các|năm|v/v|V/v|phê duyệt"
    r"|và (?:Công|Kế|Quyết|Thông|Chỉ|Nghị|Hướng|Luật)"
    r"|(?P<verb>đề nghị|kính đề nghị|yêu cầu|thông báo|chỉ đạo|trân trọng|ban hành|hướng dẫn|triển khai"
    r"|xây dựng))(?!\w)"
)
_COMMA = re.compile(r",\s*(?P<next>\S+)")
_LOOK_BEHIND = 40
_LOOK_AHEAD = 160
_MAX_ISSUER_WORDS = 14


def reference_key(number: str) -> str:
    """Fold a document number so "01/CD-UBND" and "01/CĐ-UBND" compare equal."""
    return fold("".join(number.split())).upper()


def notation_kind(notation: str) -> str | None:
    """Return the document kind a notation's type code names ("CĐ-UBND" → "cong_dien"), or None."""
    code = reference_key(re.split(r"[-/]", notation, maxsplit=1)[0])
    return _CODES.get(code)


def find_references(texts: Iterable[str], own_number: str | None) -> tuple[Reference, ...]:
    """Return every other document cited in texts, once each, in order of first mention."""
    own = reference_key(own_number) if own_number else None
    found: dict[str, Reference] = {}
    for text in texts:
        folded = fold_keep(text)
        for match in _NUMBER.finditer(text):
            if match["sep"] == "-" and match["gap"] and "/" not in match["notation"]:
                continue  # "1- UBND xã …" opens a list item; a party number has its "/": "2031- CV/HU"
            number = "".join(match.group().split())
            key = reference_key(number)
            if key == own:
                continue
            reference = _read_reference(text, folded, match, number)
            known = found.get(key)
            found[key] = reference if known is None else _merge(known, reference)
    return tuple(found.values())


def _read_reference(text: str, folded: str, match: re.Match[str], number: str) -> Reference:
    before = _KIND_BEFORE.search(folded, max(0, match.start() - _LOOK_BEHIND), match.start())
    if before is not None:
        kind: str | None = _KIND_NAMES[before["kind"]]
    elif _LAW.fullmatch(match["notation"]):
        kind = "luat"
    else:
        kind = notation_kind(match["notation"]) or "cong_van"
    position = match.end()
    issued_on = None
    if lead := _DATE_LEAD.match(folded, position, position + _LOOK_AHEAD):
        date = match_date(folded, lead.end(), lead.end() + _LOOK_AHEAD)
        if date is not None:
            issued_on, position = date.iso, date.end
    issuer = None
    if lead := _ISSUER_LEAD.match(folded, position, position + _LOOK_AHEAD):
        issuer = _issuer(text[lead.end() : lead.end() + _LOOK_AHEAD])
    return Reference(number=number, kind=kind, issued_on=issued_on, issuer=issuer)


def _issuer(window: str) -> str | None:
    """Cut the issuer's name out of the text that follows "của"."""
    stop = _ISSUER_STOP.search(window)
    name = window[: stop.start()] if stop else window
    if stop is not None and stop["verb"] and "," in name:
        # "của UBND tỉnh, Sở Y tế đề nghị": after the last comma begins the sentence's own subject.
        name = name.rsplit(",", 1)[0]
    elif stop is not None and stop.group() == "\n" and "," in name:
        # A wrapped line: the sentence goes on below ("… huyện Hương Sơn, Trung tâm Văn hóa\n- Thể thao xây dựng
        # …"); when a verb follows in it, the sentence's own subject begins after the last comma here too.
        further = _ISSUER_STOP.search(window.replace("\n", " "), stop.start())
        if further is not None and further["verb"]:
            name = name.rsplit(",", 1)[0]
    for comma in _COMMA.finditer(name):
        following = comma["next"]
        # "phòng, chống" is one phrase, and a capital after a comma names a further part of the body.
        if not (following[:1].isupper() or fold(following).startswith("chong")):
            name = name[: comma.start()]
            break
    words = name.split()[:_MAX_ISSUER_WORDS]
    return " ".join(words).strip(" ,.-") or None


def _merge(known: Reference, new: Reference) -> Reference:
    return Reference(
        number=known.number,
        kind=known.kind or new.kind,
        issued_on=known.issued_on or new.issued_on,
        # "của Huyện ủy" in the subject, "của Huyện ủy Nậm Nhùn" in the body: the fuller name wins.
        issuer=new.issuer
        if known.issuer and new.issuer and new.issuer.startswith(known.issuer)
        else known.issuer or new.issuer,
    )
