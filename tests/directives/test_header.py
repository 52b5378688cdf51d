"""Header fields: document type, number and notation, place and date, urgency, subject, issuer, recipients."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from broadcast.directives import parse_directive
from broadcast.errors import ParseError

Build = Callable[..., str]


def header(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# --- document type ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "number", "expected"),
    [
        ("CÔNG ĐIỆN", "Số: 01/UBND", "cong_dien"),
        ("KẾ HOẠCH", "Số: 01/UBND", "ke_hoach"),
        ("THÔNG BÁO", "Số: 01/UBND", "thong_bao"),
        ("QUYẾT ĐỊNH", "Số: 01/UBND", "quyet_dinh"),
        ("CHỈ THỊ", "Số: 01/UBND", "chi_thi"),
        ("HƯỚNG DẪN", "Số: 01/UBND", "huong_dan"),
        ("BÁO CÁO", "Số: 01/UBND", "bao_cao"),
        ("TỜ TRÌNH", "Số: 01/UBND", "other"),
        ("", "Số: 01/CĐ-UBND", "cong_dien"),
        ("", "Số: 01/CD-UBND", "cong_dien"),
        ("", "Số: 33-KH/BCĐ", "ke_hoach"),
        ("", "Số: 01/TB-UBND", "thong_bao"),
        ("", "Số: 01/QĐ-UBND", "quyet_dinh"),
        ("", "Số: 01/CT-UBND", "chi_thi"),
        ("", "Số: 01/HD-STTTT", "huong_dan"),
        ("", "Số: 01/BC-UBND", "bao_cao"),
        ("", "Số: 01/NQ-HĐND", "other"),
        ("", "Số: 01/UBND-VX", "other"),
        # The title outranks the notation.
        ("KẾ HOẠCH", "Số: 01/TB-UBND", "ke_hoach"),
    ],
)
def test_doc_type(build: Build, title: str, number: str, expected: str) -> None:
    text = build(header=header("UBND TỈNH LẠNG SƠN", number, "Lạng Sơn, ngày 09/4/2022", "", title, ""))
    assert parse_directive(text).doc_type == expected


@pytest.mark.parametrize(
    "subject", ["V/v tuyên truyền", "Về việc tuyên truyền", "V/v: tuyên truyền", "V/V tuyên truyền"]
)
def test_vv_makes_a_cong_van(build: Build, subject: str) -> None:
    directive = parse_directive(build(header=header("Số: 12/UBND-VX", subject, "Lạng Sơn, ngày 09/4/2022", "")))
    assert directive.doc_type == "cong_van"
    assert directive.subject == "tuyên truyền"


def test_title_line_with_subject_after_blank_line(build: Build) -> None:
    text = build(header=header("Số: 45/UBND", "", "KẾ HOẠCH", "", "Tuyên truyền an toàn giao thông", "năm 2022", ""))
    directive = parse_directive(text)
    assert directive.doc_type == "ke_hoach"
    assert directive.subject == "Tuyên truyền an toàn giao thông năm 2022"


def test_title_followed_by_ve_viec(build: Build) -> None:
    text = build(header=header("Số: 07/CĐ-UBND", "CÔNG ĐIỆN", "Về việc ứng phó với bão số 3", ""))
    directive = parse_directive(text)
    assert (directive.doc_type, directive.subject) == ("cong_dien", "ứng phó với bão số 3")


# --- number, notation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number", "notation"),
    [
        ("Số: 07/CĐ-UBND", "07/CĐ-UBND", "CĐ-UBND"),
        ("Số: /STTTT-TTBCXB", None, "STTTT-TTBCXB"),
        ("Số:      /STTTT-TTBCXB", None, "STTTT-TTBCXB"),
        ("Số: ....../UBND-VX", None, "UBND-VX"),
        ("Số 33-KH/BCĐ", "33-KH/BCĐ", "KH/BCĐ"),
        ("Số : 184/UBND-KGVX", "184/UBND-KGVX", "UBND-KGVX"),
        ("Số: 12/2021/QĐ-UBND", "12/2021/QĐ-UBND", "QĐ-UBND"),
        ("Số: 07 /CĐ-UBND", "07/CĐ-UBND", "CĐ-UBND"),
        ("**Số: 07/CĐ-UBND**", "07/CĐ-UBND", "CĐ-UBND"),
    ],
)
def test_number_and_notation(build: Build, line: str, number: str | None, notation: str) -> None:
    directive = parse_directive(build(header=header(line, "Lạng Sơn, ngày 09/4/2022", "V/v tuyên truyền", "")))
    assert (directive.number, directive.notation) == (number, notation)


def test_own_number_is_not_a_reference(build: Build) -> None:
    body = (
        "Công điện số 07/CĐ-UBND này thay thế Công điện số 05/CĐ-UBND ngày 01/3/2021.\n\n1. Nội dung\n\nTuyên truyền."
    )
    directive = parse_directive(build(header=header("Số: 07/CĐ-UBND", "Lạng Sơn, ngày 09/4/2022", ""), body=body))
    assert [reference.number for reference in directive.references] == ["05/CĐ-UBND"]


# --- place and date ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "place", "issued_on"),
    [
        ("Lạng Sơn, ngày 19/02/2022", "Lạng Sơn", "2022-02-19"),
        ("Lạng Sơn, ngày 19-02-2022", "Lạng Sơn", "2022-02-19"),
        ("Lạng Sơn, ngày 19.02.2022", "Lạng Sơn", "2022-02-19"),
        ("Lạng Sơn, ngày 05 tháng 3 năm 2021", "Lạng Sơn", "2021-03-05"),
        ("Hà Nội, ngày 5 tháng 03 năm 2021", "Hà Nội", "2021-03-05"),
        ("Lạng Sơn, ngày   tháng 02 năm 2022", "Lạng Sơn", "2022-02"),
        ("Lạng Sơn, ngày tháng 02 năm 2022", "Lạng Sơn", "2022-02"),
        ("Lạng Sơn, ngày ... tháng 02 năm 2022", "Lạng Sơn", "2022-02"),
        ("Lạng Sơn, ngày    tháng    năm 2022", "Lạng Sơn", "2022"),
        ("Lạng Sơn, ngày      /02/2022", "Lạng Sơn", "2022-02"),
        ("TP. Lạng Sơn, ngày 01 tháng 12 năm 2023", "TP. Lạng Sơn", "2023-12-01"),
        ("*Cao Lộc, ngày 29 tháng 02 năm 2024*", "Cao Lộc", "2024-02-29"),
        ("Lạng Sơn, ngày ... tháng ... năm 20...", "Lạng Sơn", None),
        ("ngày 09 tháng 4 năm 2022", None, "2022-04-09"),
    ],
)
def test_place_and_date(build: Build, line: str, place: str | None, issued_on: str | None) -> None:
    directive = parse_directive(build(header=header("Số: 12/UBND-VX", line, "V/v tuyên truyền", "")))
    assert (directive.place, directive.issued_on) == (place, issued_on)


@pytest.mark.parametrize("line", ["Lạng Sơn, ngày 30/02/2022", "Lạng Sơn, ngày 12 tháng 13 năm 2022"])
def test_impossible_date_is_an_error(build: Build, line: str) -> None:
    with pytest.raises(ParseError, match="does not exist; correct the date line"):
        parse_directive(build(header=header("Số: 12/UBND-VX", line, "")))


def test_date_only_document_is_accepted(build: Build) -> None:
    directive = parse_directive(build(header=header("Lạng Sơn, ngày 09 tháng 4 năm 2022", "")))
    assert (directive.number, directive.notation, directive.issued_on) == (None, None, "2022-04-09")


# --- urgency ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ((), None),
        (("KHẨN",), "khan"),
        (("Khẩn",), "khan"),
        (("**KHẨN**",), "khan"),
        (("THƯỢNG KHẨN",), "thuong_khan"),
        (("HỎA TỐC",), "hoa_toc"),
        (("HOẢ TỐC",), "hoa_toc"),
        (("HO\u0309A TÔ\u0301C",), "hoa_toc"),
        (("KHẨN", "HỎA TỐC"), "hoa_toc"),
        (("HỎA TỐC", "KHẨN"), "hoa_toc"),
        (("THƯỢNG KHẨN", "KHẨN"), "thuong_khan"),
    ],
)
def test_urgency(build: Build, marks: tuple[str, ...], expected: str | None) -> None:
    text = build(header=header(*marks, "Số: 07/CĐ-UBND", "Lạng Sơn, ngày 09/4/2022", ""))
    assert parse_directive(text).urgency == expected


def test_urgency_on_the_number_line(build: Build) -> None:
    text = build(header=header("Số: 07/CĐ-UBND     KHẨN", "Lạng Sơn, ngày 09/4/2022", ""))
    assert parse_directive(text).urgency == "khan"


def test_title_with_urgency(build: Build) -> None:
    text = build(
        header=header("Số: 07/CĐ-UBND", "Lạng Sơn, ngày 09/4/2022", "CÔNG ĐIỆN KHẨN", "Về việc ứng phó bão", "")
    )
    directive = parse_directive(text)
    assert (directive.doc_type, directive.urgency, directive.subject) == ("cong_dien", "khan", "ứng phó bão")


# --- issuer -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "parent", "issuer"),
    [
        (("UBND TỈNH LẠNG SƠN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"), "UBND TỈNH LẠNG SƠN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
        (
            ("UBND TỈNH LẠNG SƠN", "SỞ THÔNG TIN VÀ", "TRUYỀN THÔNG"),
            "UBND TỈNH LẠNG SƠN",
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        ),
        (("ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN"), None, "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"),
        (
            ("UBND HUYỆN CAO LỘC", "BAN CHỈ ĐẠO PHÒNG, CHỐNG", "DỊCH COVID-19"),
            "UBND HUYỆN CAO LỘC",
            "BAN CHỈ ĐẠO PHÒNG, CHỐNG DỊCH COVID-19",
        ),
        (("TỈNH ỦY LẠNG SƠN", "BAN TUYÊN GIÁO"), "TỈNH ỦY LẠNG SƠN", "BAN TUYÊN GIÁO"),
        # No issuer block: the body that speaks in the preamble ("Sở Thông tin và Truyền thông đề nghị").
        ((), None, "Sở Thông tin và Truyền thông"),
    ],
)
def test_issuer(build: Build, lines: tuple[str, ...], parent: str | None, issuer: str | None) -> None:
    text = build(header=header(*lines, "-------", "Số: 12/UBND-VX", "Lạng Sơn, ngày 09/4/2022", ""))
    directive = parse_directive(text)
    assert (directive.issuer_parent, directive.issuer) == (parent, issuer)


# --- layouts: the same header in every arrangement ---------------------------------------------------------

TWO_COLUMN_HEADERS = {
    "tabs": header(
        "UBND TỈNH LẠNG SƠN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\tĐộc lập - Tự do - Hạnh phúc",
        "Số: 210/STTTT-TTBCXB\tLạng Sơn, ngày 09 tháng 4 năm 2022",
        "V/v tuyên truyền phòng, chống dịch bệnh",
    ),
    "spaces": header(
        "   UBND TỈNH LẠNG SƠN              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG            Độc lập - Tự do - Hạnh phúc",
        "",
        "Số: 210/STTTT-TTBCXB                Lạng Sơn, ngày 09 tháng 4 năm 2022",
        "V/v tuyên truyền phòng, chống",
        "dịch bệnh",
    ),
    "markdown": header(
        "| UBND TỈNH LẠNG SƠN<br>**SỞ THÔNG TIN VÀ TRUYỀN THÔNG** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>"
        "**Độc lập - Tự do - Hạnh phúc** |",
        "|:---:|:---:|",
        "| Số: 210/STTTT-TTBCXB<br>V/v tuyên truyền phòng, chống dịch bệnh | *Lạng Sơn, ngày 09 tháng 4 năm 2022* |",
    ),
    "single-space": header(
        "UBND TỈNH LẠNG SƠN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG Độc lập - Tự do - Hạnh phúc",
        "Số: 210/STTTT-TTBCXB Lạng Sơn, ngày 09 tháng 4 năm 2022",
        "V/v tuyên truyền phòng, chống dịch bệnh",
    ),
    "right-column-first": header(
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lạng Sơn, ngày 09 tháng 4 năm 2022",
        "",
        "UBND TỈNH LẠNG SƠN",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Số: 210/STTTT-TTBCXB",
        "V/v tuyên truyền phòng, chống dịch bệnh",
    ),
    "subject-after-date": header(
        "UBND TỈNH LẠNG SƠN",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "Số: 210/STTTT-TTBCXB",
        "Lạng Sơn, ngày 09 tháng 4 năm 2022",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM - Độc lập - Tự do - Hạnh phúc",
        "",
        "V/v tuyên truyền phòng, chống dịch bệnh",
    ),
}


@pytest.mark.parametrize("layout", sorted(TWO_COLUMN_HEADERS))
def test_header_layouts(build: Build, layout: str) -> None:
    recipients = "Kính gửi:\n- Báo Lạng Sơn;\n- Đài Phát thanh và Truyền hình tỉnh.\n"
    directive = parse_directive(build(header=TWO_COLUMN_HEADERS[layout] + "\n" + recipients))
    assert directive.issuer_parent == "UBND TỈNH LẠNG SƠN"
    assert directive.issuer == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert (directive.number, directive.notation) == ("210/STTTT-TTBCXB", "STTTT-TTBCXB")
    assert (directive.place, directive.issued_on) == ("Lạng Sơn", "2022-04-09")
    assert directive.subject == "tuyên truyền phòng, chống dịch bệnh"
    assert directive.recipients == ("Báo Lạng Sơn", "Đài Phát thanh và Truyền hình tỉnh")
    assert directive.doc_type == "cong_van"
    assert directive.preamble == "Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị:"


# --- recipients -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("Kính gửi: Ủy ban nhân dân các huyện, thành phố.",), ("Ủy ban nhân dân các huyện, thành phố",)),
        (("Kính gửi: Sở Y tế; Sở Giáo dục và Đào tạo.",), ("Sở Y tế", "Sở Giáo dục và Đào tạo")),
        (("Kính gửi:", "", "UBND các xã, thị trấn."), ("UBND các xã, thị trấn",)),
        (
            ("Kính gửi:", "- Báo Lạng Sơn;", "", "- Đài Phát thanh và Truyền hình tỉnh."),
            ("Báo Lạng Sơn", "Đài Phát thanh và Truyền hình tỉnh"),
        ),
        (
            ("Kính gửi:", "- Phòng Văn hóa và Thông tin các huyện,", "thành phố;", "+ Trung tâm Văn hóa."),
            ("Phòng Văn hóa và Thông tin các huyện, thành phố", "Trung tâm Văn hóa"),
        ),
        (
            ("Kính gửi: - Báo Lạng Sơn;", "- Đài Phát thanh và Truyền hình tỉnh./."),
            ("Báo Lạng Sơn", "Đài Phát thanh và Truyền hình tỉnh"),
        ),
        (
            ("**Kính gửi:**", "• Báo Lạng Sơn;", "• Đài Phát thanh và Truyền hình tỉnh."),
            ("Báo Lạng Sơn", "Đài Phát thanh và Truyền hình tỉnh"),
        ),
        ((), ()),
    ],
)
def test_recipients(build: Build, lines: tuple[str, ...], expected: tuple[str, ...]) -> None:
    text = build(header=header("Số: 12/UBND-VX", "Lạng Sơn, ngày 09/4/2022", "V/v tuyên truyền", "", *lines, ""))
    directive = parse_directive(text)
    assert directive.recipients == expected
    assert directive.preamble == "Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị:"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ("CHỦ TỊCH UBND TỈNH điện:", "- Giám đốc các Sở, ngành;", "- Chủ tịch UBND các huyện, thành phố."),
            ("Giám đốc các Sở, ngành", "Chủ tịch UBND các huyện, thành phố"),
        ),
        (
            ("THỦ TƯỚNG CHÍNH PHỦ điện: Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương.",),
            ("Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương",),
        ),
        (
            ("BAN CHỈ ĐẠO PHÒNG, CHỐNG THIÊN TAI TỈNH điện :", "", "- Các thành viên Ban Chỉ đạo;"),
            ("Các thành viên Ban Chỉ đạo",),
        ),
    ],
)
def test_telegram_recipients(build: Build, lines: tuple[str, ...], expected: tuple[str, ...]) -> None:
    text = build(
        header=header("Số: 07/CĐ-UBND", "Lạng Sơn, ngày 09/4/2022", "CÔNG ĐIỆN", "Về việc ứng phó bão", "", *lines, "")
    )
    directive = parse_directive(text)
    assert directive.recipients == expected
    assert directive.doc_type == "cong_dien"


def test_fixture_headers(fixture_text: Callable[[str], str]) -> None:
    wrapped = parse_directive(fixture_text("cong_van_wrapped.txt"))
    assert wrapped.subject == "tuyên truyền bảo đảm trật tự, an toàn tại các lễ hội xuân năm 2023"
    assert wrapped.recipients == ("UBND các huyện, thành phố", "Phòng Văn hóa và Thông tin các huyện, thành phố")
    assert wrapped.urgency == "hoa_toc"
    spaces = parse_directive(fixture_text("thong_bao_spaces.txt"))
    assert (spaces.issuer_parent, spaces.issuer) == ("UBND TỈNH LẠNG SƠN", "SỞ Y TẾ")
    assert (spaces.doc_type, spaces.urgency, spaces.issued_on) == ("thong_bao", "thuong_khan", "2022")
    assert spaces.subject == "Tình hình dịch bệnh tay chân miệng và khuyến cáo phòng bệnh cho trẻ em mầm non"
    assert spaces.recipients == ()
