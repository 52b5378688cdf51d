"""The formats offices receive: UTF-16, TCVN3 and VNI text, old Word .doc files and scans through OCR.

Legacy-encoded bytes are made by tools other than the decoder: glibc's iconv for TCVN3, a public VNI table
(scripts/corpus/vni_table.py) for VNI, so a test cannot agree with itself.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from broadcast.directives import parse_directive
from broadcast.directives.encodings import decode_tcvn3, decode_text, decode_vni, repair_legacy
from broadcast.directives.readers import OCR_UNCERTAIN_BELOW, Reading, read_file, reading_note, with_reading
from broadcast.errors import ParseError
from broadcast.messages.drafting import parse_file
from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke

ROOT = Path(__file__).parents[2]
CORPUS = Path(__file__).parent / "corpus"
SOURCES = ROOT / "scripts" / "corpus" / "sources"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
# Every Vietnamese letter, lower and upper case, with every tone: what a legacy table must get right.
ALPHABET = unicodedata.normalize(
    "NFC",
    " ".join(
        base + tone
        for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
        for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    )
    + " đ Đ",
)
SENTENCE = "Đề nghị bà con nhân dân nâng cao cảnh giác, không tham gia đánh bạc; Ủy ban nhân dân xã Hữu Kiên thông báo."


def _vni_table() -> ModuleType:
    spec = importlib.util.spec_from_file_location("vni_table", ROOT / "scripts" / "corpus" / "vni_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["vni_table"] = module
    spec.loader.exec_module(module)
    return module


def _iconv_tcvn3(text: str) -> bytes:
    return subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True, check=True
    ).stdout


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Word wrote it: precomposed letters where the code page has them, else a tone mark after."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, tone = unicodedata.normalize("NFD", char)[:-1], unicodedata.normalize("NFD", char)[-1]
            out += unicodedata.normalize("NFC", base).encode("cp1258") + tone.encode("cp1258")
    return out


def _source(name: str) -> str:
    return unicodedata.normalize("NFC", (SOURCES / f"{name}.txt").read_text(encoding="utf-8"))


# --- encodings ----------------------------------------------------------------------------------------------


def test_tcvn3_table_reads_every_letter_as_iconv_writes_it() -> None:
    assert decode_tcvn3(_iconv_tcvn3(ALPHABET)) == ALPHABET


def test_vni_reads_every_letter_as_a_public_table_writes_it() -> None:
    assert decode_vni(_vni_table().encode_vni(ALPHABET)) == ALPHABET


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda text: _iconv_tcvn3(text), "tcvn3"),
        (lambda text: _vni_table().encode_vni(text), "vni"),
        (lambda text: _cp1258(text), "cp1258"),
        (lambda text: text.encode("utf-16"), "utf-16"),
        (lambda text: text.encode("utf-16-le"), "utf-16"),
        (lambda text: text.encode("utf-16-be"), "utf-16"),
        (lambda text: b"\xfe\xff" + text.encode("utf-16-be"), "utf-16"),
        (lambda text: text.encode("utf-8"), "utf-8"),
        (lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8"),
    ],
    ids=["tcvn3", "vni", "cp1258", "utf16", "utf16-le", "utf16-be", "utf16-be-bom", "utf8", "utf8-bom"],
)
def test_the_encoding_is_detected_and_the_text_comes_back_nfc(encode: Any, encoding: str) -> None:
    text = f"{SENTENCE}\r\n{SENTENCE}\n"
    decoded = decode_text(encode(text))
    assert decoded is not None
    assert (decoded.encoding, decoded.text) == (encoding, text)
    assert unicodedata.is_normalized("NFC", decoded.text)


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02\x03binary\xff\xfe", bytes(range(0x80, 0x100)) * 4, b"S\xe1 Th\xf4ng", b"\xff\xfe\x00\xd8"],
    ids=["binary", "high-bytes", "too-few-words", "broken-utf16"],
)
def test_bytes_that_read_as_no_vietnamese_are_refused(data: bytes) -> None:
    assert decode_text(data) is None


def test_a_word_file_typed_in_a_tcvn3_font_is_decoded_again() -> None:
    # antiword and python-docx give .VnTime text as the Western letters it is stored as: "Céng hoµ x· héi".
    misread = _iconv_tcvn3(SENTENCE).decode("latin-1")
    repaired = repair_legacy(misread)
    assert repaired is not None and (repaired.encoding, repaired.text) == ("tcvn3", SENTENCE)
    assert repair_legacy(SENTENCE) is None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=400), st.text(max_size=200).map(lambda text: text.encode("utf-16-le"))))
def test_any_bytes_read_as_nfc_text_or_fail_in_one_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "any.txt"
    path.write_bytes(data)
    try:
        reading = read_file(path)
    except ParseError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert unicodedata.is_normalized("NFC", reading.text) and "\r" not in reading.text


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(ALPHABET.split()), min_size=1, max_size=30))
def test_any_vietnamese_words_survive_tcvn3_and_vni(words: list[str]) -> None:
    text = " ".join(words)
    assert decode_tcvn3(_iconv_tcvn3(text)) == text
    assert decode_vni(_vni_table().encode_vni(text)) == text


# --- the corpus's format files ------------------------------------------------------------------------------

LOSSLESS = {
    "so_cong_van_utf16.txt": "utf-16",
    "xa_thong_bao_tcvn3.txt": "tcvn3",
    "ban_chi_huy_cong_van_tcvn3.txt": "tcvn3",
    "tinh_thong_bao_vni.txt": "vni",
}
DOCS = ["huyen_cong_dien_doc.doc", "tinh_chi_thi_doc.doc"]
TCVN3_DOC = "huyen_ke_hoach_tcvn3_doc.doc"
# Fields the parser misses on the UTF-8 source itself (a reference's issuer runs on into the next clause): the
# reader is not to blame, and the format file must not miss more.
PARSER_MISSES = {TCVN3_DOC: {"references"}}
SCANS = ["xa_thong_bao_scan.png", "huyen_cong_van_scan.jpg", "so_cong_van_scan.pdf"]


def _expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / f"{Path(name).stem}.expected.json").read_text(encoding="utf-8"))
    return data


def _wrong_fields(record: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The expected fields the parsed record gets wrong, compared as the corpus scoring does."""
    got = dict(record)
    got["section_titles"] = [section["title"] for section in record["sections"]]
    got["references"] = [{key: ref[key] for key in ("number", "issued_on", "issuer")} for ref in record["references"]]
    return {key: got.get(key) for key, value in expected.items() if got.get(key) != value}


