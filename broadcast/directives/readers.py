"""Read a directive file (.txt, .md, .docx, .pdf) into NFC text with LF line ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
import pypdf
from docx.table import Table, _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from broadcast.errors import ParseError
from broadcast.text import nfc

SUFFIXES = (".txt", ".md", ".docx", ".pdf")


def read_text(path: Path) -> str:
    """Return the text of a directive file; raise ParseError for unreadable, empty or unsupported files."""
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        text = _read_plain(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    elif suffix == ".pdf":
        text = _read_pdf(path)
    else:
        shown = suffix or "(none)"
        raise ParseError(f"unsupported file type {shown}; use .txt, .md, .docx or .pdf")
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ParseError(f"{path.name} is empty; give a file with the directive's text")
    return text


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read {path}: {error.strerror or error}; check the path") from error


def _read_plain(path: Path) -> str:
    data = _read_bytes(path)
    # UTF-16 and binary files are full of NUL bytes that UTF-8 would accept; real text never has one.
    if b"\x00" in data:
        raise ParseError(f"{path.name} is not a UTF-8 text file; save it as UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParseError(f"{path.name} is not a UTF-8 text file; save it as UTF-8 text") from error


def _read_docx(path: Path) -> str:
    _read_bytes(path)  # a missing or unreadable file gets the plain OSError message
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
        return "\n".join(_lines_of_blocks(blocks))
    # python-docx raises many kinds of error (zip, XML, KeyError, ValueError) on a damaged package.
    except Exception as error:
        raise ParseError(f"{path.name} is not a readable .docx file ({error}); open and re-save it in Word") from error


def _lines_of_blocks(blocks: list[Paragraph | Table]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield from _paragraph_lines(block)
        else:
            yield from _table_lines(block)


def _table_lines(table: Table) -> Iterator[str]:
    """Each row's cells left to right, each cell's paragraphs in order, a blank line between cells."""
    for row in table.rows:
        seen: set[int] = set()
        for cell in row.cells:
            # A merged cell appears once per grid column it spans.
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            yield from _cell_lines(cell)
            yield ""


def _cell_lines(cell: _Cell) -> Iterator[str]:
    yield from _lines_of_blocks(list(cell.iter_inner_content()))


def _paragraph_lines(paragraph: Paragraph) -> Iterator[str]:
    """The paragraph's lines, each wrapped in ** when the whole paragraph is bold (the parser's headings)."""
    text = paragraph.text
    bold = bool(text.strip()) and _is_bold(paragraph)
    for line in text.split("\n"):
        yield f"**{line.strip()}**" if bold and line.strip() else line


def _is_bold(paragraph: Paragraph) -> bool:
    style = paragraph.style
    style_name = style.name if style is not None and style.name else ""
    if style_name.startswith(("Heading", "Title")):
        return True
    style_bold = bool(style is not None and style.font.bold)
    runs: list[Run] = []
    for item in paragraph.iter_inner_content():
        runs.extend(item.runs if isinstance(item, Hyperlink) else [item])
    filled = [run for run in runs if run.text.strip()]
    return bool(filled) and all(_run_bold(run, style_bold) for run in filled)


def _run_bold(run: Run, style_bold: bool) -> bool:
    if run.bold is not None:
        return run.bold
    if run.style is not None and run.style.font.bold is not None:
        return bool(run.style.font.bold)
    return style_bold


def _read_pdf(path: Path) -> str:
    _read_bytes(path)
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ParseError(f"{path.name} is encrypted; save an unprotected copy and try again")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ParseError:
        raise
    # pypdf raises many kinds of error (PdfReadError, ValueError, KeyError, struct errors) on damaged files.
    except Exception as error:
        raise ParseError(f"{path.name} is not a readable PDF ({error}); open and re-save it") from error
    if not any(page.strip() for page in pages):
        raise ParseError(f"{path.name}: no text layer; OCR is not supported")
    return "\n\n".join(pages)
