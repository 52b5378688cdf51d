"""Draft announcements from a parsed directive: one per top-level section, as prose ready for listening."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from broadcast.directives.announcements import AnnouncementRules, builtin_rules
from broadcast.directives.casing import sentence_case
from broadcast.directives.markers import HEADING_KINDS, classify, is_item_start
from broadcast.directives.record import DirectiveRecord, Section
from broadcast.directives.textutil import is_caps

_END = re.compile(r"[.!?…][\"”’')\]]*$")
_DASH_NUMBER = re.compile(r"^\d{1,2}\s*-\s+(?=\D)")
_SOFT_END = re.compile(r"\s*(?:\./\.|[;,:]+)$")
# A line that ends a sentence or opens a list; any other line break falls inside a sentence.
_LINE_END = re.compile(r"(?:[.!?:;…]|\./\.)[\"”’')\]]*$")
_CONTINUES = re.compile(r"[a-zà-ỹđ0-9(“\"]")
# A wrapped line is long; a heading line without a full stop is short.
_WRAPPED = 60
# Recipients under "ĐIỆN:" or "Kính gửi:" are short lines or list items.
_RECIPIENT = 90


@dataclass(frozen=True)
class Draft:
    """A section turned into an announcement draft, and whether it is meant for the public at all."""

    title: str
    text: str
    for_broadcast: bool
    section_label: str

    def to_json_dict(self) -> dict[str, Any]:
        """Return the draft as plain JSON data."""
        return {
            "title": self.title,
            "text": self.text,
            "for_broadcast": self.for_broadcast,
            "section_label": self.section_label,
        }


def draft_messages(directive: DirectiveRecord, rules: AnnouncementRules | None = None) -> list[Draft]:
    """Return one draft per top-level section, or one from the preamble when there are no sections; when every
    section instructs offices, a first draft reads the preamble's account of the situation to listeners.

    rules (default: the built-in announcement rules) rewrite words for offices as words for listeners, say which
    sections instruct offices, and keep sending times and recipient lists off the air.
    """
    rules = rules or builtin_rules()
    if not directive.sections:
        if not directive.preamble:
            return []
        lines = directive.preamble.split("\n")
        heading = directive.subject or _subject_line(lines) or ""
        text = _preamble_prose(on_air_lines(lines, rules), rules)
        return [Draft(heading_title(heading), text, not rules.is_for_offices(heading, directive.preamble), "")]
    drafts = []
    for section in directive.sections:
        prose = _Prose()
        _walk(section, prose, rules, top=True)
        text = prose.finish() or rules.rewrite(sentence(section.title))
        for_offices = rules.is_for_offices(section.title, _opening_text(section))
        drafts.append(Draft(heading_title(section.title), text, not for_offices, section.label))
    if directive.preamble and not any(draft.for_broadcast for draft in drafts):
        # Every section tasks an office (a công điện often): listeners hear what the preamble says is happening.
        situation = rules.situation(on_air_lines(directive.preamble.split("\n"), rules))
        if situation:
            drafts.insert(0, Draft(heading_title(directive.subject or ""), situation, True, ""))
    return drafts


def is_for_offices(title: str, text: str, rules: AnnouncementRules | None = None) -> bool:
    """True when a section tells offices what to do (report, organise, fund) instead of informing people."""
    return (rules or builtin_rules()).is_for_offices(title, text)


def heading_title(heading: str) -> str:
    """Return a heading as a message title: no trailing ";" ":" "./.", normal case for capitals, capital first."""
    title = _SOFT_END.sub("", " ".join(heading.split())).rstrip(".").strip()
    if is_caps(title):
        title = sentence_case(title)
    return title[:1].upper() + title[1:]


def on_air_lines(lines: list[str], rules: AnnouncementRules) -> list[str]:
    """Return the lines to read: sending times, subject lines and recipient lists dropped, and lines broken inside
    a sentence joined again, so a line break never becomes a full stop."""
    kept: list[str] = []
    skipping_list = False
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if rules.is_dropped(line):
            continue
        if rules.opens_drop_list(line):
            skipping_list = not line.endswith(".")
            continue
        if skipping_list:
            if is_item_start(line) or line.endswith(";") or (len(line) <= _RECIPIENT and not line.endswith(":")):
                skipping_list = not line.endswith(".")
                continue
            skipping_list = False
        if kept and _continues(kept[-1], line):
            kept[-1] = f"{kept[-1]} {line}"
        else:
            kept.append(line)
    return kept


def _continues(previous: str, line: str) -> bool:
    """True when line goes on with the sentence the previous line left open."""
    if _LINE_END.search(previous) or classify(line) is not None:
        return False
    if _CONTINUES.match(line) or previous.endswith(","):
        return True
    last_word = previous.rsplit(" ", 1)[-1]
    return len(previous) >= _WRAPPED and (previous.endswith(",") or last_word[:1].islower())


def _opening_text(section: Section) -> str:
    """The words a section opens with: its text, else its first item's."""
    if section.text.strip() or not section.children:
        return section.text
    first = section.children[0]
    return first.title or first.text