@pytest.mark.parametrize(("name", "encoding"), list(LOSSLESS.items()))
def test_legacy_and_utf16_files_read_as_their_source(name: str, encoding: str) -> None:
    reading = read_file(CORPUS / name)
    assert (reading.encoding, reading.ocr_confidence) == (encoding, None)
    assert reading.text == _source(Path(name).stem)
    assert _expected(name)["encoding"] == encoding


@pytest.mark.parametrize("name", DOCS)
def test_doc_files_keep_every_line_of_their_source(name: str) -> None:
    text = read_file(CORPUS / name).text
    # antiword draws the layout tables as |cell|cell| rows; every line of the source is there, in order.
    lines = [" ".join(line.replace("|", " ").split()) for line in text.splitlines()]
    cells = [" ".join(cell.split()) for line in text.splitlines() for cell in line.split("|")]
    for wanted in _source(Path(name).stem).splitlines():
        for part in wanted.split("\t"):
            assert part.strip() == "" or part in lines or part in cells, part


@pytest.mark.parametrize("name", [*LOSSLESS, *DOCS, TCVN3_DOC])
def test_text_formats_give_the_expected_record(name: str) -> None:
    expected = _expected(name)["record"]
    record = parse_file(CORPUS / name).to_json_dict()
    from_source = _wrong_fields(parse_directive(_source(Path(name).stem)).to_json_dict(), expected)
    assert set(from_source) <= PARSER_MISSES.get(name, set())
    assert _wrong_fields(record, expected) == from_source
    assert (record["ocr_confidence"], record["uncertain"]) == (None, False)


def test_a_word_file_typed_in_a_tcvn3_font_reads_as_unicode() -> None:
    # Word keeps .VnTime text as Western letters ("Sè: 36/KH-UBND", "ng\xadêi"); antiword drops the soft hyphen
    # that is TCVN3's "ư", so such a file is read again through LibreOffice and decoded.
    reading = read_file(CORPUS / TCVN3_DOC)
    assert reading.encoding == "tcvn3"
    lines = [line for line in reading.text.splitlines() if line.strip()]
    for wanted in _source(Path(TCVN3_DOC).stem).splitlines():
        for part in wanted.split("\t"):
            assert part.strip() == "" or part in lines, part


@pytest.mark.parametrize("name", SCANS)
def test_scans_read_through_ocr_give_the_expected_record(name: str) -> None:
    record = parse_file(CORPUS / name).to_json_dict()
    expected = _expected(name)
    assert expected["kinds"] == ["scan"] and expected["encoding"] is None
    wrong = _wrong_fields(record, expected["record"])
    # The header and body are read right; the seal over the signature may cost the signer (a letter of its title).
    assert set(wrong) <= {"signer"}, wrong
    assert record["ocr_confidence"] is not None and OCR_UNCERTAIN_BELOW <= record["ocr_confidence"] <= 100
    assert record["uncertain"] is False


# --- uncertain readings -------------------------------------------------------------------------------------


def test_a_low_confidence_reading_marks_the_record_uncertain() -> None:
    record = parse_directive(_source("xa_thong_bao_tcvn3"))
    assert with_reading(record, Reading("…")) is record
    doubtful = with_reading(record, Reading("…", ocr_confidence=71.04))
    assert (doubtful.ocr_confidence, doubtful.uncertain) == (71.0, True)
    sure = with_reading(record, Reading("…", ocr_confidence=OCR_UNCERTAIN_BELOW))
    assert sure.uncertain is False
    assert reading_note(71.0, True) == "Bản quét, độ tin cậy nhận dạng 71% — cần kiểm tra lại"
    assert reading_note(94.9, False) == "Bản quét, độ tin cậy nhận dạng 95%"
    assert reading_note(None, False) is None


