"""Document numbers ("Công văn số 184/UBND-KGVX", "Nghị định 137/2020/NĐ-CP") and web or mail addresses.

A document number is read the way an announcer says it: the number as a number, the year as "năm …",
the issuing bodies after "của" (expanded by the lexicon, else spelled), and the document type code
dropped when the text has just named the type, otherwise said before "số":
"Nghị định 137/2020/NĐ-CP" → "Nghị định một trăm ba mươi bảy năm hai nghìn không trăm hai mươi của Chính phủ".

An address is read as its host name only, labels joined by "chấm" (scheme, "www" and path dropped:
nobody copies a path from a loudspeaker); a mail address as "<name> a còng <host>".
"""

from __future__ import annotations

import re

from broadcast.speech.lexicon import Lexicon
from broadcast.speech.normalize_words import speak_part
from broadcast.speech.numbers import speak_digits, speak_number
from broadcast.text import fold

# A code: capitals, possibly with single lower-case letters (TTg, QyĐ, TTr) and a number (QH14).
_CODE = r"[A-ZĐ](?:[A-ZĐ&]|[a-zđ](?![a-zđ]))*[0-9]*"
_DOCUMENT = re.compile(
    r"(?<![\w/.-])"
    r"(?:(?P<num>[0-9]{1,5})(?:/(?P<year>[12][0-9]{3}))?[/-]|/)"
    rf"(?P<codes>{_CODE}(?:[/-]{_CODE})*)(?![\w-])"
)
_SO_BEFORE = re.compile(r"(?i:số) *:? *$")
_OF_AFTER = re.compile(r"[^,;.:!?\n]{0,24}?(?<![\w])(?i:của)(?![\w])")
_CODE_PARTS = re.compile(r"([A-ZĐa-zđ&]+)([0-9]*)")

_URL = re.compile(
    r"<?(?:(?:https?|ftp)://|www\.)[^\s<>()\"]*[^\s<>()\".,;:!?'>]>?"
    r"|(?<![\w@.])(?:[a-z0-9-]+\.)+(?:vn|com|net|org|gov|edu|info)(?![\w.])(?:/[^\s<>()\"]*[^\s<>()\".,;:!?'])?"
)
_EMAIL = re.compile(r"(?<![\w.])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN_WORDS = {
    "vn": "vê en",
    "gov": "gốp",
    "com": "com",
    "net": "nét",
    "org": "o rờ gờ",
    "edu": "e đu",
    "info": "in phô",
}
_LABEL_PARTS = re.compile(r"[0-9]+|[^\W\d_]+")


def _speak_code(code: str, lexicon: Lexicon) -> str:
    """One code of a document number: "UBND" → "Ủy ban nhân dân", "QH14" → "Quốc hội khóa mười bốn"."""
    found = lexicon.lookup(code)
    if found is not None:
        return found
    match = _CODE_PARTS.fullmatch(code)
    if match is None:
        return speak_part(code, lexicon)
    letters, number = match.groups()
    spoken = " và ".join(speak_part(p, lexicon) for p in letters.split("&") if p)
    if number:
        spoken += (" khóa " if letters == "QH" else " ") + speak_number(int(number))
    return spoken


def _document(match: re.Match[str], lexicon: Lexicon) -> str:
    before = match.string[max(0, match.start() - 40) : match.start()]
    said_so = _SO_BEFORE.search(before) is not None
    num = match["num"]
    if num is None and not said_so:
        return match.group(0)
    codes = re.split(r"[/-]", match["codes"])
    if len(codes) == 1 and len(codes[0]) < 2:
        return match.group(0)
    doctype = lexicon.doctypes.get(codes[0])
    if doctype is not None:
        codes = codes[1:]
    words: list[str] = []
    if doctype is not None and fold(doctype) not in fold(before[-30:]) and not said_so:
        words += [doctype, "số"]
    elif doctype is None and not said_so and num is not None:
        words.append("số")
    if num is not None:
        words.append(speak_number(int(num)))
    else:
        words.append("ký hiệu")
    if match["year"]:
        words += ["năm", speak_number(int(match["year"]))]
    issuers = [_speak_code(code, lexicon) for code in codes if code]
    if issuers and num is not None and _OF_AFTER.match(match.string, match.end()):
        issuers = []  # the text names the issuer itself: "184/UBND-KGVX ngày 19/02/2022 của UBND tỉnh"
    if issuers:
        words.append(("của " if num is not None else "") + ", ".join(issuers))
    return " ".join(words)


def normalize_documents(text: str, lexicon: Lexicon) -> str:
    """Read document numbers and notations (see the module docstring)."""
    if "/" not in text and "-" not in text:
        return text
    return _DOCUMENT.sub(lambda m: _document(m, lexicon), text)


def _speak_label(label: str, lexicon: Lexicon) -> str:
    known = _DOMAIN_WORDS.get(label.lower())
    if known is not None:
        return known
    return " ".join(
        speak_digits(part) if "0" <= part[0] <= "9" else speak_part(part.lower(), lexicon)
        for part in _LABEL_PARTS.findall(label)
    )


def speak_host(host: str, lexicon: Lexicon) -> str:
    """A host name, label by label: "sttt.langson.gov.vn" → "ét tê tê tê chấm lang son chấm gốp chấm vê en"."""
    labels = [label for label in host.split(".") if label]
    return " chấm ".join(_speak_label(label, lexicon) for label in labels)


def _url(match: re.Match[str], lexicon: Lexicon) -> str:
    address = match.group(0).strip("<>")
    address = re.sub(r"^[a-z]+://", "", address, flags=re.IGNORECASE)
    host = re.split(r"[/:?#]", address, maxsplit=1)[0]
    host = re.sub(r"^www\.", "", host, flags=re.IGNORECASE)
    return speak_host(host, lexicon)


def _email(match: re.Match[str], lexicon: Lexicon) -> str:
    name, host = match.group(0).rsplit("@", 1)
    spoken_name = " chấm ".join(_speak_label(part, lexicon) for part in re.split(r"[._+-]", name) if part)
    return f"{spoken_name} a còng {speak_host(host, lexicon)}"


def normalize_addresses(text: str, lexicon: Lexicon) -> str:
    """Read web and mail addresses (see the module docstring)."""
    if "." not in text:
        return text
    if "@" in text:
        text = _EMAIL.sub(lambda m: _email(m, lexicon), text)
    return _URL.sub(lambda m: _url(m, lexicon), text)
