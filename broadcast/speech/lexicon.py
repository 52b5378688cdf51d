"""The abbreviation lexicon: how written forms (UBND, km, email) are read aloud, kept as TSV data.

Format, one entry a line: ``written<TAB>spoken[<TAB>kind]``; blank lines and lines starting with "#"
are ignored. A written form with a capital letter matches exactly (UBND, CA, TP.); an all-lower-case
one matches in any case (email, Email, EMAIL). kind is ``abbr`` (the default: abbreviations and
loanwords), ``doctype`` (a document type code such as NĐ or KH, also read as an abbreviation) or
``unit`` (read only after a number, so "m" and "ha" stay untouched elsewhere), or a context rule
``before=COND|COND…``: the spoken form is used only when what follows the written form meets one of the
conditions, tried in file order before the plain entry: ``number`` (a digit follows), ``name`` (a
capitalised word follows, as a person's or place's name), or a word or phrase that follows (any case).
``đ/c<TAB>địa chỉ<TAB>before=number|số|thôn`` and ``đ/c<TAB>đồng chí<TAB>before=name`` read "đ/c"
by context; the built-in rules are in data/context.tsv.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from broadcast.errors import SpeechError
from broadcast.text import nfc

KINDS = ("abbr", "doctype", "unit")
CONTEXT_KIND = "before="
_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True)
class Entry:
    """One line of a lexicon file."""

    written: str
    spoken: str
    kind: str = "abbr"


@dataclass(frozen=True)
class ContextRule:
    """Say spoken for a written form when what follows it meets one of conditions ("number", "name", words)."""

    conditions: tuple[str, ...]
    spoken: str


def _freeze(mapping: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(mapping)


@dataclass(frozen=True)
class Lexicon:
    """Written → spoken forms, split by how they are matched; build it with `Lexicon.of` or `load_lexicon`."""

    exact: Mapping[str, str] = field(default_factory=lambda: _freeze({}))
    folded: Mapping[str, str] = field(default_factory=lambda: _freeze({}))
    units: Mapping[str, str] = field(default_factory=lambda: _freeze({}))
    folded_units: Mapping[str, str] = field(default_factory=lambda: _freeze({}))
    doctypes: Mapping[str, str] = field(default_factory=lambda: _freeze({}))
    contexts: Mapping[str, tuple[ContextRule, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Lexicon:
        """Build a lexicon; a later entry with the same written form and kind replaces an earlier one.

        Context rules keep their order; a user's new rule for a form is tried after the built-in ones.
        """
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        units: dict[str, str] = {}
        folded_units: dict[str, str] = {}
        doctypes: dict[str, str] = {}
        contexts: dict[str, dict[str, ContextRule]] = {}
        for entry in entries:
            lower = entry.written == entry.written.lower()
            if entry.kind.startswith(CONTEXT_KIND):  # same written form and conditions: replaced in place
                rule = ContextRule(tuple(entry.kind.removeprefix(CONTEXT_KIND).split("|")), entry.spoken)
                contexts.setdefault(entry.written, {})[entry.kind] = rule
                continue
            if entry.kind == "unit":
                (folded_units if lower else units)[entry.written] = entry.spoken
                continue
            (folded if lower else exact)[entry.written] = entry.spoken
            if entry.kind == "doctype":
                doctypes[entry.written] = entry.spoken
        return cls(
            exact=_freeze(exact),
            folded=_freeze(folded),
            units=_freeze(units),
            folded_units=_freeze(folded_units),
            doctypes=_freeze(doctypes),
            contexts=MappingProxyType({written: tuple(rules.values()) for written, rules in contexts.items()}),
        )

    def lookup(self, written: str) -> str | None:
        """Spoken form of an abbreviation or loanword, or None."""
        found = self.exact.get(written)
        return found if found is not None else self.folded.get(written.lower())

    def unit(self, written: str) -> str | None:
        """Spoken form of a unit written after a number, or None."""
        found = self.units.get(written)
        return found if found is not None else self.folded_units.get(written.lower())

    def context_rules(self, written: str) -> tuple[ContextRule, ...]:
        """The context rules of a written form, in file order (a lower-case form matches any case)."""
        found = self.contexts.get(written)
        return found if found is not None else self.contexts.get(written.lower(), ())

    @cached_property
    def context_pattern(self) -> re.Pattern[str] | None:
        """A pattern finding every written form that has context rules, or None when there is none."""
        if not self.contexts:
            return None
        forms = []
        for written in sorted(self.contexts, key=lambda s: (-len(s), s)):
            form = re.escape(written)
            if written == written.lower():
                form = f"(?i:{form})"
            forms.append(form if written.endswith(".") else form + r"(?![\w/-])")
        return re.compile(r"(?<![\w./-])(?:" + "|".join(forms) + ")")

    def unit_forms(self) -> list[str]:
        """Every written unit, longest first, for building a matching pattern."""
        return sorted({*self.units, *self.folded_units}, key=lambda s: (-len(s), s))


def parse_lexicon(text: str, source: str = "lexicon") -> list[Entry]:
    """Parse TSV lexicon text; a malformed line raises SpeechError naming the source and line."""
    entries: list[Entry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = nfc(raw.strip("\r\n\ufeff"))
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        where = f"{source} line {number}"
        if len(fields) not in (2, 3) or not fields[0] or not fields[1]:
            raise SpeechError(f"{where}: expected 'written<TAB>spoken[<TAB>kind]', got {raw.strip()!r}")
        kind = fields[2] if len(fields) == 3 and fields[2] else "abbr"
        if kind.startswith(CONTEXT_KIND):
            conditions = [c.strip() for c in kind.removeprefix(CONTEXT_KIND).split("|")]
            if not all(conditions):
                raise SpeechError(f"{where}: write the context as before=number|name|word|…, not {kind!r}")
            kind = CONTEXT_KIND + "|".join(conditions)
        elif kind not in KINDS:
            raise SpeechError(f"{where}: kind must be one of {', '.join(KINDS)} or before=…, not {kind!r}")
        if " " in fields[0]:
            raise SpeechError(f"{where}: the written form must be one word, not {fields[0]!r}")
        if _DIGIT.search(fields[1]):
            raise SpeechError(f"{where}: write numbers in words in the spoken form {fields[1]!r}")
        entries.append(Entry(fields[0], " ".join(fields[1].split()), kind))
    return entries


def builtin_entries() -> list[Entry]:
    """Entries of the lexicon shipped in the package: data/lexicon.tsv, then its context rules data/context.tsv."""
    data = resources.files("broadcast.speech").joinpath("data")
    entries: list[Entry] = []
    for name in ("lexicon.tsv", "context.tsv"):
        entries += parse_lexicon(data.joinpath(name).read_text(encoding="utf-8"), f"built-in {name}")
    return entries


def load_lexicon(extra: Path | None = None) -> Lexicon:
    """The built-in lexicon, with the entries of a user TSV file (same format) merged over it."""
    entries = builtin_entries()
    if extra is not None:
        try:
            text = extra.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise SpeechError(f"cannot read lexicon file {extra}: {exc}") from exc
        entries += parse_lexicon(text, str(extra))
    return Lexicon.of(entries)
