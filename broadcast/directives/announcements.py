"""Announcement rules as data: words for offices rewritten as words for listeners, and what never goes on air.

The rules live in TSV (data/announcements.tsv, extended by the user's file named by the `announcements` setting):
``pattern<TAB>action`` a line, where a pattern is a regular expression matched without regard to case and the
action is a replacement for a sentence's opening or one of @office-title, @office-text, @drop, @drop-list,
@drop-sentence.
``@name<TAB>alternatives`` defines a word list written {name} in later patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from broadcast.errors import ConfigError
from broadcast.text import nfc

ACTIONS = ("@office-title", "@office-text", "@drop", "@drop-list", "@drop-sentence")
_MACRO = re.compile(r"\{(\w+)\}")
# A line naming an office this short is an addressee, not a sentence about the situation.
_ADDRESSEE = 90
# A sentence ends at ".", "!" or "?" followed by a space; "./." and "…" stay inside the text they end.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=\S)")


@dataclass(frozen=True)
class Rule:
    """One line of a rules file: a compiled pattern and what to do where it matches."""

    pattern: re.Pattern[str]
    action: str
    source: str


@dataclass(frozen=True)
class AnnouncementRules:
    """Rewrites for sentence openings, office markers for titles and texts, and lines kept off the air."""

    rewrites: tuple[Rule, ...] = ()
    office_titles: tuple[Rule, ...] = ()
    office_texts: tuple[Rule, ...] = ()
    dropped_lines: tuple[Rule, ...] = ()
    list_openers: tuple[Rule, ...] = ()
    dropped_sentences: tuple[Rule, ...] = ()

    def rewrite_sentence(self, sentence: str) -> str:
        """Return one sentence with its opening rewritten by the first rule that matches, first letter capital."""
        stripped = sentence.strip()
        for rule in self.rewrites:
            match = rule.pattern.match(stripped)
            if match is not None:
                rest = stripped[match.end() :]
                stripped = match.expand(rule.action) + rest
                break
        return stripped[:1].upper() + stripped[1:]

    def rewrite(self, text: str) -> str:
        """Rewrite the opening of every sentence of a paragraph for listeners."""
        return " ".join(self.rewrite_sentence(part) for part in _SENTENCE_BREAK.split(text.strip()) if part)

    def speaks_to_people(self, text: str) -> bool:
        """True when text opens like a sentence the rules rewrite for listeners."""
        stripped = text.strip()
        return any(rule.pattern.match(stripped) for rule in self.rewrites)

    def is_for_offices(self, title: str, text: str) -> bool:
        """True when a section instructs offices: its title or its text opens like an office rule, and neither
        speaks to people (a department told "Tuyên truyền để người dân …" is words for listeners)."""
        title, text = title.strip(), text.strip()
        if (title and self.speaks_to_people(title)) or (text and self.speaks_to_people(text)):
            return False
        return any(rule.pattern.match(title) for rule in self.office_titles) or any(
            rule.pattern.match(text) for rule in self.office_texts
        )

    def is_dropped(self, line: str) -> bool:
        """True when the whole line is never read on air (a sending time, a subject left in the body)."""
        stripped = line.strip()
        return any(rule.pattern.fullmatch(stripped) for rule in self.dropped_lines)

    def opens_drop_list(self, line: str) -> bool:
        """True when the line introduces recipients ("ĐIỆN:", "Kính gửi:"): it and the list under it stay off air."""
        stripped = line.strip()
        return any(rule.pattern.fullmatch(stripped) for rule in self.list_openers)

    def situation(self, lines: list[str]) -> str:
        """Return a preamble's account of the situation for listeners: sentences that cite documents or introduce
        the list of tasks (ending in ":") left out, the rest rewritten; paragraphs apart."""
        paragraphs = []
        for line in lines:
            if len(line) <= _ADDRESSEE and any(rule.pattern.match(line) for rule in self.office_titles):
                continue  # an addressee left over from the recipients ("Trưởng các cơ quan, đơn vị.")
            kept = [
                self.rewrite_sentence(part)
                for part in _SENTENCE_BREAK.split(line.strip())
                if part
                and not part.rstrip().endswith(":")
                and not any(rule.pattern.match(part) for rule in self.dropped_sentences)
            ]
            if kept:
                paragraphs.append(" ".join(kept))
        return "\n\n".join(paragraphs)

    def merged_over(self, base: AnnouncementRules) -> AnnouncementRules:
        """Return these rules tried before base's."""
        return AnnouncementRules(
            rewrites=self.rewrites + base.rewrites,
            office_titles=self.office_titles + base.office_titles,
            office_texts=self.office_texts + base.office_texts,
            dropped_lines=self.dropped_lines + base.dropped_lines,
            list_openers=self.list_openers + base.list_openers,
            dropped_sentences=self.dropped_sentences + base.dropped_sentences,
        )


