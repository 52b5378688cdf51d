"""Directives: read official documents (.txt .md .docx .doc .pdf, scans as .pdf .png .jpg through OCR; UTF-8, UTF-16,
TCVN3 and VNI text) and parse them into records (`DirectiveRecord`)."""

from __future__ import annotations

from broadcast.directives.drafts import Draft, draft_messages
from broadcast.directives.parser import parse_directive
from broadcast.directives.readers import read_text
from broadcast.directives.record import BroadcastHints, DirectiveRecord, Reference, Section, Signer

__all__ = [
    "BroadcastHints",
    "DirectiveRecord",
    "Draft",
    "Reference",
    "Section",
    "Signer",
    "draft_messages",
    "parse_directive",
    "read_text",
]
