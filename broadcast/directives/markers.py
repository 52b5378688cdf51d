"""List and heading markers that open a line: "I.", "1.", "1.2.", "Điều 3.", "a)", "-", "+"."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Kinds that open a titled part; the others are list items whose line is their text.
HEADING_KINDS = frozenset({"roman", "number", "article", "part", "bold"})

_ROMAN = re.compile(r"(?P<label>(?P<num>[IVX]{1,6})[.)])\s*(?=[^\s\d./)-])")
_VALID_ROMAN = re.compile(r"X{0,3}(?:IX|IV|V?I{0,3})")
_DEEP_NUMBER = re.compile(r"(?P<label>\d{1,2}(?:\.\d{1,2}){1,3}\.?)\s+(?=\S)")
_NUMBER = re.compile(r"(?P<label>\d{1,2}[.)])\s*(?=[^\s\d./)-])")
# "1- Tuyên truyền …": a numbered item with a dash, as district and party documents write them; not "2031- CV/HU".
_NUMBER_DASH = re.compile(r"(?P<label>\d{1,2})\s?-\s+(?=[^\W\d_])(?![A-ZĐ]{1,8}\s?/)")
_ARTICLE = re.compile(r"(?P<label>(?:Điều|ĐIỀU)\s+\d{1,3})\s*[.:]?\s*", re.IGNORECASE)
_PART = re.compile(r"(?P<label>(?:Phần|Mục|Chương)\s+(?:[IVX]{1,6}|\d{1,2}))(?:\s*[.:]\s*|\s+|$)", re.IGNORECASE)
_LETTER = re.compile(r"(?P<label>[a-zđ]\)|[a-zđ]\.(?=\s))\s*(?=\S)")
_DASH = re.compile(r"[-–—•·▪◦‐‑*](?![-–—•·▪◦‐‑*\d])\s*(?=\S)")
_PLUS = re.compile(r"\+\s*(?=\S)")


@dataclass(frozen=True)
class Marker:
    """What opens a line: its kind, the label as printed (normalised) and the text after it."""

    kind: str
    label: str
    rest: str


def classify(text: str) -> Marker | None:
    """Return the marker that opens text, or None for a plain line."""
    if not text:
        return None
    first = text[0]
    if first in "IVX" and (match := _ROMAN.match(text)) and _VALID_ROMAN.fullmatch(match["num"]):
        return Marker("roman", match["label"], text[match.end() :])
    if first.isdigit():
        if match := _DEEP_NUMBER.match(text):
            depth = match["label"].rstrip(".").count(".") + 1
            return Marker(f"number.{depth}", match["label"], text[match.end() :])
        if match := _NUMBER.match(text):
            return Marker("number", match["label"], text[match.end() :])
        if match := _NUMBER_DASH.match(text):
            return Marker("number", f"{match['label']}.", text[match.end() :])
        return None
    if match := _ARTICLE.match(text):
        return Marker("article", " ".join(match["label"].split()), text[match.end() :])
    if match := _PART.match(text):
        return Marker("part", " ".join(match["label"].split()), text[match.end() :])
    if match := _LETTER.match(text):
        return Marker("letter", match["label"], text[match.end() :])
    if match := _DASH.match(text):
        return Marker("dash", "-", text[match.end() :])
    if match := _PLUS.match(text):
        return Marker("plus", "+", text[match.end() :])
    return None


def is_item_start(text: str) -> bool:
    """True when text opens with a dash or plus bullet, as list entries in "Kính gửi" and "Nơi nhận" do."""
    marker = classify(text)
    return marker is not None and marker.kind in ("dash", "plus")


def strip_item(text: str) -> str:
    """Remove a leading bullet and the trailing ";" "." "," of one list entry."""
    marker = classify(text)
    body = marker.rest if marker is not None and marker.kind in ("dash", "plus") else text
    body = body.strip()
    if body.endswith("./."):
        body = body[:-3]
    return body.rstrip(" ;.,").strip()