def _subject_line(lines: list[str]) -> str | None:
    """A "V/v …" line left in the body, as the subject it is."""
    for line in lines:
        match = re.match(r"\s*(?:V/v|Về việc)\s+(?P<subject>.+)", line, re.IGNORECASE)
        if match:
            return match["subject"].strip()
    return None


def sentence(text: str, *, intro: bool = False) -> str:
    """Return text as one spoken sentence: a capital first, trailing ";" "," "./." become a period, and a list
    marker the parser left ("1- ", "2- ") is not read."""
    text = _DASH_NUMBER.sub("", " ".join(text.split()))
    if not text:
        return ""
    # List entries often start in lower case after their marker; as sentences they start with a capital.
    text = text[0].upper() + text[1:]
    if intro and text.endswith(":"):
        return text
    text = _SOFT_END.sub("", text)
    if not text:
        return ""
    return text if _END.search(text) else text + "."


@dataclass
class _Prose:
    paragraphs: list[str] = field(default_factory=list)
    run: list[str] = field(default_factory=list)

    def paragraph(self, text: str) -> None:
        self.flush()
        if text:
            self.paragraphs.append(text)

    def item(self, text: str) -> None:
        if text:
            self.run.append(text)

    def flush(self) -> None:
        if self.run:
            self.paragraphs.append(" ".join(self.run))
            self.run = []

    def finish(self) -> str:
        self.flush()
        return "\n\n".join(self.paragraphs)


def _walk(section: Section, prose: _Prose, rules: AnnouncementRules, *, top: bool) -> None:
    """List items join one paragraph as sentences; nested headings and plain paragraphs start new ones."""
    has_more = bool(section.children)
    if section.title and not top:
        prose.paragraph(rules.rewrite(sentence(section.title, intro=has_more or bool(section.text))))
    paragraphs = on_air_lines(section.text.split("\n"), rules)
    for index, part in enumerate(paragraphs):
        is_last = index == len(paragraphs) - 1
        spoken = rules.rewrite(sentence(part, intro=is_last and has_more))
        if not section.title:
            prose.item(spoken)
        elif spoken.endswith(":"):
            prose.paragraph("")
            prose.item(spoken)
        else:
            prose.paragraph(spoken)
    for child in section.children:
        _walk(child, prose, rules, top=False)


def _preamble_prose(lines: list[str], rules: AnnouncementRules) -> str:
    """Turn a body without sections into prose: bullets become sentences of one paragraph."""
    prose = _Prose()
    for line in lines:
        marker = classify(line)
        if marker is not None and marker.kind not in HEADING_KINDS:
            prose.item(rules.rewrite(sentence(marker.rest)))
        elif line.rstrip().endswith(":"):
            prose.paragraph("")
            prose.item(rules.rewrite(sentence(line, intro=True)))
        else:
            prose.paragraph(rules.rewrite(sentence(marker.rest if marker is not None else line)))
    return prose.finish()
