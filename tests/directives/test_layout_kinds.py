"""The layouts offices really receive, kind by kind: each kind read right in several documents of other issuers."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadcast.directives import DirectiveRecord, Reference, Signer, parse_directive
from broadcast.directives.issuers import infer_issuer, issuer_of_notation
from broadcast.directives.markers import classify
from broadcast.errors import ParseError

BODY = "Đề nghị bà con nhân dân chủ động phòng tránh, bảo đảm an toàn tính mạng và tài sản./.\n"
TAIL = "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLò Văn Páo\n"


def parse(*lines: str, body: str = BODY, tail: str = TAIL) -> DirectiveRecord:
    return parse_directive("\n".join(lines) + "\n\n" + body + tail)


# --- portal_lines: the header is searched for below a portal's title, time stamp and category -------------


@pytest.mark.parametrize(
    ("above", "issuer", "parent"),
    [
        (
            ("Trang thông tin điện tử xã Hữu Kiên", "Cập nhật lúc 08:15 ngày 05/03/2024", "Tin tức - Sự kiện", ""),
            "ỦY BAN NHÂN DÂN XÃ HỮU KIÊN",
            "ỦY BAN NHÂN DÂN HUYỆN NẬM NHÙN",
        ),
        (
            ("CỔNG THÔNG TIN ĐIỆN TỬ TỈNH QUẢNG NGÃI", "Thứ Hai, 17/06/2019 - 09:30", "Chỉ đạo điều hành", ""),
            "ỦY BAN NHÂN DÂN XÃ HỮU KIÊN",
            "ỦY BAN NHÂN DÂN HUYỆN NẬM NHÙN",
        ),
        (
            ("Văn bản chỉ đạo điều hành - Sở Y tế", "Ngày ban hành: 16/01/2024", "Lượt xem: 120", ""),
            "ỦY BAN NHÂN DÂN XÃ HỮU KIÊN",
            "ỦY BAN NHÂN DÂN HUYỆN NẬM NHÙN",
        ),
    ],
)
def test_lines_above_the_header(above: tuple[str, ...], issuer: str, parent: str) -> None:
    record = parse(
        *above,
        "ỦY BAN NHÂN DÂN HUYỆN NẬM NHÙN",
        "ỦY BAN NHÂN DÂN XÃ HỮU KIÊN",
        "Số: 15/TB-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hữu Kiên, ngày 05 tháng 3 năm 2024",
        "",
        "THÔNG BÁO",
        "Về việc tạm dừng cấp nước sinh hoạt",
    )
    assert (record.issuer, record.issuer_parent) == (issuer, parent)
    assert (record.number, record.place, record.issued_on) == ("15/TB-UBND", "Hữu Kiên", "2024-03-05")
    assert (record.doc_type, record.subject) == ("thong_bao", "tạm dừng cấp nước sinh hoạt")


def test_portal_lines_above_a_so_without_issuer_block() -> None:
    record = parse(
        "Văn bản chỉ đạo điều hành - Sở Nông nghiệp và PTNT",
        "Ngày ban hành: 16/01/2024",
        "",
        "Số: 96/SNN-CNTY",
        "Yên Bái, ngày 16 tháng 01 năm 2024",
        "V/v chủ động phòng, chống đói, rét cho đàn vật nuôi",
        "",
        "Kính gửi: Ủy ban nhân dân các huyện, thị xã, thành phố.",
        body="Sở Nông nghiệp và Phát triển nông thôn đề nghị các huyện chỉ đạo các xã tuyên truyền./.\n",
    )
    assert (record.number, record.place, record.issued_on) == ("96/SNN-CNTY", "Yên Bái", "2024-01-16")
    assert record.recipients == ("Ủy ban nhân dân các huyện, thị xã, thành phố",)
    assert (record.issuer, record.issuer_inferred) == ("Sở Nông nghiệp và Phát triển nông thôn", True)


# --- legal_paste: borders, rules, interleaved columns, fields split over two lines -------------------------


@pytest.mark.parametrize(
    "lines",
    [
        # "|" lines, "-----" rules, "Số:" then the number, motto and place-and-date each over two lines.
        (
            "|",
            "ỦY BAN NHÂN DÂN",
            "TỈNH QUẢNG NGÃI",
            "|",
            "CỘNG HÒA XÃ HỘI",
            "CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "---------------",
            "Số:",
            "1234/UBND-KGVX",
            "|",
            "Quảng Ngãi, ngày",
            "15 tháng 6 năm 2019",
            "|",
            "V/v phòng, chống dịch bệnh tay chân miệng",
        ),
        # The two columns pasted as "left | right".
        (
            "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "TỈNH QUẢNG NGÃI | Độc lập - Tự do - Hạnh phúc",
            "------- | ---------------",
            "Số: 1234/UBND-KGVX | Quảng Ngãi, ngày 15 tháng 6 năm 2019",
            "| |",
            "V/v phòng, chống dịch bệnh tay chân miệng",
        ),
        # The columns interleaved line by line.
        (
            "ỦY BAN NHÂN DÂN",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "TỈNH QUẢNG NGÃI",
            "Độc lập - Tự do -",
            "Hạnh phúc",
            "Số: 1234/UBND-KGVX",
            "Quảng Ngãi, ngày 15 tháng 6",
            "năm 2019",
            "V/v phòng, chống dịch bệnh tay chân miệng",
        ),
    ],
)
def test_legal_site_pastes(lines: tuple[str, ...]) -> None:
    record = parse(*lines, "", "Kính gửi: Sở Y tế tỉnh.")
    assert (record.issuer, record.issuer_parent) == ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", None)
    assert (record.number, record.notation) == ("1234/UBND-KGVX", "UBND-KGVX")
    assert (record.place, record.issued_on) == ("Quảng Ngãi", "2019-06-15")
    assert record.subject == "phòng, chống dịch bệnh tay chân miệng"
    assert record.recipients == ("Sở Y tế tỉnh",)


def test_signature_in_a_pasted_column() -> None:
    tail = "\nNơi nhận: | TM. ỦY BAN NHÂN DÂN\n- Các ấp; | KT. CHỦ TỊCH\n- Lưu: VP. | P.CHỦ TỊCH\n| Võ Thị Kim Loan\n"
    record = parse("UBND XÃ TÂN THÀNH", "Số: 48/TB-UBND", "Tân Thành, ngày 22 tháng 4 năm 2021", tail=tail)
    assert record.signer == Signer("Võ Thị Kim Loan", "Phó Chủ tịch", "TM. Ủy ban nhân dân; KT. Chủ tịch")


# --- one_line_header, no_so_prefix, time_before_date -------------------------------------------------------


@pytest.mark.parametrize(
    ("issuer", "line", "number", "urgency", "issued_on"),
    [
        (
            "ỦY BAN NHÂN DÂN HUYỆN BA TƠ",
            "CÔNG ĐIỆN HỎA TỐC Số: 09/CĐ-UBND hồi 15h30, ngày 02 tháng 8 năm 2021",
            "09/CĐ-UBND",
            "hoa_toc",
            "2021-08-02",
        ),
        (
            "BAN CHỈ HUY PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN TỈNH",
            "CÔNG ĐIỆN KHẨN 12/CĐ-BCH hồi 14 giờ ngày 10/10/2020",
            "12/CĐ-BCH",
            "khan",
            "2020-10-10",
        ),
        (
            "SỞ Y TẾ",
            "CÔNG ĐIỆN Số 03/CĐ-SYT, vào hồi 8 giờ 30 phút, ngày 05 tháng 9 năm 2020",
            "03/CĐ-SYT",
            None,
            "2020-09-05",
        ),
    ],
)
def test_type_number_time_and_date_on_one_line(
    issuer: str, line: str, number: str, urgency: str | None, issued_on: str
) -> None:
    record = parse(issuer, line, "Về việc ứng phó với mưa lũ")
    assert (record.doc_type, record.number, record.urgency) == ("cong_dien", number, urgency)
    assert (record.issued_on, record.place, record.issuer) == (issued_on, None, issuer)
    assert record.subject == "ứng phó với mưa lũ"


@pytest.mark.parametrize(
    ("lines", "number", "place", "issued_on", "doc_type"),
    [
        (("UBND XÃ PHÚ CƯỜNG", "THÔNG BÁO 32/TB-UBND Phú Cường, ngày 06 tháng 7 năm 2022"), "32/TB-UBND", "Phú Cường",
         "2022-07-06", "thong_bao"),
        (("UBND HUYỆN ĐIỆN BIÊN", "102/TB-UBND", "Điện Biên, hồi 14 giờ ngày 20 tháng 5 năm 2024"), "102/TB-UBND",
         "Điện Biên", "2024-05-20", "thong_bao"),
        (("UBND XÃ NÀ HỲ", "Số: 56/UBND-VP", "Nà Hỳ, hồi 10 giờ 30 phút ngày 18 tháng 12 năm 2023"), "56/UBND-VP",
         "Nà Hỳ", "2023-12-18", "other"),
        (("BAN CHỈ HUY QUÂN SỰ HUYỆN", "15/KH-BCH", "Vào hồi 16 giờ 30 ngày 05/9/2020"), "15/KH-BCH", None,
         "2020-09-05", "ke_hoach"),
    ],
)  # fmt: skip
def test_number_without_so_and_time_before_date(
    lines: tuple[str, ...], number: str, place: str | None, issued_on: str, doc_type: str
) -> None:
    record = parse(*lines, "V/v tạm dừng cấp nước sinh hoạt")
    assert (record.number, record.place, record.issued_on) == (number, place, issued_on)
    assert record.doc_type in (doc_type, "cong_van")
    assert record.subject == "tạm dừng cấp nước sinh hoạt"


# --- number_spaces: in the header and in references -------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "number", "notation"),
    [
        ("Số: 87/CV - UBND", "87/CV-UBND", "CV-UBND"),
        ("Số 2031- CV/ HU", "2031-CV/HU", "CV/HU"),
        ("Số: 45 / KH - BCĐ", "45/KH-BCĐ", "KH-BCĐ"),
        ("Số: 112- KH/ TU", "112-KH/TU", "KH/TU"),
    ],
)
def test_spaces_inside_the_number(printed: str, number: str, notation: str) -> None:
    record = parse("HUYỆN ỦY NẬM NHÙN", "*", printed, "Nậm Nhùn, ngày 28 tháng 02 năm 2024")
    assert (record.number, record.notation, record.issuer) == (number, notation, "HUYỆN ỦY NẬM NHÙN")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Thực hiện Công văn số 2031- CV/ HU ngày 28/02/2024 của Huyện ủy Nậm Nhùn về việc tuyển quân, Đảng ủy "
            "xã yêu cầu:",
            Reference("2031-CV/HU", "cong_van", "2024-02-28", "Huyện ủy Nậm Nhùn"),
        ),
        (
            "Căn cứ Công văn số 1245 / UBND-VHTT ngày 01/3/2024 của UBND huyện Nậm Nhùn về việc tuyên truyền, "
            "UBND xã đề nghị:",
            Reference("1245/UBND-VHTT", "cong_van", "2024-03-01", "UBND huyện Nậm Nhùn"),
        ),
        (
            "Thực hiện Kế hoạch số 640/KH - BATGT ngày 10/02/2023 của Ban An toàn giao thông tỉnh Lai Châu, UBND "
            "huyện xây dựng Kế hoạch như sau:",
            Reference("640/KH-BATGT", "ke_hoach", "2023-02-10", "Ban An toàn giao thông tỉnh Lai Châu"),
        ),
    ],
)
def test_spaces_inside_a_reference_keep_its_date_and_issuer(text: str, expected: Reference) -> None:
    record = parse("UBND XÃ HỮU KIÊN", "Số: 15/UBND", "Hữu Kiên, ngày 05 tháng 3 năm 2024", body=text + "\n" + BODY)
    assert record.references == (expected,)


# --- cong_dien_dien: ĐIỆN introduces the recipients; the sending-time line is no subject --------------------


@pytest.mark.parametrize(
    "dien",
    [
        ("CHỦ TỊCH UBND HUYỆN QUẢNG NINH ĐIỆN:", "- Chủ tịch UBND các xã, thị trấn;", "- Trưởng các cơ quan, đơn vị."),
        ("ĐIỆN:", "Chủ tịch UBND các xã, thị trấn;", "Trưởng các cơ quan, đơn vị."),
        ("BAN CHỈ HUY PCTT VÀ TKCN TỈNH ĐIỆN", "Chủ tịch UBND các xã, thị trấn", "Trưởng các cơ quan, đơn vị"),
        ("- ĐIỆN -", "Chủ tịch UBND các xã, thị trấn;", "Trưởng các cơ quan, đơn vị."),
    ],
)
def test_dien_introduces_recipients(dien: tuple[str, ...]) -> None:
    record = parse(
        "ỦY BAN NHÂN DÂN HUYỆN QUẢNG NINH",
        "Số: 05/CĐ-UBND",
        "Quảng Ninh, ngày 16 tháng 10 năm 2020",
        "",
        "CÔNG ĐIỆN",
        "Về việc tập trung ứng phó lũ lớn",
        "",
        *dien,
        "Vào hồi 21 giờ ngày 16/10/2020",
    )
    assert record.recipients == ("Chủ tịch UBND các xã, thị trấn", "Trưởng các cơ quan, đơn vị")
    assert record.subject == "tập trung ứng phó lũ lớn"
    assert "Vào hồi" not in (record.preamble or "")


def test_sending_time_line_is_not_the_subject() -> None:
    record = parse("UBND TỈNH QUẢNG TRỊ", "CÔNG ĐIỆN", "Số: 07/CĐ-UBND", "Vào hồi 16 giờ 30 ngày 05/9/2020")
    assert (record.subject, record.issued_on) == (None, "2020-09-05")


# --- list_markers -------------------------------------------------------------------------------------------


def test_dash_numbered_items_are_sections_not_references() -> None:
    body = "1- Tuyên truyền người dân phòng, chống dịch.\n2- UBND các xã báo cáo kết quả.\n" + BODY
    record = parse("UBND HUYỆN BA TƠ", "Số: 21/UBND", "Ba Tơ, ngày 02 tháng 3 năm 2023", body=body)
    assert record.references == ()
    assert [section.label for section in record.sections] == ["1.", "2."]
    assert classify("2031- CV/HU ngày 28/02/2024") is None


def test_part_with_its_title_on_the_next_line() -> None:
    body = (
        "Phần I\nMỤC ĐÍCH, YÊU CẦU\n1- Nâng cao nhận thức của người dân.\nPhần II\nNỘI DUNG\n"
        "a) Tuyên truyền trên loa truyền thanh.\nb) Tuyên truyền qua tờ rơi.\nPhần III\nTỔ CHỨC THỰC HIỆN\n"
        "Giao Sở Thông tin và Truyền thông chủ trì./.\n"
    )
    record = parse("UBND TỈNH QUẢNG NGÃI", "Số: 45/KH-UBND", "Quảng Ngãi, ngày 02 tháng 3 năm 2023", body=body)
    assert [(s.label, s.title) for s in record.sections] == [
        ("Phần I", "MỤC ĐÍCH, YÊU CẦU"),
        ("Phần II", "NỘI DUNG"),
        ("Phần III", "TỔ CHỨC THỰC HIỆN"),
    ]
    assert [child.label for child in record.sections[1].children] == ["a)", "b)"]


def test_roman_numerals_and_articles() -> None:
    body = "I. MỤC ĐÍCH\nNâng cao nhận thức.\nII. NỘI DUNG\nTuyên truyền trên loa.\n"
    record = parse("SỞ Y TẾ", "Số: 12/KH-SYT", "Yên Bái, ngày 02 tháng 3 năm 2023", body=body + BODY)
    assert [s.title for s in record.sections] == ["MỤC ĐÍCH", "NỘI DUNG"]
    articles = "Điều 1. Ban hành quy chế.\nĐiều 2. Hiệu lực thi hành./.\n"
    record = parse("UBND XÃ NÀ HỲ", "Số: 3/QĐ-UBND", "Nà Hỳ, ngày 02 tháng 3 năm 2023", body=articles)
    assert [s.label for s in record.sections] == ["Điều 1", "Điều 2"]


# --- short_signer -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("KT. CHỦ TỊCH\nP.CHỦ TỊCH\n\nTrần Ngọc Căng", Signer("Trần Ngọc Căng", "Phó Chủ tịch", "KT. Chủ tịch")),
        ("KT. CHỦ TỊCH\nPCT\n\nGiàng A Chư", Signer("Giàng A Chư", "Phó Chủ tịch", "KT. Chủ tịch")),
        ("KT. GIÁM ĐỐC\nPGĐ\n\nNguyễn Văn Hùng", Signer("Nguyễn Văn Hùng", "Phó Giám đốc", "KT. Giám đốc")),
        (
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nTrần Phước Hiền",
            Signer("Trần Phước Hiền", "Phó Chủ tịch", "TM. Ủy ban nhân dân; KT. Chủ tịch"),
        ),
        ("CHỈ HUY TRƯỞNG\n\nThượng tá Hồ Văn Thành", Signer("Hồ Văn Thành", "Chỉ huy trưởng", None)),
    ],
)
def test_short_signer_titles(block: str, expected: Signer) -> None:
    tail = "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\n" + block + "\n"
    record = parse("UBND TỈNH QUẢNG NGÃI", "Số: 1/UBND", "Quảng Ngãi, ngày 02 tháng 3 năm 2023", tail=tail)
    assert record.signer == expected


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("KT. CHỦ TỊCH\nPHÓ CHỦ 7T!CH\n\nNguyễn Thị Lan", Signer("Nguyễn Thị Lan", "Phó Chủ tịch", "KT. Chủ tịch")),
        (
            "TM ỦY BAN NiIÂN DÂN\nCHỦ TỊCH\n\nHoàng Văn Thắng",
            Signer("Hoàng Văn Thắng", "Chủ tịch", "TM. Ủy ban nhân dân"),
        ),
        (
            "TL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\n\nTrần Quốc Thanh",
            Signer("Trần Quốc Thanh", "Phó Chánh Văn phòng", "TL. Chủ tịch; KT. Chánh Văn phòng"),
        ),
        (
            "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC SỞ Y TẾ\n\nLê Văn Hà",
            Signer("Lê Văn Hà", "Phó Giám đốc Sở Y tế", "KT. Giám đốc"),
        ),
    ],
)
def test_misread_signature_lines_are_mended_but_a_deputy_stays_a_deputy(block: str, expected: Signer) -> None:
    tail = "\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\n" + block + "\n"
    record = parse("UBND TỈNH QUẢNG NGÃI", "Số: 1/UBND", "Quảng Ngãi, ngày 02 tháng 3 năm 2023", tail=tail)
    assert record.signer == expected


# --- sentences_whole: a V/v line followed directly by the body ends at its line break ----------------------


def test_vv_line_then_body() -> None:
    record = parse(
        "UBND XÃ NÀ HỲ",
        "Số: 56/UBND-VP",
        "Nà Hỳ, ngày 18 tháng 12 năm 2023",
        "V/v tuyên truyền phòng, chống rét cho người và gia súc",
        "Ủy ban nhân dân xã đề nghị trưởng các bản thông báo để người dân che chắn chuồng trại./.",
        body="",
    )
    assert record.subject == "tuyên truyền phòng, chống rét cho người và gia súc"


# --- inferred_issuer ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notation", "preamble", "signer", "issuer"),
    [
        ("STTTT-TTBCXB", "Thời gian qua, tình trạng lừa đảo diễn biến phức tạp.", None, "Sở Thông tin và Truyền thông"),
        ("UBND", "Thực hiện Kế hoạch của tỉnh, Huyện đoàn Mường Khương đề nghị các cơ sở:", None,
         "Huyện đoàn Mường Khương"),
        ("TB-UBND", "Do mưa lớn kéo dài, nước suối dâng cao.",
         Signer("Tẩn Láo Sử", "Phó Chủ tịch", "TM. Ủy ban nhân dân huyện Sìn Hồ; KT. Chủ tịch"),
         "Ủy ban nhân dân huyện Sìn Hồ"),
        ("CV-BCHQS", None, None, "Ban Chỉ huy quân sự"),
        ("XYZ", "Không ai xưng danh.", None, None),
    ],
)  # fmt: skip
def test_infer_issuer(notation: str, preamble: str | None, signer: Signer | None, issuer: str | None) -> None:
    assert infer_issuer(preamble, notation, signer) == issuer


def test_issuer_codes_are_extendable() -> None:
    assert issuer_of_notation("CV-SXYZ") is None
    assert issuer_of_notation("CV-SXYZ", {"SXYZ": "Sở Xây dựng Yên"}) == "Sở Xây dựng Yên"


def test_parser_takes_extra_issuer_codes() -> None:
    text = "Số: 5/TB-BQLDA\nQuảng Ngãi, ngày 09 tháng 4 năm 2022\n\nTạm dừng thi công tuyến đường./.\n"
    assert parse_directive(text).issuer is None
    codes = {"BQLDA": "Ban Quản lý dự án huyện"}
    assert parse_directive(text, issuer_codes=codes).issuer == "Ban Quản lý dự án huyện"


def test_record_marks_an_inferred_issuer() -> None:
    record = parse("Số: 33/TB-STTTT", "Quảng Ngãi, ngày 09 tháng 4 năm 2022", "THÔNG BÁO", "Lịch tiếp sóng")
    assert (record.issuer, record.issuer_inferred) == ("Sở Thông tin và Truyền thông", True)
    named = parse("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: 33/TB-STTTT", "Quảng Ngãi, ngày 09 tháng 4 năm 2022")
    assert (named.issuer, named.issuer_inferred) == ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", False)


# --- no combination of these layouts crashes the parser -----------------------------------------------------

FRAGMENTS = (
    "|",
    "| |",
    "-----",
    "*",
    "Số:",
    "Số 2031- CV/ HU",
    "87/CV - UBND",
    "CỘNG HÒA XÃ HỘI",
    "CHỦ NGHĨA VIỆT NAM",
    "Quảng Ngãi, ngày",
    "15 tháng 6 năm 2019",
    "Điện Biên, hồi 14 giờ ngày 20 tháng 5 năm 2024",
    "CÔNG ĐIỆN HỎA TỐC Số: 09/CĐ-UBND hồi 15h30, ngày 02 tháng 8 năm 2021",
    "THÔNG BÁO 32/TB-UBND Phú Cường, ngày 06 tháng 7 năm 2022",
    "ĐIỆN:",
    "CHỦ TỊCH UBND TỈNH ĐIỆN",
    "Vào hồi 16 giờ 30 ngày 05/9/2020",
    "Phần I",
    "1- Tuyên truyền",
    "a) Thông báo",
    "Điều 1.",
    "V/v tuyên truyền",
    "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "TM ỦY BAN NiIÂN DÂN",
    "P.CHỦ TỊCH",
    "PCT",
    "Thượng tá Hồ Văn Thành",
    "Sở Thông tin và Truyền thông đề nghị các đài:",
    "",
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_layout_fragments_never_crash(lines: list[str]) -> None:
    try:
        record = parse_directive("\n".join(lines))
    except ParseError as error:
        assert "\n" not in str(error)
    else:
        assert record.issuer_inferred is False or record.issuer is not None
