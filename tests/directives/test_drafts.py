"""Drafts: one per top-level section, prose ready for listening, and which are meant for the public."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadcast.config import load_settings
from broadcast.directives import Draft, draft_messages, parse_directive, read_text
from broadcast.directives.announcements import builtin_rules, load_rules
from broadcast.directives.drafts import heading_title, is_for_offices, on_air_lines, sentence
from broadcast.errors import ConfigError, ParseError

Build = Callable[..., str]


def test_seedlike_sections_one_to_four_are_for_broadcast(fixture_text: Callable[[str], str]) -> None:
    drafts = draft_messages(parse_directive(fixture_text("cong_van_seedlike.txt")))
    assert [(draft.section_label, draft.for_broadcast) for draft in drafts] == [
        ("1.", True),
        ("2.", True),
        ("3.", True),
        ("4.", True),
        ("5.", False),
    ]
    assert drafts[4].title == "Đề nghị Phòng Văn hóa và Thông tin các huyện, thành phố"


def test_seedlike_prose(fixture_text: Callable[[str], str]) -> None:
    drafts = draft_messages(parse_directive(fixture_text("cong_van_seedlike.txt")))
    assert drafts[1] == Draft(
        title="Tuyên truyền phòng, chống đuối nước ở trẻ em",
        text=(
            "Tăng cường truyền thông về nguy cơ đuối nước trong dịp nghỉ hè, nhất là ở các ao, hồ, sông, suối, "
            "khu vực khai thác khoáng sản. Đề nghị cha mẹ, người chăm sóc trẻ quản lý chặt chẽ con em, không để "
            "trẻ đi bơi một mình.\n\n"
            "Phổ biến kỹ năng an toàn trong môi trường nước, hướng dẫn cách sơ cứu, cấp cứu ban đầu khi gặp "
            "người bị đuối nước."
        ),
        for_broadcast=True,
        section_label="2.",
    )
    # A section whose text ends without a period gets one; the reference stays as written.
    assert drafts[2].text.endswith("không sử dụng thực phẩm ôi thiu.")
    assert "Nghị định số 15/2018/NĐ-CP ngày 02/02/2018 của Chính phủ" in drafts[2].text


def test_ke_hoach_drafts(fixture_text: Callable[[str], str]) -> None:
    drafts = draft_messages(parse_directive(fixture_text("ke_hoach.md")))
    assert [(draft.title, draft.for_broadcast) for draft in drafts] == [
        ("Mục đích, yêu cầu", False),
        ("Nội dung tuyên truyền", True),
        ("Hình thức tuyên truyền", False),
        ("Tổ chức thực hiện", False),
    ]
    assert drafts[1].text == (
        "Tuyên truyền các văn bản pháp luật về phòng, chống thiên tai.\n\n"
        "Luật Phòng, chống thiên tai số 33/2013/QH13 và Luật sửa đổi, bổ sung số 60/2020/QH14. "
        "Nghị định số 66/2021/NĐ-CP ngày 06/7/2021 của Chính phủ quy định chi tiết thi hành Luật Phòng, "
        "chống thiên tai.\n\n"
        "Tuyên truyền kỹ năng phòng, tránh thiên tai.\n\n"
        "Trước mùa mưa bão: Gia cố nhà cửa, chặt tỉa cây xanh quanh nhà. Dự trữ lương thực, nước uống, "
        "thuốc men. Khi có lũ quét, sạt lở đất: Không đi qua ngầm tràn, suối khi nước lũ dâng cao. "
        "Di chuyển ngay đến nơi an toàn theo hướng dẫn của chính quyền."
    )
    for draft in drafts:
        assert not any(line.lstrip().startswith(("- ", "+ ", "a)", "b)")) for line in draft.text.split("\n"))


def test_list_intro_keeps_its_colon(build: Build) -> None:
    body = "1. Khuyến cáo người dân\n\nNgười dân cần:\n- rửa tay thường xuyên;\n- đeo khẩu trang,\n- tiêm vắc xin./.\n"
    draft = draft_messages(parse_directive(build(body=body)))[0]
    assert draft.text == "Người dân cần: Rửa tay thường xuyên. Đeo khẩu trang. Tiêm vắc xin."


def test_heading_only_section_speaks_its_title(build: Build) -> None:
    body = "1. Tiêm vắc xin phòng COVID-19 cho trẻ từ 5 đến dưới 12 tuổi\n2. Tổ chức thực hiện\nCác xã báo cáo./.\n"
    drafts = draft_messages(parse_directive(build(body=body)))
    assert drafts[0].text == "Tiêm vắc xin phòng COVID-19 cho trẻ từ 5 đến dưới 12 tuổi."
    assert [draft.for_broadcast for draft in drafts] == [True, False]


def test_body_without_sections_gives_one_draft(build: Build) -> None:
    body = "Sở Y tế khuyến cáo người dân:\n- Rửa tay thường xuyên;\n- Đeo khẩu trang nơi đông người.\n"
    drafts = draft_messages(parse_directive(build(body=body)))
    assert drafts == [
        Draft(
            title="Tuyên truyền phòng, chống dịch bệnh",
            text="Sở Y tế khuyến cáo người dân: Rửa tay thường xuyên. Đeo khẩu trang nơi đông người.",
            for_broadcast=True,
            section_label="",
        )
    ]


@pytest.mark.parametrize(
    ("title", "text", "for_offices"),
    [
        ("Tuyên truyền phòng, chống dịch", "Đẩy mạnh thông tin.", False),
        ("Đề nghị Phòng Văn hóa và Thông tin các huyện", "Đôn đốc, hướng dẫn.", True),
        ("Phòng Văn hóa và Thông tin các huyện", "Đôn đốc, hướng dẫn các xã tuyên truyền.", True),
        ("TỔ CHỨC THỰC HIỆN", "", True),
        ("Chế độ báo cáo", "", True),
        ("Kinh phí thực hiện", "", True),
        ("Trách nhiệm của các cơ quan", "", True),
        ("Phân công nhiệm vụ", "", True),
        ("Giải pháp", "Đề nghị các đơn vị báo cáo kết quả về Sở.", True),
        ("Khuyến cáo người dân", "Không tắm sông, suối.", False),
    ],
)
def test_for_offices(title: str, text: str, for_offices: bool) -> None:
    assert is_for_offices(title, text) is for_offices


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("rửa tay;", "Rửa tay."),
        ("rửa tay,", "Rửa tay."),
        ("Rửa tay", "Rửa tay."),
        ("rửa tay./.", "Rửa tay."),
        ("1- Tuyên truyền phòng, chống dịch", "Tuyên truyền phòng, chống dịch."),
        ("2 - rửa tay", "Rửa tay."),
        ("Rửa tay.", "Rửa tay."),
        ("“Đi từng ngõ, gõ từng nhà.”", "“Đi từng ngõ, gõ từng nhà.”"),
        ("nguyên tắc “5K”", "Nguyên tắc “5K”."),
        ("các nội dung sau:", "Các nội dung sau."),
        ("  ", ""),
    ],
)
def test_sentence(text: str, spoken: str) -> None:
    assert sentence(text) == spoken


def test_draft_json(fixture_text: Callable[[str], str]) -> None:
    draft = draft_messages(parse_directive(fixture_text("cong_van_seedlike.txt")))[0]
    assert draft.to_json_dict() == {
        "title": draft.title,
        "text": draft.text,
        "for_broadcast": True,
        "section_label": "1.",
    }


# --- words for listeners: the announcement rules ----------------------------------------------------------------

RULES = builtin_rules()


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        # Telling offices to inform people becomes telling people.
        (
            "Tuyên truyền người dân nâng cao cảnh giác, không tham gia tiếp tay mua bán thuốc không rõ nguồn gốc.",
            "Đề nghị bà con nhân dân nâng cao cảnh giác, không tham gia tiếp tay mua bán thuốc không rõ nguồn gốc.",
        ),
        ("Tuyên truyền để người dân diệt lăng quăng, bọ gậy.", "Đề nghị bà con nhân dân diệt lăng quăng, bọ gậy."),
        ("Tuyên truyền cho nhân dân không đốt nương rẫy.", "Đề nghị bà con nhân dân không đốt nương rẫy."),
        ("Vận động bà con không thả rông gia súc.", "Đề nghị bà con nhân dân không thả rông gia súc."),
        ("Vận động nhân dân tham gia tổng vệ sinh.", "Đề nghị bà con nhân dân tham gia tổng vệ sinh."),
        ("vận động người dân đi tiêm vắc xin;", "Đề nghị bà con nhân dân đi tiêm vắc xin."),
        ("Hướng dẫn người dân ngủ màn kể cả ban ngày.", "Đề nghị bà con nhân dân ngủ màn kể cả ban ngày."),
        ("Khuyến cáo người dân không tắm sông, suối.", "Đề nghị bà con nhân dân không tắm sông, suối."),
        ("Nhắc nhở người dân tắt bếp trước khi ra khỏi nhà.", "Đề nghị bà con nhân dân tắt bếp trước khi ra khỏi nhà."),
        (
            "Tăng cường thông tin, tuyên truyền người dân nâng cao ý thức bảo vệ rừng.",
            "Đề nghị bà con nhân dân nâng cao ý thức bảo vệ rừng.",
        ),
        (
            "Đẩy mạnh công tác tuyên truyền, vận động người dân không sử dụng pháo nổ.",
            "Đề nghị bà con nhân dân không sử dụng pháo nổ.",
        ),
        ("Tuyên truyền, vận động toàn thể nhân dân hưởng ứng.", "Đề nghị bà con nhân dân hưởng ứng."),
        ("Tuyên truyền người dân cần cảnh giác với cuộc gọi lạ.", "Đề nghị bà con nhân dân cảnh giác với cuộc gọi lạ."),
        ("Yêu cầu người dân không đi qua ngầm tràn.", "Đề nghị bà con nhân dân không đi qua ngầm tràn."),
        ("Kêu gọi nhân dân chung tay phòng, chống dịch.", "Đề nghị bà con nhân dân chung tay phòng, chống dịch."),
        ("Người dân cần đeo khẩu trang nơi đông người.", "Đề nghị bà con nhân dân đeo khẩu trang nơi đông người."),
        # Offices asked to pass the words on.
        (
            "Yêu cầu các thôn, bản tuyên truyền để người dân không đốt nương làm rẫy.",
            "Đề nghị bà con nhân dân không đốt nương làm rẫy.",
        ),
        (
            "Đề nghị UBND các xã, thị trấn tuyên truyền cho nhân dân chủ động phòng tránh.",
            "Đề nghị bà con nhân dân chủ động phòng tránh.",
        ),
        (
            "Yêu cầu trưởng các thôn vận động các hộ gia đình che chắn chuồng trại.",
            "Đề nghị các hộ gia đình che chắn chuồng trại.",
        ),
        # Telling people something.
        ("Thông báo cho nhân dân biết lịch cắt điện.", "Xin thông báo để bà con nhân dân biết lịch cắt điện."),
        ("Thông báo rộng rãi để nhân dân biết: ", "Xin thông báo để bà con nhân dân biết:"),
        (
            "Thông báo rộng rãi để thanh niên trong độ tuổi và gia đình biết lịch khám tuyển.",
            "Xin thông báo để thanh niên trong độ tuổi và gia đình biết lịch khám tuyển.",
        ),
        # Groups of people keep their name.
        ("Vận động cha mẹ quản lý chặt chẽ con em.", "Đề nghị cha mẹ quản lý chặt chẽ con em."),
        ("Hướng dẫn ngư dân đưa tàu thuyền vào nơi tránh trú.", "Đề nghị ngư dân đưa tàu thuyền vào nơi tránh trú."),
        (
            "Khuyến cáo người chăn nuôi tiêm phòng cho đàn vật nuôi.",
            "Đề nghị người chăn nuôi tiêm phòng cho đàn vật nuôi.",
        ),
        (
            "Tuyên truyền, vận động thanh niên hăng hái lên đường nhập ngũ.",
            "Đề nghị thanh niên hăng hái lên đường nhập ngũ.",
        ),
        ("Thông báo đến từng hộ dân ở vùng trũng kê cao đồ đạc.", "Đề nghị từng hộ dân ở vùng trũng kê cao đồ đạc."),
        ("Hướng dẫn cử tri kiểm tra danh sách cử tri.", "Đề nghị cử tri kiểm tra danh sách cử tri."),
        # Every sentence of a paragraph is read on its own.
        (
            "Đẩy mạnh tuyên truyền để người dân diệt bọ gậy. Hướng dẫn người dân ngủ màn.",
            "Đề nghị bà con nhân dân diệt bọ gậy. Đề nghị bà con nhân dân ngủ màn.",
        ),
        # Left as written: no people addressed, or another word that starts alike.
        (
            "Tuyên truyền các văn bản pháp luật về phòng, chống thiên tai.",
            "Tuyên truyền các văn bản pháp luật về phòng, chống thiên tai.",
        ),
        ("Tuyên truyền người dân tộc thiểu số về chính sách.", "Tuyên truyền người dân tộc thiểu số về chính sách."),
        ("Người dân cần: rửa tay thường xuyên.", "Người dân cần: rửa tay thường xuyên."),
        ("Không đốt nương rẫy trong những ngày nắng nóng.", "Không đốt nương rẫy trong những ngày nắng nóng."),
        ("Bà con nhân dân chủ động dự trữ nước.", "Bà con nhân dân chủ động dự trữ nước."),
    ],
)
def test_rewrite_for_listeners(written: str, spoken: str) -> None:
    assert RULES.rewrite(sentence(written, intro=True)) == spoken.strip()


@pytest.mark.parametrize(
    ("title", "text", "for_offices"),
    [
        # Reporting duties and assignments to departments stay with offices.
        ("Chế độ báo cáo", "Các xã báo cáo kết quả về Phòng Văn hóa và Thông tin.", True),
        ("Báo cáo", "Báo cáo tình hình dịch bệnh vào thứ Sáu hằng tuần.", True),
        ("Sở Y tế", "Bảo đảm đủ vắc xin, tổ chức tiêm an toàn.", True),
        ("Công an tỉnh", "Tăng cường tuần tra, kiểm soát.", True),
        ("Trung tâm Văn hóa, Thông tin và Thể thao huyện", "Xây dựng tin, bài cảnh báo.", True),
        ("Chủ tịch UBND các huyện, thị xã, thành phố", "Tổ chức sơ tán người dân.", True),
        ("Đài Phát thanh và Truyền hình tỉnh", "Thông tin liên tục diễn biến của bão để nhân dân biết.", True),
        ("Các sở, ban, ngành", "Chủ động triển khai biện pháp ứng phó.", True),
        ("Hạt Kiểm lâm huyện", "Chủ trì, phối hợp với UBND các xã.", True),
        ("", "Ủy ban nhân dân các xã, thị trấn báo cáo kết quả về UBND huyện trước ngày 30/10/2023.", True),
        ("Giám sát, xử lý ổ dịch", "Tổ chức giám sát chặt chẽ.", True),
        ("MỤC TIÊU", "Trên 95% trẻ em được tiêm.", True),
        # Sections that speak to people go on air, whoever the text first addresses.
        ("Tuyên truyền người dân nâng cao cảnh giác", "Không cung cấp mã OTP cho người lạ.", False),
        ("Đề nghị bà con nhân dân", "Mở cửa nhà để đội phun thuốc làm việc.", False),
        ("", "Yêu cầu các thôn, bản tuyên truyền để người dân không đốt nương.", False),
        ("Phòng, chống dịch sốt xuất huyết", "Diệt lăng quăng, bọ gậy quanh nhà.", False),
        ("Thời gian bầu cử", "Từ 07 giờ đến 19 giờ Chủ nhật ngày 23/5/2021.", False),
        ("Khuyến cáo", "Người dân không chuyển tiền cho người lạ.", False),
        ("Kiểm tra danh sách", "Cử tri kiểm tra tên, ngày sinh trong danh sách.", False),
        ("Đài Phát thanh - Truyền hình tỉnh, Báo Quảng Ngãi", "Tuyên truyền để người dân chấp hành luật.", False),
        ("Các địa phương", "Thông báo đến từng hộ dân ở vùng trũng kê cao đồ đạc.", False),
    ],
)
def test_office_sections(title: str, text: str, for_offices: bool) -> None:
    assert is_for_offices(title, text) is for_offices


@pytest.mark.parametrize(
    "line",
    [
        "Vào hồi 16 giờ 30 ngày 05/9/2020",
        "Vào hồi 21 giờ ngày 16/10/2020",
        "hồi 15h30, ngày 02 tháng 8 năm 2021",
        "Hồi 09 giờ 15 phút ngày 14/10/2022.",
        "V/v tăng cường phòng, chống dịch sốt xuất huyết",
        "Nà Hỳ, hồi 10 giờ 30 phút ngày 18 tháng 12 năm 2023",
        "Quảng Ngãi, ngày 15 tháng 6 năm 2019",
        "Hà Nội, ngày 05/9/2020.",
        "CHỈ THỊ",
        "CÔNG ĐIỆN HỎA TỐC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ],
)
def test_lines_never_on_air(line: str) -> None:
    assert RULES.is_dropped(line)
    assert on_air_lines([line, "Không đi qua ngầm tràn."], RULES) == ["Không đi qua ngầm tràn."]


def test_a_sentence_about_a_time_stays() -> None:
    line = "Hồi 19 giờ ngày 25/9/2022 vị trí tâm bão số 4 cách đảo Lý Sơn khoảng 430 km về phía Đông."
    assert on_air_lines([line], RULES) == [line]


@pytest.mark.parametrize(
    "lines",
    [
        ["ĐIỆN:", "- Trưởng các thôn;", "- Công an xã, Ban Chỉ huy Quân sự xã."],
        ["CHỦ TỊCH UBND HUYỆN QUẢNG NINH ĐIỆN:", "Chủ tịch UBND các xã, thị trấn;", "Trưởng các cơ quan, đơn vị."],
        ["BAN CHỈ HUY PCTT VÀ TKCN TỈNH ĐIỆN", "Ban Chỉ huy PCTT và TKCN các huyện", "Các sở, ban, ngành cấp tỉnh"],
        ["Kính gửi: Trưởng các bản trên địa bàn xã."],
        ["Kính gửi:", "- Ủy ban nhân dân các xã;", "- Trạm Y tế xã."],
    ],
)
def test_recipient_lists_never_on_air(lines: list[str]) -> None:
    body = "Lũ trên sông Long Đại đang lên nhanh, vượt mức báo động III, đề nghị bà con nhân dân không vớt củi."
    time = "Vào hồi 21 giờ ngày 16/10/2020"
    assert on_air_lines([*lines, time, body], RULES) == [body]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (
            [
                "Vào sáng Chủ nhật ngày 13 tháng 8 năm 2023, các hộ gia đình dọn dẹp vệ sinh trong nhà",
                "và xung quanh nơi ở.",
            ],
            [
                "Vào sáng Chủ nhật ngày 13 tháng 8 năm 2023, các hộ gia đình dọn dẹp vệ sinh trong nhà "
                "và xung quanh nơi ở."
            ],
        ),
        (
            ["Thời gian gần đây đã xảy ra 02 trường hợp tử vong do bệnh dại tại xã Thạch Đạn và xã", "Bảo Lâm."],
            ["Thời gian gần đây đã xảy ra 02 trường hợp tử vong do bệnh dại tại xã Thạch Đạn và xã Bảo Lâm."],
        ),
        (
            ["Khơi thông cống rãnh,", "Phát quang bụi rậm."],
            ["Khơi thông cống rãnh, Phát quang bụi rậm."],
        ),
        (
            ["Thời gian niêm yết", "Danh sách cử tri được niêm yết tại nhà văn hóa."],
            ["Thời gian niêm yết", "Danh sách cử tri được niêm yết tại nhà văn hóa."],
        ),
        (
            ["Đối tượng:", "- trẻ em dưới 1 tuổi;", "- phụ nữ có thai."],
            ["Đối tượng:", "- trẻ em dưới 1 tuổi;", "- phụ nữ có thai."],
        ),
        (["Rửa tay thường xuyên.", "Đeo khẩu trang."], ["Rửa tay thường xuyên.", "Đeo khẩu trang."]),
    ],
)
def test_line_breaks_inside_sentences_are_joined(lines: list[str], joined: list[str]) -> None:
    assert on_air_lines(lines, RULES) == joined


def test_a_line_break_never_becomes_a_full_stop(build: Build) -> None:
    body = (
        "1. Tổng vệ sinh môi trường\n"
        "Vào sáng Chủ nhật ngày 13 tháng 8 năm 2023, các hộ gia đình dọn dẹp vệ sinh trong nhà\n"
        "và xung quanh nơi ở, khơi thông cống rãnh,\n"
        "phát quang bụi rậm, thu gom rác thải đúng nơi quy định./.\n"
    )
    draft = draft_messages(parse_directive(build(body=body)))[0]
    assert draft.text == (
        "Vào sáng Chủ nhật ngày 13 tháng 8 năm 2023, các hộ gia đình dọn dẹp vệ sinh trong nhà và xung quanh nơi ở, "
        "khơi thông cống rãnh, phát quang bụi rậm, thu gom rác thải đúng nơi quy định."
    )


@pytest.mark.parametrize(
    "path",
    sorted(path for path in (Path(__file__).parent / "corpus").iterdir() if path.suffix in (".txt", ".md", ".docx")),
    ids=lambda path: path.name,
)
def test_corpus_drafts_keep_header_and_sending_lines_off_air(path: Path) -> None:
    try:
        directive = parse_directive(read_text(path))
    except ParseError:
        pytest.skip("the parser cannot read it yet; the corpus test counts it")
    for draft in draft_messages(directive):
        for line in draft.text.split("\n"):
            assert not RULES.is_dropped(line.rstrip(".")), (path.name, line)
        assert not any(
            words in draft.text for words in ("ĐIỆN:", "Vào hồi", "CỘNG HÒA XÃ HỘI", "Độc lập - Tự do", "V/v ")
        ), (path.name, draft.text)


def test_section_speaking_to_people_is_read_as_an_announcement(build: Build) -> None:
    body = (
        "1. Tuyên truyền bảo đảm an ninh, trật tự trong lĩnh vực y tế\n"
        "Tăng cường thông tin, tuyên truyền người dân nâng cao cảnh giác, không tham gia tiếp tay mua bán thuốc\n"
        "không rõ nguồn gốc.\n"
        "2. Chế độ báo cáo\n"
        "Các đơn vị báo cáo kết quả về Sở Thông tin và Truyền thông trước ngày 30/4/2022./.\n"
    )
    drafts = draft_messages(parse_directive(build(body=body)))
    assert [(draft.title, draft.for_broadcast) for draft in drafts] == [
        ("Tuyên truyền bảo đảm an ninh, trật tự trong lĩnh vực y tế", True),
        ("Chế độ báo cáo", False),
    ]
    assert drafts[0].text == (
        "Đề nghị bà con nhân dân nâng cao cảnh giác, không tham gia tiếp tay mua bán thuốc không rõ nguồn gốc."
    )


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("NỘI DUNG TUYÊN TRUYỀN", "Nội dung tuyên truyền"),
        ("MỤC ĐÍCH, YÊU CẦU:", "Mục đích, yêu cầu"),
        ("tuyên truyền phòng, chống dịch;", "Tuyên truyền phòng, chống dịch"),
        ("Thời gian, địa điểm.", "Thời gian, địa điểm"),
        ("TRÁCH NHIỆM CỦA UBND CÁC XÃ", "Trách nhiệm của UBND các xã"),
    ],
)
def test_headings_become_titles(heading: str, title: str) -> None:
    assert heading_title(heading) == title


def test_user_rules_come_first(tmp_path: Path) -> None:
    extra = tmp_path / "rules.tsv"
    extra.write_text(
        "# our commune says it this way\n{inform} (?:{public})\tKính đề nghị bà con\nBan Quản lý\t@office-title\n",
        encoding="utf-8",
    )
    rules = load_rules(extra)
    assert rules.rewrite("Vận động người dân đi bầu cử sớm.") == "Kính đề nghị bà con đi bầu cử sớm."
    assert rules.rewrite("Đẩy mạnh tuyên truyền để người dân diệt bọ gậy.") == "Đề nghị bà con nhân dân diệt bọ gậy."
    assert rules.is_for_offices("Ban Quản lý chợ", "Sắp xếp lại quầy hàng.")
    assert not RULES.is_for_offices("Ban quản lý chợ", "Sắp xếp lại quầy hàng.")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("Tuyên truyền\n", "expected 'pattern<TAB>replacement'"),
        ("Tuyên truyền (\tĐề nghị\n", "check the regular expression"),
        ("{nobody} dân\tĐề nghị\n", "no word list @nobody"),
        ("Vận động\t@broadcast\n", "the action must be"),
        ("Vận động\tĐề nghị \\g<who>\n", "group 'who'"),
    ],
)
def test_bad_rules_file_is_one_line_error(tmp_path: Path, content: str, says: str) -> None:
    extra = tmp_path / "rules.tsv"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_rules(extra)
    assert says in str(caught.value)
    assert f"{extra} line 1" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read announcement rules file"):
        load_rules(tmp_path / "none.tsv")


def test_announcements_setting(tmp_path: Path) -> None:
    (tmp_path / "broadcast.toml").write_text('announcements = "rules.tsv"\n', encoding="utf-8")
    settings = load_settings(env={"BROADCAST_HOME": str(tmp_path)})
    assert settings.announcements == tmp_path / "rules.tsv"
    assert load_settings(env={"BROADCAST_HOME": str(tmp_path / "none")}).announcements is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("ĐIỆNđiện hồi giờ ngày 1/9:;,.-VvTuyêntruyềnngườidân\t")), max_size=60)
    )
)
def test_rules_never_crash(lines: list[str]) -> None:
    kept = on_air_lines(lines, RULES)
    assert all(line.strip() for line in kept)
    for line in kept:
        assert isinstance(RULES.rewrite(line), str)
        RULES.is_for_offices(line, line)


def test_cong_dien_whose_sections_task_offices_reads_the_situation(fixture_text: Callable[[str], str]) -> None:
    drafts = draft_messages(parse_directive(fixture_text("cong_dien_hoatoc.txt")))
    assert [(draft.section_label, draft.for_broadcast) for draft in drafts] == [
        ("", True),
        ("1.", False),
        ("2.", False),
        ("3.", False),
    ]
    # The weather is news for listeners; the document it carries out and "Chủ tịch UBND tỉnh yêu cầu:" are not.
    assert drafts[0] == Draft(
        title="Tập trung ứng phó với đợt rét đậm, rét hại và sương muối trên địa bàn tỉnh",
        text="Theo bản tin của Đài Khí tượng Thủy văn tỉnh, từ đêm 06/01/2021 một đợt không khí lạnh tăng cường mạnh "
        "ảnh hưởng đến tỉnh ta, nhiệt độ thấp nhất tại Mẫu Sơn có thể xuống dưới 0 độ C, khả năng xuất hiện băng giá "
        "và sương muối.",
        for_broadcast=True,
        section_label="",
    )


@pytest.mark.parametrize(
    ("lines", "spoken"),
    [
        (
            ["Trưởng các cơ quan, đơn vị trên địa bàn huyện.", "Lũ đang lên nhanh. Chủ tịch UBND huyện yêu cầu:"],
            "Lũ đang lên nhanh.",
        ),
        (
            ["Thực hiện Công điện số 06/CĐ-TTg ngày 25/9/2022 của Thủ tướng Chính phủ, đề nghị các đơn vị:"],
            "",
        ),
        (
            ["Căn cứ Luật Phòng, chống thiên tai. Bão số 4 đang tiến vào đất liền."],
            "Bão số 4 đang tiến vào đất liền.",
        ),
        (
            ["Nắng nóng kéo dài, nguy cơ cháy rừng ở cấp V.", "Tuyên truyền người dân không đốt thực bì."],
            "Nắng nóng kéo dài, nguy cơ cháy rừng ở cấp V.\n\nĐề nghị bà con nhân dân không đốt thực bì.",
        ),
    ],
)
def test_situation(lines: list[str], spoken: str) -> None:
    assert RULES.situation(lines) == spoken


def test_no_situation_when_a_section_is_for_listeners(fixture_text: Callable[[str], str]) -> None:
    drafts = draft_messages(parse_directive(fixture_text("cong_van_seedlike.txt")))
    assert all(draft.section_label for draft in drafts)
