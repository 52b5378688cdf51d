"""Any string in, a DirectiveRecord or a ParseError out: random text, mutated fixtures, huge inputs, non-directives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadcast.directives import DirectiveRecord, draft_messages, parse_directive
from broadcast.errors import ParseError

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_TEXTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(FIXTURES.iterdir()) if path.is_file()}

# Letters, marks and punctuation that official documents are made of, so random text hits the parser's paths.
ALPHABET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ0123456789áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữự"
    'ýỳỷỹỵ \t\n\r./-:;,()*_#|+><\\"“”…•–—\u00a0\ufeff\u0301\u0323'
)
WORDS = [
    "Số:", "/CĐ-UBND", "07/CĐ-UBND", "ngày", "tháng", "năm", "2022", "19/02/2022", "Lạng Sơn,", "V/v", "Về việc",
    "Kính gửi:", "KHẨN", "HỎA TỐC", "CÔNG ĐIỆN", "KẾ HOẠCH", "điện:", "I.", "II.", "1.", "a)", "-", "+", "**",
    "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "TM.", "Lê Hải Yến", "./.", "Đề nghị", "lần/ngày", "từ ngày",
    "đến ngày", "của UBND tỉnh", "Công văn số", "\t", "   ", "|", "\n", "\n\n", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
]  # fmt: skip


def check(text: str) -> None:
    """The contract: a DirectiveRecord whose JSON and drafts can be made, or a one-line ParseError."""
    try:
        directive = parse_directive(text)
    except ParseError as error:
        message = str(error)
        assert message and "\n" not in message
        return
    assert isinstance(directive, DirectiveRecord)
    directive.to_json_dict()
    draft_messages(directive)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=ALPHABET, max_size=2000))
def test_document_alphabet(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS) | st.text(alphabet=ALPHABET, max_size=12), max_size=200).map(" ".join))
def test_document_words(text: str) -> None:
    check(text)


MUTATION = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("swap"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(
        st.just("inject"), st.integers(0, 10_000), st.integers(0, 10_000), st.text(alphabet=ALPHABET, max_size=8)
    ),
    st.tuples(st.just("truncate"), st.integers(0, 10_000), st.integers(0, 10_000)),
)


def mutate(text: str, mutations: list[tuple[object, ...]], shuffle: list[int] | None) -> str:
    lines = text.split("\n")
    for mutation in mutations:
        if not lines:
            break
        kind, where = mutation[0], int(str(mutation[1])) % len(lines)
        if kind == "delete":
            del lines[where]
        elif kind == "duplicate":
            lines.insert(int(str(mutation[2])) % len(lines), lines[where])
        elif kind == "swap":
            other = int(str(mutation[2])) % len(lines)
            lines[where], lines[other] = lines[other], lines[where]
        elif kind == "inject":
            line = lines[where]
            position = int(str(mutation[2])) % (len(line) + 1)
            lines[where] = line[:position] + str(mutation[3]) + line[position:]
        else:
            lines[where] = lines[where][: int(str(mutation[2])) % (len(lines[where]) + 1)]
    if shuffle is not None and lines:
        order = sorted(range(len(lines)), key=lambda index: shuffle[index % len(shuffle)] if shuffle else index)
        lines = [lines[index] for index in order]
    return "\n".join(lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(FIXTURE_TEXTS)),
    mutations=st.lists(MUTATION, max_size=12),
    shuffle=st.none() | st.lists(st.integers(), min_size=1, max_size=50),
)
def test_mutated_fixtures(name: str, mutations: list[tuple[object, ...]], shuffle: list[int] | None) -> None:
    check(mutate(FIXTURE_TEXTS[name], mutations, shuffle))


@pytest.mark.parametrize("name", sorted(FIXTURE_TEXTS))
def test_every_fixture_parses(name: str) -> None:
    directive = parse_directive(FIXTURE_TEXTS[name])
    assert directive.issued_on is not None
    assert directive.sections
    assert directive.signer is not None and directive.signer.name


@pytest.mark.parametrize(
    "text",
    [
        FIXTURE_TEXTS["cong_van_seedlike.txt"] * 66,
        FIXTURE_TEXTS["ke_hoach.md"].replace("\n\n", "\n") * 102,
        "Số: 07/CĐ-UBND\nLạng Sơn, ngày 05/3/2021\n" + "- Tuyên truyền phòng, chống dịch;\n" * 6000,
        "*a _b **c " * 20_000,
        "ngày" + " " * 200_000 + "tháng",
        "Công văn số 1/A-B của " * 9_000,
        "|" * 200_000,
        "A   B\t" * 40_000,
        "\n" * 200_000 + "Số: 1/A",
        "1." * 100_000,
        "(" * 100_000 + ")" * 100_000,
        "Số: 07/CĐ-UBND " + "x" * 200_000,
    ],
    ids=[
        "cong-van",
        "ke-hoach",
        "long-list",
        "emphasis",
        "spaces",
        "citations",
        "pipes",
        "columns",
        "blank-lines",
        "markers",
        "parens",
        "long-line",
    ],
)
def test_large_inputs_finish(text: str) -> None:
    assert len(text) >= 190_000
    check(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the directive text is empty"),
        ("   \n\t\n\u00a0\ufeff", "the directive text is empty"),
        ("Hôm nay trời đẹp. Chúng tôi đi chơi công viên.\n\nBuổi chiều về nhà.", "not a directive: no number"),
        ("1. Mua rau\n2. Mua thịt\n- Nhớ mang túi.", "not a directive: no number"),
        ("def main():\n    return 0\n", "not a directive: no number"),
        ("Số: 07/CĐ-UBND\nLạng Sơn, ngày 05 tháng 3 năm 2021\n", "not a directive: no body text"),
        ("Số: 07/CĐ-UBND\n\nNơi nhận:\n- Như trên.\n\nGIÁM ĐỐC\n\nLê Hải Yến", "not a directive: no body text"),
        ("Lạng Sơn, ngày 31/02/2022\n\n1. Nội dung", "does not exist; correct the date line"),
    ],
)
def test_not_a_directive(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        parse_directive(text)
    assert "\n" not in str(caught.value)
