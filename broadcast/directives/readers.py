"""Read a directive file into NFC text with LF line ends: text in any encoding offices use, Word (.docx, .doc),
PDFs with a text layer, and scans (PDFs without one, photos) through OCR."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import pypdf
from docx.table import Table, _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from broadcast.directives import ocr
from broadcast.directives.encodings import decode_text, repair_legacy
from broadcast.directives.record import DirectiveRecord
from broadcast.errors import ParseError
from broadcast.text import nfc

SUFFIXES = (".txt", ".md", ".docx", ".doc", ".pdf", ".png", ".jpg", ".jpeg")
SUFFIX_LIST = ".txt, .md, .docx, .doc, .pdf, .png or .jpg"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
# Below this mean word confidence (Tesseract's 0–100) a scan's record is marked for checking by eye: clean 300 dpi
# scans of typed pages read at about 95 (tests/directives/corpus), while a small blurred photo that already misreads
# the number reads at about 86. Confidence falls with the share of doubtful words, so 90 flags a page early.
OCR_UNCERTAIN_BELOW = 90.0


@dataclass(frozen=True)
class Reading:
    """A file's text and how it was read: the encoding of a text file, the mean OCR confidence (0–100) of a scan."""

    text: str
    encoding: str | None = None
    ocr_confidence: float | None = None

    @property
    def uncertain(self) -> bool:
        """Whether the reading is doubtful enough that an office should check the record by eye."""
        return self.ocr_confidence is not None and self.ocr_confidence < OCR_UNCERTAIN_BELOW


def read_text(path: Path) -> str:
    """Return the text of a directive file; raise ParseError for unreadable, empty or unsupported files."""
    return read_file(path).text


def read_file(path: Path) -> Reading:
    """Read a directive file into NFC text with LF line ends and say how it was read.

    Raises ParseError for an unsupported type, an unreadable, damaged or empty file, an unknown encoding, a scan
    with no text, or a missing tool (naming the Debian package to install).
    """
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        reading = _read_plain(path)
    elif suffix == ".docx":
        reading = _repaired(_read_docx(path))
    elif suffix == ".doc":
        reading = _read_old_word(path)
    elif suffix == ".pdf":
        reading = _read_pdf(path)
    elif suffix in IMAGE_SUFFIXES:
        _read_bytes(path)
        reading = _ocr_reading(ocr.read_images(path, [path]))
    else:
        shown = suffix or "(none)"
        raise ParseError(f"unsupported file type {shown}; use {SUFFIX_LIST}")
    text = nfc(reading.text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ParseError(f"{path.name} is empty; give a file with the directive's text")
    return replace(reading, text=text)


def with_reading(record: DirectiveRecord, reading: Reading) -> DirectiveRecord:
    """The record with the OCR confidence of its reading and whether it is uncertain."""
    if reading.ocr_confidence is None:
        return record
    return replace(record, ocr_confidence=round(reading.ocr_confidence, 1), uncertain=reading.uncertain)


def reading_note(ocr_confidence: float | None, uncertain: bool) -> str | None:
    """How a scan was read, in Vietnamese for offices ("Bản quét, độ tin cậy nhận dạng 71% — cần kiểm tra lại");
    None for a file read from its text."""
    if ocr_confidence is None:
        return None
    note = f"Bản quét, độ tin cậy nhận dạng {round(ocr_confidence)}%"
    return f"{note} — cần kiểm tra lại" if uncertain else note


def _ocr_reading(result: ocr.OcrResult) -> Reading:
    return Reading(result.text, ocr_confidence=result.confidence)


def _repaired(text: str) -> Reading:
    """Word text typed in a TCVN3 or VNI font comes out as Western letters ("Céng hoµ"): decode it again."""
    repaired = repair_legacy(text)
    return Reading(text) if repaired is None else Reading(repaired.text, encoding=repaired.encoding)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise ParseError(f"cannot read {path}: {error.strerror or error}; check the path") from error


def _read_plain(path: Path) -> Reading:
    data = _read_bytes(path)
    decoded = decode_text(data)
    if decoded is None:
        raise ParseError(
            f"{path.name} is not text in a known encoding (UTF-8, UTF-16, TCVN3, VNI); save it as UTF-8 text"
        )
    return Reading(decoded.text, encoding=decoded.encoding)


def _read_old_word(path: Path) -> Reading:
    """A .doc through antiword; one typed in a TCVN3 or VNI font again through LibreOffice, since antiword drops
    the soft hyphen that TCVN3 uses for "ư"."""
    text = _read_doc(path)
    if repair_legacy(text) is None:
        return Reading(text)
    return _repaired(_read_doc_with_libreoffice(path))


def _read_doc_with_libreoffice(path: Path) -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ParseError(
            f"{path.name} is typed in an old Vietnamese font; install the Debian package libreoffice-writer-nogui "
            "to read it"
        )
    with tempfile.TemporaryDirectory(prefix="broadcast-doc-") as folder:
        command = [
            soffice,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            folder,
            str(path.resolve()),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=180, check=False)
        except subprocess.TimeoutExpired as error:
            raise ParseError(f"{path.name} is not a readable .doc file (LibreOffice timed out); re-save it") from error
        converted = Path(folder) / f"{path.stem}.txt"
        if not converted.exists():
            raise ParseError(f"{path.name} is not a readable .doc file (LibreOffice could not open it); re-save it")
        return converted.read_text(encoding="utf-8-sig", errors="replace")


def _read_doc(path: Path) -> str:
    """An old Word (.doc) file's text through antiword, tables as rows of cells."""
    _read_bytes(path)
    if shutil.which("antiword") is None:
        raise ParseError("antiword is not installed; install the Debian package antiword to read .doc files")
    try:
        result = subprocess.run(
            ["antiword", "-m", "UTF-8.txt", "-w", "0", str(path)], capture_output=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise ParseError(f"{path.name} is not a readable .doc file (antiword timed out); re-save it") from error
    if result.returncode != 0:
        why = " ".join(result.stderr.decode("utf-8", "replace").split()) or f"exit code {result.returncode}"
        raise ParseError(f"{path.name} is not a readable .doc file ({why}); open and re-save it in Word")
    return result.stdout.decode("utf-8", "replace")


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


def _read_pdf(path: Path) -> Reading:
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
        # A scan: each page as an image through OCR.
        return _ocr_reading(ocr.read_pdf(path))
    return _repaired("\n\n".join(pages))