def test_a_poor_photo_is_read_but_marked_uncertain(tmp_path: Path) -> None:
    # A small, blurred, noisy photo of the same header: Tesseract misreads its number ("435/TB.UBN…") and says so
    # with a mean confidence in the 80s, below the threshold that clean 300 dpi scans (about 95) stay above.
    page = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(DEJAVU), 15)
    for row, line in enumerate(_source("xa_thong_bao_scan").splitlines()[:12]):
        draw.text((10, 10 + row * 23), line.replace("\t", "      "), fill=0, font=font)
    page = page.filter(ImageFilter.GaussianBlur(1.1))
    pixels = page.load()
    assert pixels is not None
    for index in range(0, 900 * 300, 7):
        pixels[index % 900, index // 900] = 170
    path = tmp_path / "photo.png"
    page.save(path)
    reading = read_file(path)
    assert reading.ocr_confidence is not None and reading.ocr_confidence < OCR_UNCERTAIN_BELOW
    assert reading.uncertain


# --- files the readers cannot handle --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "cong_van.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            r"^cong_van\.doc is not a readable \.doc",
        ),
        ("cong_van.doc", b"plain text saved as .doc", r"^cong_van\.doc is not a readable \.doc"),
        ("scan.png", b"\x89PNG\r\n\x1a\n broken", r"^scan\.png is not a readable image"),
        ("photo.jpg", b"", r"^photo\.jpg is not a readable image"),
    ],
)
def test_damaged_files_fail_in_one_line(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ParseError, match=message) as raised:
        read_file(path)
    assert "\n" not in str(raised.value)


def test_an_image_without_text_fails(tmp_path: Path) -> None:
    path = tmp_path / "blank.png"
    Image.new("RGB", (1200, 1600), "white").save(path)
    with pytest.raises(ParseError, match=r"^blank\.png: no text found in the scan; scan it again"):
        read_file(path)


@pytest.mark.parametrize(
    ("name", "package"),
    [("huyen_cong_dien_doc.doc", "antiword"), ("xa_thong_bao_scan.png", "tesseract-ocr")],
)
def test_a_missing_tool_names_the_package_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, package: str
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ParseError, match=rf"is not installed; install the Debian package {package} "):
        read_file(CORPUS / name)


def test_a_tcvn3_word_file_without_libreoffice_names_its_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "antiword").symlink_to(shutil.which("antiword") or "/usr/bin/antiword")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ParseError, match=r"old Vietnamese font; install the Debian package libreoffice-writer-nogui"):
        read_file(CORPUS / TCVN3_DOC)


def test_a_missing_vietnamese_model_names_its_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from broadcast.directives import ocr

    monkeypatch.setattr(ocr, "_LANGUAGES", ["eng", "osd"])
    with pytest.raises(ParseError, match=r"install the Debian package tesseract-ocr-vie$"):
        read_file(CORPUS / "xa_thong_bao_scan.png")


# --- through the CLI ----------------------------------------------------------------------------------------


def test_the_cli_says_how_a_scan_was_read(invoke: Invoke) -> None:
    ok(invoke, "init")
    out = ok(invoke, "directive", "import", str(CORPUS / "so_cong_van_scan.pdf"))
    assert "Imported directive 1" in out
    shown = ok(invoke, "directive", "show", "1")
    assert "Bản quét, độ tin cậy nhận dạng 9" in shown and "cần kiểm tra lại" not in shown
    record = json.loads(ok(invoke, "directive", "show", "1", "--json"))["record"]
    assert record["ocr_confidence"] >= OCR_UNCERTAIN_BELOW and record["uncertain"] is False


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "is not a readable .doc file"),
        ("blank.png", None, "no text found in the scan"),
        ("latin.txt", b"C\xf4ng v\xe3n \x81\x8d\x8f", "is not text in a known encoding"),
    ],
)
def test_unreadable_files_fail_in_one_line_and_store_nothing(
    invoke: Invoke, tmp_path: Path, name: str, data: bytes | None, message: str
) -> None:
    ok(invoke, "init")
    path = tmp_path / name
    if data is None:
        Image.new("RGB", (600, 800), "white").save(path)
    else:
        path.write_bytes(data)
    assert message in fails(invoke, "directive", "import", str(path))
    assert message in fails(invoke, "directive", "parse", str(path))
    assert json.loads(ok(invoke, "directive", "list", "--json")) == []


def test_uncertain_records_say_so_in_the_summary(invoke: Invoke) -> None:
    from click.testing import CliRunner

    from broadcast.cli.directive import print_summary

    record = replace(parse_directive(_source("xa_thong_bao_tcvn3")), ocr_confidence=71.0, uncertain=True)
    result = CliRunner().invoke(_summary_command(print_summary, record.to_json_dict()))
    assert "Bản quét, độ tin cậy nhận dạng 71% — cần kiểm tra lại" in result.output


def _summary_command(print_summary: Any, record: dict[str, Any]) -> Any:
    import click

    @click.command()
    def show() -> None:
        print_summary(record)

    return show
