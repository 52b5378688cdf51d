"""The body: preamble, nested sections, closing, markdown marks and lines broken inside sentences."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

import pytest

from broadcast.directives import parse_directive
from broadcast.directives.layout import join_paragraphs, prepare_lines
from broadcast.directives.parser import walk_sections

Build = Callable[..., str]


def outline(sections: Any) -> list[Any]:
    """Sections as nested (label, title or text) pairs, for compact comparisons."""
    return [
        (section.label, section.title or section.text, outline(section.children))
        if section.children
        else (section.label, section.title or section.text)
        for section in sections
    ]


def test_roman_numbers_letters_dashes_and_pluses(build: Build) -> None:
    body = """I. MỤC ĐÍCH
1. Nâng cao nhận thức
- Người dân hiểu rõ;
+ nguy cơ;
+ cách phòng tránh.
- Cán bộ gương mẫu.
2. Bảo đảm an toàn
II. NỘI DUNG
1. Tuyên truyền
a) Trên loa truyền thanh;
b) Trên mạng xã hội.
III. TỔ CHỨC THỰC HIỆN
Các đơn vị triển khai./.
"""
    directive = parse_directive(build(body=body))
    assert outline(directive.sections) == [
        ("I.", "MỤC ĐÍCH", [
            ("1.", "Nâng cao nhận thức", [
                ("-", "Người dân hiểu rõ;", [("+", "nguy cơ;"), ("+", "cách phòng tránh.")]),
                ("-", "Cán bộ gương mẫu."),
            ]),
            ("2.", "Bảo đảm an toàn"),
        ]),
        ("II.", "NỘI DUNG", [("1.", "Tuyên truyền", [("a)", "Trên loa truyền thanh;"), ("b)", "Trên mạng xã hội.")])]),
        ("III.", "TỔ CHỨC THỰC HIỆN"),
    ]  # fmt: skip
    assert directive.sections[2].text == "Các đơn vị triển khai./."
    assert directive.preamble is None
    assert directive.closing is None


def test_deep_numbers_and_articles(build: Build) -> None:
    body = """Điều 1. Ban hành Quy chế.
1.1. Phạm vi áp dụng
1.2. Đối tượng áp dụng
Điều 2. Hiệu lực
Quyết định có hiệu lực kể từ ngày ký./.
"""
    directive = parse_directive(build(body=body))
    assert outline(directive.sections) == [
        ("Điều 1", "Ban hành Quy chế.", [("1.1.", "Phạm vi áp dụng"), ("1.2.", "Đối tượng áp dụng")]),
        ("Điều 2", "Hiệu lực"),
    ]


def test_bold_headings_are_sections(build: Build) -> None:
    body = """Sở Thông tin và Truyền thông thông tin như sau:

**Tình hình thời tiết**

Đêm nay có mưa rất to.

__Khuyến cáo__

- Không đi qua ngầm tràn;
- Theo dõi bản tin thời tiết.

*Lưu ý: đây là văn bản thường.*
"""
    directive = parse_directive(build(body=body))
    assert directive.preamble == "Sở Thông tin và Truyền thông thông tin như sau:"
    assert outline(directive.sections) == [
        ("", "Tình hình thời tiết"),
        ("", "Khuyến cáo", [
            ("-", "Không đi qua ngầm tràn;"),
            # A plain paragraph joins the node before it, so reading order is kept.
            ("-", "Theo dõi bản tin thời tiết.\nLưu ý: đây là văn bản thường."),
        ]),
    ]  # fmt: skip


def test_bold_numbered_headings_keep_their_number(build: Build) -> None:
    body = "**1. Tuyên truyền**\n\nNội dung một.\n\n**2. Báo cáo**\n\nNội dung hai./.\n"
    directive = parse_directive(build(body=body))
    assert outline(directive.sections) == [("1.", "Tuyên truyền"), ("2.", "Báo cáo")]
    assert [section.text for section in directive.sections] == ["Nội dung một.", "Nội dung hai./."]


def test_markdown_marks_are_removed(build: Build) -> None:
    body = """> Thực hiện _Kế hoạch_ số 12/KH-UBND, Sở **đề nghị**:

## 1. Tuyên truyền trên [Cổng thông tin](https://langson.gov.vn)

