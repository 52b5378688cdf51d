"""Drafts: one per top-level section, prose ready for listening, and which are meant for the public."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from broadcast.directives import Draft, draft_messages, parse_directive
from broadcast.directives.drafts import is_for_offices, sentence

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
            "khu vực khai thác khoáng sản. Vận động cha mẹ, người chăm sóc trẻ quản lý chặt chẽ con em, không để "
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
        ("MỤC ĐÍCH, YÊU CẦU", False),
        ("NỘI DUNG TUYÊN TRUYỀN", True),
        ("HÌNH THỨC TUYÊN TRUYỀN", False),
        ("TỔ CHỨC THỰC HIỆN", False),
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
            title="tuyên truyền phòng, chống dịch bệnh",
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
