"""Cited documents and broadcast hints found in the body."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from broadcast.directives import BroadcastHints, Reference, parse_directive
from broadcast.directives.dates import iso_date, search_date
from broadcast.directives.hints import find_hints
from broadcast.directives.references import find_references
from broadcast.directives.textutil import fold_keep

Build = Callable[..., str]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Thực hiện Công điện số 01/CĐ-UBND ngày 19/02/2022 của UBND tỉnh về việc phòng dịch",
            Reference("01/CĐ-UBND", "cong_dien", "2022-02-19", "UBND tỉnh"),
        ),
        (
            "Kế hoạch số 33-KH/BCĐ ngày 18/02/2022 của Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh thực hiện",
            Reference("33-KH/BCĐ", "ke_hoach", "2022-02-18", "Ban Chỉ đạo phòng, chống dịch COVID-19 tỉnh"),
        ),
        (
            "theo Nghị quyết số 128/NQ-CP ngày 11/10/2021 của Chính phủ ban hành Quy định tạm thời",
            Reference("128/NQ-CP", "nghi_quyet", "2021-10-11", "Chính phủ"),
        ),
        (
            "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
            Reference("30/2020/NĐ-CP", "nghi_dinh", "2020-03-05", "Chính phủ"),
        ),
        (
            "Thông tư 39/2020/TT-BTTTT ngày 24-11-2020 của Bộ Thông tin và Truyền thông quy định",
            Reference("39/2020/TT-BTTTT", "thong_tu", "2020-11-24", "Bộ Thông tin và Truyền thông"),
        ),
        (
            "Quyết định số 1234/QĐ-UBND của Chủ tịch UBND tỉnh.",
            Reference("1234/QĐ-UBND", "quyet_dinh", None, "Chủ tịch UBND tỉnh"),
        ),
        ("Chỉ thị số 05/CT-TTg ngày 01/3/2022.", Reference("05/CT-TTg", "chi_thi", "2022-03-01", None)),
        (
            "văn bản số 636/VP-KGVX ngày 22/02/2022 của Văn phòng UBND tỉnh; ",
            Reference("636/VP-KGVX", "cong_van", "2022-02-22", "Văn phòng UBND tỉnh"),
        ),
        ("số 12/TB-UBND, 13/HD-STTTT", Reference("12/TB-UBND", "thong_bao", None, None)),
        ("Luật số 33/2013/QH13", Reference("33/2013/QH13", "luat", None, None)),
        (
            "Kế hoạch số 23/KH-TBTT ngày 12/10/2021 của Tiểu ban Truyền thông, Ban Chỉ đạo quốc gia "
            "truyền thông chống dịch",
            Reference("23/KH-TBTT", "ke_hoach", "2021-10-12", "Tiểu ban Truyền thông, Ban Chỉ đạo quốc gia"),
        ),
        (
            "Công văn số 184/UBND-KGVX ngày 19/02/2022 của UBND tỉnh, Sở Thông tin và Truyền thông đề nghị",
            Reference("184/UBND-KGVX", "cong_van", "2022-02-19", "UBND tỉnh"),
        ),
        (
            "Công văn số 184/UBND-KGVX ngày 19/02/2022 của UBND tỉnh, đề nghị",
            Reference("184/UBND-KGVX", "cong_van", "2022-02-19", "UBND tỉnh"),
        ),
    ],
)
def test_reference(text: str, expected: Reference) -> None:
    assert find_references([text], None)[0] == expected


def test_references_are_deduplicated_and_merged() -> None:
    texts = [
        "Công điện số 01/CD-UBND ngày 19/02/2022; Công văn số 184/UBND-KGVX",
        "Thực hiện Công điện số 01/CĐ-UBND ngày 19/02/2022 của UBND tỉnh; Công văn số 184 /UBND-KGVX của UBND tỉnh",
    ]
    assert find_references(texts, None) == (
        Reference("01/CD-UBND", "cong_dien", "2022-02-19", "UBND tỉnh"),
        Reference("184/UBND-KGVX", "cong_van", None, "UBND tỉnh"),
    )


@pytest.mark.parametrize(
    "text",
    [
        "ngày 19/02/2022 và 03 lần/ngày",
        "nguyên tắc 5K + vắc xin; COVID-19/2022",
        "địa chỉ http://sttt.langson.gov.vn/2022/KH-UBND",
        "tỷ lệ 24/7 và 1/2 dân số",
    ],
)
def test_not_references(text: str) -> None:
    assert find_references([text], None) == ()


def test_own_number_is_skipped() -> None:
    assert find_references(["Công điện số 07/CD-UBND ngày 05/3/2021"], "07/CĐ-UBND") == ()


def test_seedlike_references_skip_cc_and_subject_duplicates(fixture_text: Callable[[str], str]) -> None:
    directive = parse_directive(fixture_text("cong_van_seedlike.txt"))
    numbers = [reference.number for reference in directive.references]
    assert numbers == ["03/CĐ-UBND", "512/UBND-KGVX", "41-KH/BCĐ", "220/VP-KT", "15/2018/NĐ-CP"]


# --- hints ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Đài Truyền thanh các xã phát 03 lần/ngày từ ngày 09/4/2022 đến ngày 13/4/2022.",
            BroadcastHints(3, "2022-04-09", "2022-04-13"),
        ),
        ("phát 02 lần / ngày từ ngày 09 đến hết ngày 13/4/2022", BroadcastHints(2, "2022-04-09", "2022-04-13")),
        ("phát ba lần mỗi ngày từ 28/12 đến 02/01/2023", BroadcastHints(3, "2022-12-28", "2023-01-02")),
        ("phát 2 lần/ngày từ ngày 28 đến ngày 02/01/2023", BroadcastHints(2, "2022-12-28", "2023-01-02")),
        ("phát 2 lần/ngày từ ngày 28 đến ngày 02/3/2023", BroadcastHints(2, "2023-02-28", "2023-03-02")),
        ("mỗi ngày phát 2 lần", BroadcastHints(2, None, None)),
        (
            "tiếp sóng trên hệ thống truyền thanh từ ngày 01 tháng 6 năm 2022 đến ngày 30 tháng 6 năm 2022",
            BroadcastHints(None, "2022-06-01", "2022-06-30"),
        ),
        ("phát 03 lần/ngày đến ngày 13/4/2022", BroadcastHints(3, None, None)),
        ("Phát 02 lần/ngày từ ngày 31/4/2022 đến ngày 02/5/2022", BroadcastHints(2, None, "2022-05-02")),
        ("Tổ chức hội nghị từ ngày 09/4/2022 đến ngày 13/4/2022.", None),
        ("Không có yêu cầu phát sóng.", None),
    ],
)
def test_hints(text: str, expected: BroadcastHints | None) -> None:
    assert find_hints([text]) == expected


def test_hints_from_fixture(fixture_text: Callable[[str], str]) -> None:
    hints = parse_directive(fixture_text("ke_hoach.md")).broadcast_hints
    assert hints == BroadcastHints(times_per_day=3, start="2022-04-09", end="2022-04-13")
    assert parse_directive(fixture_text("cong_van_seedlike.txt")).broadcast_hints is None


# --- dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("ngày 19/02/2022", "2022-02-19"),
        ("ngày 5 tháng 3 năm 2021", "2021-03-05"),
        ("ngày 05, tháng 03, năm 2021", "2021-03-05"),
        ("ngày   tháng 02 năm 2022", "2022-02"),
        ("ngày … tháng … năm 2022", "2022"),
        ("ngày 29/02/2023", None),
        ("ngày 01/01/1800", None),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    found = search_date(fold_keep(text))
    assert found is not None and found.iso == iso


def test_iso_date_parts() -> None:
    assert iso_date(2022, None, 5) == "2022"
    assert iso_date(2022, 13, None) is None


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        (
            "Căn cứ Kế hoạch số 05/KH-BATGT ngày 03/01/2024 của Ban An toàn giao thông huyện Hương Sơn, Trung tâm Văn "
            "hóa\n- Thể thao xây dựng Kế hoạch tuyên truyền như sau:",
            "Ban An toàn giao thông huyện Hương Sơn",
        ),
        (
            "Thực hiện Công văn số 112/UBND-VX ngày 02/3/2024 của UBND huyện Bảo Lâm, Phòng Y tế\nđề nghị UBND các xã",
            "UBND huyện Bảo Lâm",
        ),
        (  # a body named over two lines, with no verb after it: the name goes on past the comma
            "Căn cứ Quyết định số 45/QĐ-UBND ngày 05/01/2024 của Ủy ban nhân dân tỉnh Hà Tĩnh, Ban Chỉ đạo\n",
            "Ủy ban nhân dân tỉnh Hà Tĩnh, Ban Chỉ đạo",
        ),
    ],
)
def test_a_sentence_wrapped_after_the_issuer_starts_its_subject_after_the_comma(text: str, issuer: str) -> None:
    [reference] = find_references([text], None)
    assert reference.issuer == issuer
