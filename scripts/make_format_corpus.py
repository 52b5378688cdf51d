"""Make the corpus's format files from their UTF-8 sources in scripts/corpus/sources/ (run it again to regenerate).

Each source <name>.txt becomes tests/directives/corpus/<name>.<ext> by the last word of its name:
  scan  → .png, .jpg or .pdf (see SCANS): rendered at 300 dpi in DejaVu Serif, a red stamp, salt noise, a little
          blur, rotated 0.5–1.5°; the PDF is an image only, with no text layer
  doc   → .doc through LibreOffice headless (the header and signature as borderless two-column tables, as offices
          lay them out); needs libreoffice-writer-nogui, which the readers do not
  tcvn3 → .txt in TCVN3 via glibc's iconv (TCVN5712-1), CRLF line ends
  vni   → .txt in VNI-Windows with scripts/corpus/vni_table.py (a public table, not the decoder's), CRLF
  utf16 → .txt in UTF-16 LE with a BOM and CRLF, as Word's "Unicode text" saves it
Usage: .venv/bin/python scripts/make_format_corpus.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import docx
from docx.shared import Pt
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "corpus" / "sources"
CORPUS = ROOT / "tests" / "directives" / "corpus"
SCANS = {"xa_thong_bao_scan": ".png", "huyen_cong_van_scan": ".jpg", "so_cong_van_scan": ".pdf"}
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
DPI = 300
sys.path.insert(0, str(SOURCES.parent))

from vni_table import encode_vni  # noqa: E402


def main() -> None:
    CORPUS.mkdir(parents=True, exist_ok=True)
    for source in sorted(SOURCES.glob("*.txt")):
        text = unicodedata.normalize("NFC", source.read_text(encoding="utf-8"))
        name = source.stem
        kind = name.rsplit("_", 1)[1]
        if kind == "scan":
            make_scan(text, CORPUS / f"{name}{SCANS[name]}", seed=sum(map(ord, name)))
        elif kind == "doc":
            make_doc(text, CORPUS / f"{name}.doc", tcvn3="_tcvn3_" in name)
        elif kind == "tcvn3":
            data = subprocess.run(
                ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=crlf(text).encode(), capture_output=True, check=True
            ).stdout
            (CORPUS / f"{name}.txt").write_bytes(data)
        elif kind == "vni":
            (CORPUS / f"{name}.txt").write_bytes(encode_vni(crlf(text)))
        elif kind == "utf16":
            (CORPUS / f"{name}.txt").write_bytes(b"\xff\xfe" + crlf(text).encode("utf-16-le"))
        print(name)


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def make_scan(text: str, out: Path, seed: int) -> None:
    """A page as a cheap office scanner makes it: A4 at 300 dpi, grey noise, a stamp, slightly rotated."""
    rng = random.Random(seed)
    width, height = int(8.27 * DPI), int(11.69 * DPI)
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    size = 40  # about 10 pt at 300 dpi
    font = ImageFont.truetype(FONT, size)
    bold = ImageFont.truetype(FONT_BOLD, size)
    left, right, y = 220, width // 2 + 40, 220
    line_height = int(size * 1.45)
    seal_at = (right + 260, y)
    for line in text.split("\n"):
        if line.startswith("Nơi nhận"):
            seal_at = (right + 260, y + 2 * line_height)
        if "\t" in line:
            first, second = line.split("\t", 1)
            draw.text((left, y), first, fill="black", font=bold if first.isupper() else font)
            draw.text((right, y), second, fill="black", font=bold if second.isupper() else font)
            y += line_height
            continue
        for piece in wrap(line, font, width - 2 * left, draw):
            draw.text((left, y), piece, fill="black", font=bold if piece.isupper() else font)
            y += line_height
        if not line:
            y += line_height // 3
    stamp(draw, seal_at, rng)
    page = page.rotate(rng.choice((-1, 1)) * rng.uniform(0.5, 1.5), resample=Image.BICUBIC, fillcolor="white")
    pixels = page.load()
    for _ in range(width * height // 1200):
        x, y = rng.randrange(width), rng.randrange(height)
        shade = rng.randrange(0, 180)
        pixels[x, y] = (shade, shade, shade)
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    if out.suffix == ".jpg":
        page.save(out, quality=85, dpi=(DPI, DPI))
    elif out.suffix == ".pdf":
        page.save(out, resolution=DPI)
    else:
        page.save(out, dpi=(DPI, DPI))


def wrap(line: str, font: ImageFont.FreeTypeFont, width: int, draw: ImageDraw.ImageDraw) -> list[str]:
    words, pieces, current = line.split(" "), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) > width and current:
            pieces.append(current)
            current = word
        else:
            current = trial
    pieces.append(current)
    return pieces


def stamp(draw: ImageDraw.ImageDraw, centre: tuple[int, int], rng: random.Random) -> None:
    """A red round seal, part over the signature, as on every signed copy."""
    x, y = centre
    red = (200 + rng.randrange(40), 30, 40)
    for radius in (200, 192, 130):
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=red, width=6)
    draw.regular_polygon((x, y, 40), 5, fill=red)


def western(byte: int) -> str:
    """The letter Windows shows for a byte of an 8-bit font: Windows-1252, Latin-1 where 1252 has a hole."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def make_doc(text: str, out: Path, tcvn3: bool = False) -> None:
    """A Word 97–2003 file: header and signature in two-column tables, the body as paragraphs. With tcvn3, typed as
    in the ABC era: TCVN3 bytes (glibc's iconv) in the 8-bit .VnTime font, which Word keeps as Western letters."""
    if tcvn3:
        data = subprocess.run(
            ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True, check=True
        ).stdout
        text = "".join(western(byte) for byte in data)
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = ".VnTime" if tcvn3 else "Times New Roman"
    style.font.size = Pt(13)
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        if "\t" in lines[index]:
            rows = []
            while index < len(lines) and ("\t" in lines[index] or lines[index].startswith("- ")):
                rows.append(lines[index].split("\t", 1) if "\t" in lines[index] else [lines[index], ""])
                index += 1
            table = document.add_table(rows=len(rows), cols=2)
            for row, (first, second) in zip(table.rows, rows, strict=True):
                row.cells[0].text = first
                row.cells[1].text = second
            continue
        document.add_paragraph(lines[index])
        index += 1
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"{out.stem}.docx"
        document.save(str(source))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "doc", "--outdir", folder, str(source)],
            check=True,
            capture_output=True,
        )
        out.write_bytes((Path(folder) / f"{out.stem}.doc").read_bytes())


if __name__ == "__main__":
    main()
