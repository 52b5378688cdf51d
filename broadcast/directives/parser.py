"""Text of an official Vietnamese document in, `DirectiveRecord` record out: the one entry point of the parser."""

from __future__ import annotations

from collections.abc import Mapping

from broadcast.directives.header import Header, scan_header
from broadcast.directives.hints import find_hints
from broadcast.directives.issuers import ISSUER_CODES, infer_issuer
from broadcast.directives.layout import join_paragraphs, prepare_lines
from broadcast.directives.record import DirectiveRecord, DocType, Section
from broadcast.directives.references import find_references, notation_kind
from broadcast.directives.sections import split_body
from broadcast.directives.signature import scan_tail
from broadcast.errors import ParseError

# Notation type codes that name one of the project's document types.
_DOC_TYPES: dict[str, DocType] = {
    "cong_dien": "cong_dien",
    "ke_hoach": "ke_hoach",
    "thong_bao": "thong_bao",
    "quyet_dinh": "quyet_dinh",
    "chi_thi": "chi_thi",
    "huong_dan": "huong_dan",
    "bao_cao": "bao_cao",
}


def parse_directive(text: str, *, issuer_codes: Mapping[str, str] = ISSUER_CODES) -> DirectiveRecord:
    """Parse the full text of a directive; raise ParseError when it is empty or not a directive.

    issuer_codes names the bodies behind notation codes ("STTTT" → "Sở Thông tin và Truyền thông"), for a document
    whose header names no issuer; extend `ISSUER_CODES` with a province's own codes.
    """
    lines = prepare_lines(text)
    if not any(line.text for line in lines):
        raise ParseError("the directive text is empty; give the full text of the document")
    header = scan_header(lines)
    tail = scan_tail(lines, header.end)
    paragraphs = join_paragraphs(lines[header.end : tail.start])
    body = split_body(paragraphs)
    if header.number is None and header.notation is None and header.issued_on is None:
        raise ParseError(
            "not a directive: no number (Số: …) and no date (…, ngày … tháng … năm …) in the header; "
            "check that this is an official document"
        )
    if not paragraphs:
        raise ParseError("not a directive: no body text after the header; check that the file is complete")
    texts = [header.subject or "", *(paragraph.text for paragraph in paragraphs)]
    issuer = header.issuer
    if issuer is None:
        opening = body.preamble or (paragraphs[0].text if paragraphs else None)
        issuer = infer_issuer(opening, header.notation, tail.signer, issuer_codes)
    return DirectiveRecord(
        doc_type=_doc_type(header),
        number=header.number,
        notation=header.notation,
        issuer=issuer,
        issuer_inferred=header.issuer is None and issuer is not None,
        issuer_parent=header.issuer_parent,
        place=header.place,
        issued_on=header.issued_on,
        urgency=header.urgency,
        subject=header.subject,
        recipients=header.recipients,
        references=find_references(texts, header.number),
        sections=body.sections,
        signer=tail.signer,
        cc=tail.cc,
        broadcast_hints=find_hints(paragraph.text for paragraph in paragraphs),
        preamble=body.preamble,
        closing=body.closing,
    )


def _doc_type(header: Header) -> DocType:
    """The title line decides; failing that the notation's type code; failing that "V/v" makes a công văn."""
    if header.title_type is not None:
        return header.title_type
    kind = notation_kind(header.notation) if header.notation else None
    if kind in _DOC_TYPES:
        return _DOC_TYPES[kind]
    if header.has_vv:
        return "cong_van"
    return "other"


def walk_sections(sections: tuple[Section, ...]) -> list[Section]:
    """Return every section and nested item, depth first, in reading order."""
    result: list[Section] = []
    for section in sections:
        result.append(section)
        result.extend(walk_sections(section.children))
    return result
