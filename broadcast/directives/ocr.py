"""Read scanned directives (photos, PDFs without a text layer) with Tesseract's Vietnamese model."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from broadcast.errors import ParseError
from broadcast.text import nfc

LANGUAGE = "vie"
# Scans are rasterised at the resolution Tesseract is trained for; lower loses diacritics, higher only costs time.
PDF_DPI = 300
# Tesseract stops on one page after this many seconds: a photo of a wall does not hold a worker for minutes.
PAGE_TIMEOUT_S = 120
# A gap between two words of one line wider than this many letter heights separates two columns; a space between
# words is about half a letter height, so there is no doubt either way.
COLUMN_GAP = 3
# Tesseract's Vietnamese model reads the hyphen of a notation between capitals as a colon ("905/STTTT:TTBCXB");
# a number and notation never holds one.
_NOTATION_COLON = re.compile(r"(\d+/[A-ZĐ0-9.]+):(?=[A-ZĐ])")


@dataclass(frozen=True)
class OcrResult:
    """Text read from page images, and the mean word confidence (0–100) Tesseract gave it."""

    text: str
    confidence: float
    pages: int


def read_images(source: Path, images: Iterable[Path | Any]) -> OcrResult:
    """OCR each image (a path or a Pillow image) as one page; raise ParseError when no page holds any text or a
    tool is missing."""
    pytesseract = _tesseract()
    from PIL import Image, UnidentifiedImageError

    texts: list[str] = []
    confidences: list[float] = []
    pages = 0
    for image in images:
        pages += 1
        try:
            opened = Image.open(image) if isinstance(image, Path) else image
            opened.load()
            data = pytesseract.image_to_data(
                _without_seal(opened), lang=LANGUAGE, output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT_S
            )
        except (UnidentifiedImageError, OSError) as error:
            raise ParseError(f"{source.name} is not a readable image ({error}); scan or save it again") from error
        except (pytesseract.TesseractError, RuntimeError) as error:
            raise ParseError(f"{source.name} could not be read by OCR ({_one_line(error)}); scan it again") from error
        text, words = _page_text(data)
        texts.append(text)
        confidences.extend(words)
    if not confidences:
        raise ParseError(f"{source.name}: no text found in the scan; scan it again, straight and in focus")
    return OcrResult(nfc("\n\n".join(texts)), sum(confidences) / len(confidences), pages)


def read_pdf(path: Path) -> OcrResult:
    """OCR a PDF without a text layer, each page rasterised at PDF_DPI by poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        raise ParseError("pdftoppm is not installed; install the Debian package poppler-utils to read scanned PDFs")
    _tesseract()
    import pdf2image
    import pdf2image.exceptions

    try:
        images = pdf2image.convert_from_path(str(path), dpi=PDF_DPI)
    except pdf2image.exceptions.PDFPageCountError as error:
        raise ParseError(f"{path.name} is not a readable PDF ({_one_line(error)}); open and re-save it") from error
    return read_images(path, images)


def _tesseract() -> Any:
    """The pytesseract module, once Tesseract and its Vietnamese model are known to be installed."""
    import pytesseract

    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise ParseError("tesseract is not installed; install the Debian package tesseract-ocr to read scans")
    if LANGUAGE not in _languages():
        raise ParseError("Tesseract's Vietnamese model is missing; install the Debian package tesseract-ocr-vie")
    return pytesseract


_LANGUAGES: list[str] = []


def _languages() -> list[str]:
    if not _LANGUAGES:
        import pytesseract

        _LANGUAGES.extend(pytesseract.get_languages(config=""))
    return _LANGUAGES


def _without_seal(image: Any) -> Any:
    """The page in grey with red ink (the seal over the signature) faded: the red channel keeps black text black
    and turns red almost white, so the stamp no longer hides the signer's title and name."""
    if image.mode in ("RGB", "RGBA", "P", "CMYK"):
        return image.convert("RGB").getchannel("R")
    return image.convert("L")


def _page_text(data: dict[str, list[Any]]) -> tuple[str, list[float]]:
    """The page's lines in reading order, a blank line between Tesseract's blocks, and its words' confidences.

    Words far apart on one line (the header's and the signature's two columns) are joined by a tab, as a text
    file lays out the two columns.
    """
    lines: dict[tuple[int, int, int], list[tuple[int, int, int, str]]] = {}
    confidences: list[float] = []
    for index, word in enumerate(data["text"]):
        confidence = float(data["conf"][index])
        if not str(word).strip() or confidence < 0:
            continue
        key = (int(data["block_num"][index]), int(data["par_num"][index]), int(data["line_num"][index]))
        box = (int(data["left"][index]), int(data["width"][index]), int(data["height"][index]))
        lines.setdefault(key, []).append((*box, str(word).strip()))
        confidences.append(confidence)
    out: list[str] = []
    previous_block: tuple[int, int] | None = None
    for (block, paragraph, _line), words in lines.items():
        if previous_block is not None and previous_block != (block, paragraph):
            out.append("")
        previous_block = (block, paragraph)
        out.append(_NOTATION_COLON.sub(r"\1-", _line_text(words)))
    return "\n".join(out), confidences


def _line_text(words: list[tuple[int, int, int, str]]) -> str:
    """One line's words; a gap wider than COLUMN_GAP letter heights starts the other column."""
    height = sorted(word[2] for word in words)[len(words) // 2]
    text = ""
    end: int | None = None
    for left, width, _height, word in words:
        if end is not None:
            text += "\t" if left - end > COLUMN_GAP * height else " "
        text += word
        end = left + width
    return text


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
