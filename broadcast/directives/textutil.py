"""Character-level helpers for the directive parser: folding that keeps string positions, capital checks."""

from __future__ import annotations

from functools import lru_cache

from broadcast.text import fold


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    folded = fold(char)
    # Keep the position map exact: a character that folds to nothing or to several letters stays as it is.
    return folded if len(folded) == 1 else char


def fold_keep(text: str) -> str:
    """Fold text like `broadcast.text.fold` but character by character, so indices match the original."""
    return "".join(_fold_char(char) for char in text)


def is_caps(text: str) -> bool:
    """True when text has at least two letters and every letter is a capital."""
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def is_lower_start(text: str) -> bool:
    """True when the first letter or digit of text is a lower-case letter or a digit."""
    for char in text:
        if char.isalnum():
            return char.isdigit() or char.islower()
    return False


def squash(text: str) -> str:
    """Collapse runs of whitespace into one space and trim the ends."""
    return " ".join(text.split())
