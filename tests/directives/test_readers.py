"""read_text: plain text in its many encodings and line ends, Word documents with layout tables, PDFs."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import docx
import pypdf
import pytest
from docx.document import Document
from docx.shared import Pt
from docx.table import _Cell
from fpdf import FPDF

from broadcast.directives import parse_directive, read_text
from broadcast.errors import ParseError

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SAMPLE = "Số: 07/CĐ-UBND\nLạng Sơn, ngày 05 tháng 3 năm 2021\n\nĐài Truyền thanh xã Hòa Bình phát tin."


# --- plain text -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SAMPLE.encode(), SAMPLE),
        (b"\xef\xbb\xbf" + SAMPLE.encode(), SAMPLE),
        (SAMPLE.replace("\n", "\r\n").encode(), SAMPLE),
        (SAMPLE.replace("\n", "\r").encode(), SAMPLE),
        (b"\xef\xbb\xbf" + SAMPLE.replace("\n", "\r\n").encode(), SAMPLE),
        (unicodedata.normalize("NFD", SAMPLE).encode(), SAMPLE),
        (b"\xef\xbb\xbf" + unicodedata.normalize("NFD", SAMPLE).replace("\n", "\r\n").encode(), SAMPLE),
    ],
    ids=["utf8", "bom", "crlf", "cr", "bom-crlf", "nfd", "bom-crlf-nfd"],
)
@pytest.mark.parametrize("suffix", [".txt", ".md", ".TXT"])
def test_plain_text_comes_back_nfc_with_lf(tmp_path: Path, data: bytes, expected: str, suffix: str) -> None:
    path = tmp_path / f"directive{suffix}"
    path.write_bytes(data)
    text = read_text(path)
    assert text == expected
    assert unicodedata.is_normalized("NFC", text)
    assert "\r" not in text and "\ufeff" not in text


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\x03binary\xff\xfe",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"S\xe1 Th\xf4ng tin",
        bytes(range(0x80, 0x100)) * 4,
    ],
    ids=["binary", "png", "latin1", "high-bytes"],
)
def test_text_in_no_known_encoding_is_refused(tmp_path: Path, data: bytes) -> None:
    # UTF-16, TCVN3, VNI and Windows-1258 text is read (tests/directives/test_formats.py); these read as none.
    path = tmp_path / "directive.txt"
    path.write_bytes(data)
    with pytest.raises(
        ParseError, match=r"^directive\.txt is not text in a known encoding \(UTF-8, UTF-16, TCVN3, VNI\)"
    ):
        read_text(path)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_text_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(data)
    with pytest.raises(ParseError, match=r"empty\.md is empty"):
        read_text(path)


@pytest.mark.parametrize("name", ["directive.rtf", "directive.odt", "directive.tiff", "directive"])
def test_unsupported_file_types(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(
        ParseError, match=r"unsupported file type .*; use \.txt, \.md, \.docx, \.doc, \.pdf, \.png or \.jpg$"
    ):
        read_text(path)


def test_unsupported_message_names_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "directive.xyz"
    path.write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(ParseError, match=r"^unsupported file type \.xyz; use"):
        read_text(path)


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_missing_file(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        read_text(tmp_path / f"missing{suffix}")


def test_fixture_read_and_parsed(tmp_path: Path, fixture_text: Callable[[str], str]) -> None:
    original = fixture_text("ke_hoach.md")
    path = tmp_path / "ke_hoach.md"
    path.write_bytes(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", original).replace("\n", "\r\n").encode())
    assert parse_directive(read_text(path)) == parse_directive(original)


# --- Word -------------------------------------------------------------------------------------------------


def _fill(cell: _Cell, lines: list[tuple[str, bool]]) -> None:
    """Put (text, bold) paragraphs in a table cell, replacing the empty paragraph it starts with."""
    first = True
    for text, bold in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = paragraph.add_run(text)
        run.bold = bold


def _directive_docx() -> Document:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    _fill(
        left,
        [
            ("UBND TỈNH LẠNG SƠN", False),
            ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", True),
            ("Số: 215/STTTT-TTBCXB", False),
            ("V/v tuyên truyền phòng, chống thiên tai", False),
        ],
    )
    _fill(
        right,
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True),
            ("Độc lập - Tự do - Hạnh phúc", True),
            ("Lạng Sơn, ngày 12 tháng 4 năm 2022", False),
        ],
    )
    document.add_paragraph("Kính gửi: Phòng Văn hóa và Thông tin các huyện, thành phố.")
    document.add_paragraph(
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 20/01/2022 của UBND tỉnh, Sở Thông tin và Truyền thông đề nghị:"
    )
    document.add_paragraph().add_run("Tuyên truyền kỹ năng phòng, tránh lũ quét").bold = True
    document.add_paragraph("Hướng dẫn người dân không đi qua ngầm tràn khi nước lũ dâng cao.")
    mixed = document.add_paragraph()
    mixed.add_run("Lưu ý: ").bold = True
    mixed.add_run("chủ động di dời tài sản đến nơi an toàn.")
    document.add_heading("Chế độ báo cáo", level=2)
    document.add_paragraph("Báo cáo kết quả về Sở trước ngày 30/4/2022./.")
    signature = document.add_table(rows=1, cols=2)
    left, right = signature.rows[0].cells
    _fill(left, [("Nơi nhận:", True), ("- Như trên;", False), ("- Lưu: VT, TTBCXB.", False)])
    _fill(right, [("KT. GIÁM ĐỐC", True), ("PHÓ GIÁM ĐỐC", True), ("", False), ("Lê Hải Yến", True)])
    return document


def test_docx_tables_come_out_cell_by_cell(tmp_path: Path) -> None:
    path = tmp_path / "cong_van.docx"
    _directive_docx().save(str(path))
    lines = read_text(path).split("\n")
    assert lines[:5] == [
        "UBND TỈNH LẠNG SƠN",
        "**SỞ THÔNG TIN VÀ TRUYỀN THÔNG**",
        "Số: 215/STTTT-TTBCXB",
        "V/v tuyên truyền phòng, chống thiên tai",
        "",
    ]
    assert "**Tuyên truyền kỹ năng phòng, tránh lũ quét**" in lines
    assert "Lưu ý: chủ động di dời tài sản đến nơi an toàn." in lines
    assert "**Chế độ báo cáo**" in lines
    assert lines.index("**Nơi nhận:**") < lines.index("**KT. GIÁM ĐỐC**") < lines.index("**Lê Hải Yến**")


def test_docx_parses_into_a_directive(tmp_path: Path) -> None:
    path = tmp_path / "cong_van.docx"
    _directive_docx().save(str(path))
    directive = parse_directive(read_text(path))
    assert directive.doc_type == "cong_van"
    assert (directive.issuer_parent, directive.issuer) == ("UBND TỈNH LẠNG SƠN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")
    assert (directive.number, directive.notation) == ("215/STTTT-TTBCXB", "STTTT-TTBCXB")
    assert (directive.place, directive.issued_on) == ("Lạng Sơn", "2022-04-12")
    assert directive.subject == "tuyên truyền phòng, chống thiên tai"
    assert directive.recipients == ("Phòng Văn hóa và Thông tin các huyện, thành phố",)
    assert [(s.label, s.title) for s in directive.sections] == [
        ("", "Tuyên truyền kỹ năng phòng, tránh lũ quét"),
        ("", "Chế độ báo cáo"),
    ]
    assert directive.sections[0].text == (
        "Hướng dẫn người dân không đi qua ngầm tràn khi nước lũ dâng cao.\n"
        "Lưu ý: chủ động di dời tài sản đến nơi an toàn."
    )
    assert directive.cc == ("Như trên", "Lưu: VT, TTBCXB")
    assert directive.signer is not None
    assert directive.signer.to_json_dict() == {
        "name": "Lê Hải Yến",
        "title": "Phó Giám đốc",
        "authority": "KT. Giám đốc",
    }


def test_docx_line_breaks_and_merged_cells(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.paragraphs[0].add_run("KHẨN").bold = True
    table.cell(1, 0).paragraphs[0].add_run("Số: 09/CĐ-UBND")
    table.cell(1, 1).paragraphs[0].add_run("Lạng Sơn, ngày 02/8/2022")
    signer = document.add_paragraph()
    run = signer.add_run("KT. CHỦ TỊCH")
    run.bold = True
    run.add_break()
    signer.add_run("PHÓ CHỦ TỊCH").bold = True
    document.styles["Normal"].font.size = Pt(13)
    path = tmp_path / "breaks.docx"
    document.save(str(path))
    text = read_text(path)
    assert text.count("KHẨN") == 1
    assert "**KT. CHỦ TỊCH**\n**PHÓ CHỦ TỊCH**" in text
    assert text.index("Số: 09/CĐ-UBND") < text.index("Lạng Sơn, ngày 02/8/2022")


@pytest.mark.parametrize(
    "data",
    [b"not a zip file at all", b"PK\x03\x04\x14\x00\x00\x00broken", "Số: 07/CĐ-UBND".encode()],
    ids=["text", "broken-zip", "utf8"],
)
def test_corrupt_docx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(ParseError, match=r"broken\.docx is not a readable \.docx file"):
        read_text(path)


def test_empty_docx(tmp_path: Path) -> None:
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    with pytest.raises(ParseError, match=r"blank\.docx is empty"):
        read_text(path)


# --- PDF --------------------------------------------------------------------------------------------------


def _write_pdf(path: Path, text: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=11)
    for line in text.split("\n"):
        if line.strip():
            pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(6)
    pdf.output(str(path))


def test_pdf_text_layer(tmp_path: Path, fixture_text: Callable[[str], str]) -> None:
    path = tmp_path / "cong_van.pdf"
    _write_pdf(path, fixture_text("cong_van_wrapped.txt"))
    text = read_text(path)
    assert unicodedata.is_normalized("NFC", text)
    assert "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text
    directive = parse_directive(text)
    assert directive.number == "318/SVHTTDL-QLVH"
    assert directive.urgency == "hoa_toc"
    assert directive.issued_on == "2023-02-19"
    assert [section.label for section in directive.sections] == ["1.", "2.", "3."]
    assert directive.signer is not None and directive.signer.name == "Nguyễn Văn Bình"


def test_pdf_long_lines_wrap_and_rejoin(tmp_path: Path, fixture_text: Callable[[str], str]) -> None:
    # fpdf2 wraps the seed-like công văn's long paragraphs: the parser must put the sentences back together.
    path = tmp_path / "seedlike.pdf"
    _write_pdf(path, fixture_text("cong_van_seedlike.txt"))
    from_pdf = parse_directive(read_text(path))
    original = parse_directive(fixture_text("cong_van_seedlike.txt"))
    assert from_pdf.sections == original.sections
    assert from_pdf.references == original.references
    assert from_pdf.preamble == original.preamble


def test_pdf_without_text_layer_and_without_text(tmp_path: Path) -> None:
    # A PDF without a text layer goes to OCR (tests/directives/test_formats.py); a page with no words fails.
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 60)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(
        ParseError, match=r"^scan\.pdf: no text found in the scan; scan it again, straight and in focus$"
    ):
        read_text(path)


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4\nthis is not really a pdf", b"", b"\x00\x01\x02"], ids=["garbage", "empty", "binary"]
)
def test_corrupt_pdf(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(ParseError, match=r"broken\.pdf"):
        read_text(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    _write_pdf(plain, SAMPLE)
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(ParseError, match=r"locked\.pdf is (encrypted|not a readable PDF)"):
        read_text(locked)


def test_pdf_with_owner_password_only_is_read(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    _write_pdf(plain, SAMPLE)
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="RC4-128")
    protected = tmp_path / "protected.pdf"
    with protected.open("wb") as handle:
        writer.write(handle)
    assert "Đài Truyền thanh xã Hòa Bình" in read_text(protected)