* Đăng tin tại <https://langson.gov.vn>;
* Phát trên loa\\_truyền thanh \\- hằng ngày.
"""
    directive = parse_directive(build(body=body))
    assert directive.preamble == "Thực hiện Kế hoạch số 12/KH-UBND, Sở đề nghị:"
    assert outline(directive.sections) == [
        ("1.", "Tuyên truyền trên Cổng thông tin", [
            ("-", "Đăng tin tại https://langson.gov.vn;"),
            ("-", "Phát trên loa_truyền thanh - hằng ngày."),
        ]),
    ]  # fmt: skip


def test_lines_broken_inside_sentences_are_joined(build: Build) -> None:
    paragraph = (
        "Thực hiện Công điện số 01/CĐ-UBND ngày 19/02/2022 của UBND tỉnh về việc tăng cường thực hiện các "
        "biện pháp cấp bách phòng, chống dịch COVID-19, Sở Thông tin và Truyền thông đề nghị các cơ quan:"
    )
    item = (
        "Tăng cường công tác tuyên truyền về lợi ích của tiêm vắc xin COVID-19 để người dân tham gia tiêm "
        "chủng đầy đủ, không chờ đợi, lựa chọn vắc xin, bảo đảm sử dụng vắc xin hiệu quả."
    )
    body = "\n".join(
        [
            textwrap.fill(paragraph, 60),
            "1. Tuyên truyền tiêm chủng",
            textwrap.fill(item, 60),
            textwrap.fill("- " + item, 60),
            "2. Tuyên truyền phòng dịch tại trường học",
            textwrap.fill(item, 60),
        ]
    )
    directive = parse_directive(build(body=body))
    assert directive.preamble == paragraph
    assert outline(directive.sections) == [
        ("1.", "Tuyên truyền tiêm chủng", [("-", item)]),
        ("2.", "Tuyên truyền phòng dịch tại trường học"),
    ]
    assert [section.text for section in directive.sections] == [item, item]


@pytest.mark.parametrize(
    ("lines", "paragraphs"),
    [
        (
            [
                "Đẩy mạnh công tác tuyên truyền về các biện pháp phòng, chống dịch, nhất là ở",
                "những nơi có nguy cơ cao.",
            ],
            ["Đẩy mạnh công tác tuyên truyền về các biện pháp phòng, chống dịch, nhất là ở những nơi có nguy cơ cao."],
        ),
        (["Câu thứ nhất kết thúc.", "Câu thứ hai."], ["Câu thứ nhất kết thúc.", "Câu thứ hai."]),
        (["Các nội dung sau:", "tuyên truyền."], ["Các nội dung sau:", "tuyên truyền."]),
        (["Mục một;", "mục hai"], ["Mục một;", "mục hai"]),
        (["Tiêu đề ngắn", "", "đoạn mới"], ["Tiêu đề ngắn", "đoạn mới"]),
        (
            ["Đoạn văn kết thúc bằng dấu phẩy", "- mục danh sách"],
            ["Đoạn văn kết thúc bằng dấu phẩy", "- mục danh sách"],
        ),
        (["Tiêu đề ngắn", "Đoạn văn mới viết hoa."], ["Tiêu đề ngắn", "Đoạn văn mới viết hoa."]),
        (
            ["Ngày 19/02/2022 Ban Chỉ đạo phòng, chống dịch tỉnh ban hành Kế hoạch số", "33-KH/BCĐ."],
            ["Ngày 19/02/2022 Ban Chỉ đạo phòng, chống dịch tỉnh ban hành Kế hoạch số 33-KH/BCĐ."],
        ),
    ],
)
def test_join_paragraphs(lines: list[str], paragraphs: list[str]) -> None:
    joined = join_paragraphs(prepare_lines("\n".join(lines)))
    assert [paragraph.text for paragraph in joined] == paragraphs


def test_closing_and_notes_after_the_end_mark(fixture_text: Callable[[str], str]) -> None:
    directive = parse_directive(fixture_text("cong_van_seedlike.txt"))
    assert directive.closing is not None
    first, note = directive.closing.split("\n")
    assert first.startswith("Đề nghị Quý cơ quan, đơn vị tổ chức tuyên truyền") and first.endswith("./.")
    assert note.startswith("Công điện số 03/CD-UBND ngày 12/5/2023;")
    assert directive.sections[-1].text == (
        "Đôn đốc, hướng dẫn Trung tâm Văn hóa, Thể thao và Truyền thông; Đài Truyền thanh cấp xã tuyên "
        "truyền nội dung nêu trên."
    )


@pytest.mark.parametrize(
    ("closing", "expected"),
    [
        ("Trên đây là Kế hoạch tuyên truyền của Sở./.", "Trên đây là Kế hoạch tuyên truyền của Sở./."),
        ("Sở Y tế thông báo để nhân dân biết./.", "Sở Y tế thông báo để nhân dân biết./."),
        (
            "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Sở./.",
            "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Sở./.",
        ),
        ("Các đơn vị triển khai thực hiện./.", None),
    ],
)
def test_closing_paragraphs(build: Build, closing: str, expected: str | None) -> None:
    body = f"1. Tuyên truyền\n\nNội dung tuyên truyền.\n\n{closing}\n"
    directive = parse_directive(build(body=body))
    assert directive.closing == expected
    if expected is None:
        assert directive.sections[0].text == f"Nội dung tuyên truyền.\n{closing}"


def test_body_without_sections_is_preamble(build: Build) -> None:
    body = "Sở đề nghị các đơn vị tuyên truyền:\n- Rửa tay thường xuyên;\n- Đeo khẩu trang nơi đông người.\n"
    directive = parse_directive(build(body=body))
    assert directive.sections == ()
    assert (
        directive.preamble
        == "Sở đề nghị các đơn vị tuyên truyền:\n- Rửa tay thường xuyên;\n- Đeo khẩu trang nơi đông người."
    )


def test_kinds_of_every_fixture_section(fixture_text: Callable[[str], str]) -> None:
    directive = parse_directive(fixture_text("ke_hoach.md"))
    labels = [section.label for section in walk_sections(directive.sections)]
    assert labels == ["I.", "1.", "-", "-", "2.", "II.", "1.", "-", "-", "2.", "a)", "+", "+", "b)", "+", "+",
                      "III.", "IV.", "1.", "2."]  # fmt: skip
    assert all(section.title == "" for section in walk_sections(directive.sections) if section.label in "-+a)b)")
