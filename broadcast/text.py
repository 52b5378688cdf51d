"""Small text helpers shared by every layer: NFC and diacritic-free folding for matching."""

from __future__ import annotations

import unicodedata


def nfc(text: str) -> str:
    """Return text in Unicode NFC, the one form stored and printed everywhere."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case text without diacritics or extra spaces, for matching what people type ("lang son")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
