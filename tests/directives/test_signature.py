"""The tail: "Nơi nhận" and the signer, with KT./TM./TL./Q./TUQ., in either order and in two columns."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from broadcast.directives import parse_directive
from broadcast.directives.casing import sentence_case

Build = Callable[..., str]
CC = "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n"


@pytest.mark.parametrize(
    ("block", "name", "title", "authority"),
    [
        ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLê Hải Yến", "Lê Hải Yến", "Phó Giám đốc", "KT. Giám đốc"),
        ("**KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**\n\n**Lê Hải Yến**", "Lê Hải Yến", "Phó Giám đốc", "KT. Giám đốc"),
        ("GIÁM ĐỐC\n\nNguyễn Văn Bình", "Nguyễn Văn Bình", "Giám đốc", None),
        (
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nĐoàn Thu Hà",
            "Đoàn Thu Hà",
            "Phó Chủ tịch",
            "TM. Ủy ban nhân dân; KT. Chủ tịch",
        ),
        ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nHồ Tiến Thiệu", "Hồ Tiến Thiệu", "Chủ tịch", "TM. Ủy ban nhân dân"),
        ("TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\n\nHoàng Minh Tuấn", "Hoàng Minh Tuấn", "Chánh Văn phòng", "TL. Giám đốc"),
        ("Q. GIÁM ĐỐC\n\nPhạm Thị Lan", "Phạm Thị Lan", None, "Q. Giám đốc"),
        (
            "TUQ. CHỦ TỊCH\nGIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nVũ Đức Anh",
            "Vũ Đức Anh",
            "Giám đốc Sở Thông tin và Truyền thông",
            "TUQ. Chủ tịch",
        ),
        ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH\n\nLý Văn Hải", "Lý Văn Hải", "Phó Chủ tịch", "KT. Chủ tịch"),
        ("KT.GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLÊ HẢI YẾN", "Lê Hải Yến", "Phó Giám đốc", "KT. Giám đốc"),
        ("K/T GIÁM ĐỐC\nPhó Giám đốc\n[Đã ký]\nLê Hải Yến", "Lê Hải Yến", "Phó Giám đốc", "KT. Giám đốc"),
        (
            "TM. BAN CHỈ ĐẠO\nTRƯỞNG BAN\n\nPHÓ CHỦ TỊCH UBND HUYỆN CAO LỘC\nNông Văn Lâm",
            "Nông Văn Lâm",
            "Trưởng ban, Phó Chủ tịch UBND huyện Cao Lộc",
            "TM. Ban Chỉ đạo",
        ),
        (
            "GIÁM ĐỐC SỞ THÔNG TIN\nVÀ TRUYỀN THÔNG\n\nVũ Đức Anh",
            "Vũ Đức Anh",
            "Giám đốc Sở Thông tin và Truyền thông",
            None,
        ),
        (
            "TM. ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN\nCHỦ TỊCH\n\nHồ Tiến Thiệu",
            "Hồ Tiến Thiệu",
            "Chủ tịch",
            "TM. Ủy ban nhân dân tỉnh Lạng Sơn",
        ),
    ],
)
@pytest.mark.parametrize("order", ["cc-first", "signature-first"])
def test_signer(build: Build, block: str, name: str, title: str | None, authority: str | None, order: str) -> None:
    tail = f"{CC}\n{block}\n" if order == "cc-first" else f"{block}\n\n{CC}"
    directive = parse_directive(build(tail=tail))
    assert directive.signer is not None
    assert directive.signer.to_json_dict() == {"name": name, "title": title, "authority": authority}
    assert directive.cc == ("Như trên", "Lưu: VT")
    assert directive.sections[-1].text.endswith("./.")


@pytest.mark.parametrize(
    "tail",
    [
        "Nơi nhận:\tKT. GIÁM ĐỐC\n- Như trên;\tPHÓ GIÁM ĐỐC\n- Lưu: VT.\n\n\t\tLê Hải Yến\n",
        "Nơi nhận:\tKT. GIÁM ĐỐC\n- Như trên;\n- Lưu: VT.\tPHÓ GIÁM ĐỐC\n\t\t(Đã ký)\n\t\tLê Hải Yến\n",
        "Nơi nhận:                          KT. GIÁM ĐỐC\n- Như trên;                        PHÓ GIÁM ĐỐC\n"
        "- Lưu: VT.\n\n                                   Lê Hải Yến\n",
        "| **Nơi nhận:**<br>- Như trên;<br>- Lưu: VT. | **KT. GIÁM ĐỐC<br>PHÓ GIÁM ĐỐC**<br><br>Lê Hải Yến |\n"
        "|---|---|\n",
        "| Nơi nhận: | KT. GIÁM ĐỐC |\n|---|---|\n| - Như trên; | PHÓ GIÁM ĐỐC |\n| - Lưu: VT. | |\n| | Lê Hải Yến |\n",
    ],
    ids=["tabs", "tabs-uneven", "spaces", "markdown", "markdown-rows"],
)
def test_two_column_signature(build: Build, tail: str) -> None:
    directive = parse_directive(build(tail=tail))
    assert directive.cc == ("Như trên", "Lưu: VT")
    assert directive.signer is not None
    assert directive.signer.to_json_dict() == {
        "name": "Lê Hải Yến",
        "title": "Phó Giám đốc",
        "authority": "KT. Giám đốc",
    }


@pytest.mark.parametrize(
    ("cc", "expected"),
    [
        (
            "Nơi nhận:\n- Như trên;\n- Lãnh đạo Sở;\n- Lưu: VT, TTBCXB (ĐT).",
            ("Như trên", "Lãnh đạo Sở", "Lưu: VT, TTBCXB (ĐT)"),
        ),
        ("Nơi nhận: - Như trên;\n- Lưu: VT.", ("Như trên", "Lưu: VT")),
        ("Nơi nhận:\nNhư trên;\nLưu: VT.", ("Như trên", "Lưu: VT")),
        (
            "Nơi nhận:\n\n- Như trên;\n\n- Trung tâm Văn hóa, Thể thao và\nTruyền thông các huyện;\n- Lưu: VT.",
            ("Như trên", "Trung tâm Văn hóa, Thể thao và Truyền thông các huyện", "Lưu: VT"),
        ),
        ("Nơi nhận:\n- Các xã, phường,\nthị trấn (t/h);\n- Lưu: VT.", ("Các xã, phường, thị trấn (t/h)", "Lưu: VT")),
        ("**Nơi nhận:**\n- Như trên;\n- Lưu: VT./.", ("Như trên", "Lưu: VT")),
    ],
)
def test_cc(build: Build, cc: str, expected: tuple[str, ...]) -> None:
    directive = parse_directive(build(tail=f"{cc}\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLê Hải Yến\n"))
    assert directive.cc == expected
    assert directive.signer is not None and directive.signer.name == "Lê Hải Yến"


def test_no_signature_and_no_cc(build: Build) -> None:
    directive = parse_directive(build(tail=""))
    assert directive.signer is None
    assert directive.cc == ()
    assert directive.sections[-1].text == "Báo cáo kết quả về Sở Thông tin và Truyền thông trước ngày 30/4/2022./."


def test_signature_without_cc(build: Build) -> None:
    directive = parse_directive(build(tail="GIÁM ĐỐC\n\nNguyễn Văn Bình\n"))
    assert directive.cc == ()
    assert directive.signer is not None
    assert (directive.signer.name, directive.signer.title, directive.signer.authority) == (
        "Nguyễn Văn Bình",
        "Giám đốc",
        None,
    )


@pytest.mark.parametrize(
    ("printed", "normal"),
    [
        ("PHÓ GIÁM ĐỐC", "Phó Giám đốc"),
        ("CHỦ TỊCH", "Chủ tịch"),
        ("ỦY BAN NHÂN DÂN", "Ủy ban nhân dân"),
        ("UỶ BAN NHÂN DÂN", "Uỷ ban nhân dân"),
        ("CHÁNH VĂN PHÒNG", "Chánh Văn phòng"),
        ("PHÓ CHỦ TỊCH UBND HUYỆN CAO LỘC", "Phó Chủ tịch UBND huyện Cao Lộc"),
        ("CHỦ TỊCH HĐND THÀNH PHỐ LẠNG SƠN", "Chủ tịch HĐND thành phố Lạng Sơn"),
        ("BAN CHỈ ĐẠO", "Ban Chỉ đạo"),
        ("", ""),
    ],
)
def test_sentence_case(printed: str, normal: str) -> None:
    assert sentence_case(printed) == normal