def parse_rules(
    text: str, source: str = "announcement rules", macros: dict[str, str] | None = None
) -> AnnouncementRules:
    """Parse rules TSV; a malformed line or pattern raises ConfigError naming the source and the line.

    macros holds word lists defined earlier (the built-in ones, for a user's file); the dict is updated in place.
    """
    known = macros if macros is not None else {}
    groups: dict[str, list[Rule]] = {action: [] for action in ("rewrite", *ACTIONS)}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = nfc(raw.strip("\r\n\ufeff"))
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{source} line {number}"
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0].strip():
            raise ConfigError(f"{where}: expected 'pattern<TAB>replacement' or 'pattern<TAB>@action', got {raw!r}")
        pattern, action = fields[0].strip(), fields[1].strip()
        if pattern.startswith("@"):
            known[pattern[1:]] = f"(?:{_expand(action, known, where)})"
            continue
        if action.startswith("@") and action not in ACTIONS:
            raise ConfigError(f"{where}: the action must be a replacement or one of {', '.join(ACTIONS)}")
        try:
            compiled = re.compile(_expand(pattern, known, where), re.IGNORECASE)
            if not action.startswith("@"):
                _check_replacement(compiled, action)
        except (re.error, IndexError) as error:
            raise ConfigError(f"{where}: {error}; check the regular expression {pattern!r}") from error
        groups["rewrite" if not action.startswith("@") else action].append(Rule(compiled, action, where))
    return AnnouncementRules(
        rewrites=tuple(groups["rewrite"]),
        office_titles=tuple(groups["@office-title"]),
        office_texts=tuple(groups["@office-text"]),
        dropped_lines=tuple(groups["@drop"]),
        list_openers=tuple(groups["@drop-list"]),
        dropped_sentences=tuple(groups["@drop-sentence"]),
    )


def load_rules(extra: Path | None = None) -> AnnouncementRules:
    """The built-in rules, with the rules of a user TSV file (same format) tried before them."""
    builtin = builtin_rules()
    if extra is None:
        return builtin
    try:
        text = extra.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"cannot read announcement rules file {extra}: {error}; check the announcements setting"
        ) from error
    return parse_rules(text, str(extra), dict(_builtin_macros())).merged_over(builtin)


@cache
def builtin_rules() -> AnnouncementRules:
    """The rules shipped in the package (data/announcements.tsv)."""
    return _builtin({})


def _builtin(macros: dict[str, str]) -> AnnouncementRules:
    text = resources.files("broadcast.directives").joinpath("data", "announcements.tsv").read_text(encoding="utf-8")
    return parse_rules(text, "built-in announcements.tsv", macros)


@cache
def _builtin_macros() -> tuple[tuple[str, str], ...]:
    macros: dict[str, str] = {}
    _builtin(macros)
    return tuple(macros.items())


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            # Regex counts such as {1,60} are not names; anything else in braces must be a known word list.
            if name.isdigit():
                return match.group(0)
            raise ConfigError(f"{where}: no word list @{name} is defined above this line")
        return macros[name]

    return _MACRO.sub(replace, pattern)


def _check_replacement(compiled: re.Pattern[str], replacement: str) -> None:
    """Raise re.error or IndexError when the replacement names a group the pattern lacks."""
    for name in re.findall(r"\\g<(\w+)>", replacement):
        if name not in compiled.groupindex and not (name.isdigit() and int(name) <= compiled.groups):
            raise IndexError(f"the replacement uses group {name!r}, which the pattern does not define")
