"""The corpus keeps the parser honest: its coverage, its hand-written truths, the score and the bench's figures."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from broadcast.directives import parse_directive
from broadcast.directives.scoring import (
    FIELDS,
    KINDS,
    LAYOUT_KINDS,
    LEVELS,
    CorpusError,
    CorpusScore,
    corpus_files,
    coverage,
    load_expected,
    score_corpus,
    score_record,
    tally,
)

ROOT = Path(__file__).parents[2]
CORPUS = Path(__file__).parent / "corpus"
BENCH = ROOT / "scripts" / "bench" / "directives.py"
FILES = corpus_files(CORPUS)
EXPECTED = [load_expected(path.with_name(path.stem + ".expected.json")) for path in FILES]
# The issue asks for 3 scans, 2 Word .doc, 2 TCVN3 and 1 VNI file; UTF-16 needs one too; layouts two each.
FORMAT_MINIMUM = {"scan": 3, "doc_format": 2, "tcvn3": 2, "vni": 1, "utf16": 1}


@pytest.fixture(scope="module")
def score() -> CorpusScore:
    return score_corpus(CORPUS)


# --- the corpus itself ---------------------------------------------------------------------------------------


def test_corpus_size() -> None:
    assert len(FILES) >= 40


def test_every_layout_kind_has_two_files() -> None:
    kinds, _ = coverage(EXPECTED)
    assert {kind: kinds[kind] for kind in LAYOUT_KINDS if kinds[kind] < 2} == {}


def test_every_format_kind_has_its_files() -> None:
    kinds, _ = coverage(EXPECTED)
    assert {kind: kinds[kind] for kind, least in FORMAT_MINIMUM.items() if kinds[kind] < least} == {}


def test_every_level_has_a_file() -> None:
    _, levels = coverage(EXPECTED)
    assert [level for level in LEVELS if not levels[level]] == []


def test_every_layout_kind_comes_from_two_issuer_levels() -> None:
    levels: dict[str, set[str]] = {kind: set() for kind in LAYOUT_KINDS}
    for item in EXPECTED:
        for kind in item.kinds:
            levels.setdefault(kind, set()).add(item.level)
    assert {kind: sorted(found) for kind, found in levels.items() if kind in LAYOUT_KINDS and len(found) < 2} == {}


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_expected_record_is_well_formed(path: Path) -> None:
    expected = load_expected(path.with_name(path.stem + ".expected.json"))
    # Names say the issuer's level first, e.g. xa_thong_bao_portal_title.txt.
    assert path.name.startswith(expected.level + "_")
    assert set(expected.record) == set(FIELDS)
    record: dict[str, Any] = dict(expected.record)
    assert record["issued_on"] is None or len(record["issued_on"].split("-")) in (2, 3)
    assert all(set(ref) == {"number", "issued_on", "issuer"} for ref in record["references"])
    assert record["signer"] is None or set(record["signer"]) == {"name", "title", "authority"}
    assert isinstance(record["issuer_inferred"], bool)
    # Text says how it is stored; images, PDFs and .docx have no encoding; an old .doc may be typed in a TCVN3 or
    # VNI font, which its record names.
    if path.suffix in (".txt", ".md"):
        assert expected.encoding is not None
    elif path.suffix == ".doc":
        assert expected.encoding in (None, "tcvn3", "vni")
    else:
        assert expected.encoding is None


@pytest.mark.parametrize("path", [path for path in FILES if path.suffix in (".txt", ".md")], ids=lambda p: p.name)
def test_utf8_files_are_nfc(path: Path) -> None:
    if load_expected(path.with_name(path.stem + ".expected.json")).encoding != "utf-8":
        pytest.skip("stored in a legacy encoding")
    text = path.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text


# --- the score -----------------------------------------------------------------------------------------------


def test_corpus_accuracy(score: CorpusScore) -> None:
    missed = {file.path.name: file.error or file.missed for file in score.files if file.missed}
    assert score.overall >= 0.97, missed


def test_bench_prints_the_score_the_test_computes(score: CorpusScore) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--json", "--no-warm-up", "--corpus", str(CORPUS)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    figures = json.loads(result.stdout)
    assert figures["overall"] == score.overall
    assert figures["fields"] == {"right": score.tally.fields_right, "total": score.tally.fields_total}
    assert figures["per_field"] == {name: score.tally.accuracy(name) for name in FIELDS}
    assert figures["files"] == len(FILES)
    assert figures["kinds"] == coverage(EXPECTED)[0]


# --- scoring, on its own -------------------------------------------------------------------------------------

TEXT = """ỦY BAN NHÂN DÂN
XÃ HỮU KIÊN
Số: 87/CV-UBND
Hữu Kiên, ngày 05 tháng 3 năm 2024
V/v tuyên truyền phòng, chống cháy rừng

Thực hiện Công văn số 1245/UBND-VHTT ngày 01/3/2024 của UBND huyện Nậm Nhùn, UBND xã đề nghị:

1. Tuyên truyền người dân
Không đốt nương rẫy trong những ngày nắng nóng./.

Nơi nhận:
- Lưu: VP.
CHỦ TỊCH

Lò Văn Sáng
"""
RIGHT = {
    "doc_type": "cong_van",
    "number": "87/CV-UBND",
    "notation": "CV-UBND",
    "issuer": "ỦY BAN NHÂN DÂN XÃ HỮU KIÊN",
    "issuer_parent": None,
    "issuer_inferred": False,
    "place": "Hữu Kiên",
    "issued_on": "2024-03-05",
    "urgency": None,
    "subject": "tuyên truyền phòng, chống cháy rừng",
    "recipients": [],
    "references": [{"number": "1245/UBND-VHTT", "issued_on": "2024-03-01", "issuer": "UBND huyện Nậm Nhùn"}],
    "signer": {"name": "Lò Văn Sáng", "title": "Chủ tịch", "authority": None},
    "section_titles": ["Tuyên truyền người dân"],
}


def test_score_record_all_right() -> None:
    assert score_record(parse_directive(TEXT), RIGHT) == {name: True for name in FIELDS}


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("number", "87/CV - UBND"),
        ("issuer_inferred", True),
        ("recipients", ["Trưởng các bản"]),
        ("references", [{"number": "1245/UBND-VHTT", "issued_on": None, "issuer": "UBND huyện Nậm Nhùn"}]),
        ("references", []),
        ("signer", {"name": "Lò Văn Sáng", "title": "Phó Chủ tịch", "authority": None}),
        ("section_titles", ["Tuyên truyền người dân", "Tổ chức thực hiện"]),
        ("section_titles", []),
        ("place", None),
    ],
)
def test_score_record_one_wrong(name: str, wrong: Any) -> None:
    result = score_record(parse_directive(TEXT), RIGHT | {name: wrong})
    assert [field for field, ok in result.items() if not ok] == [name]


def test_score_compares_after_nfc() -> None:
    decomposed = {key: unicodedata.normalize("NFD", value) for key, value in RIGHT.items() if isinstance(value, str)}
    assert all(score_record(parse_directive(TEXT), RIGHT | decomposed).values())


def test_score_only_the_fields_expected() -> None:
    assert score_record(parse_directive(TEXT), {"place": "Hữu Kiên", "urgency": None}) == {
        "place": True,
        "urgency": True,
    }


def test_unreadable_file_scores_nothing() -> None:
    assert score_record(None, RIGHT) == {name: False for name in FIELDS}


def test_tally_per_field_and_overall() -> None:
    result = tally([{"number": True, "place": False}, {"number": True, "place": True}, {"number": False}])
    assert (result.accuracy("number"), result.accuracy("place")) == (2 / 3, 1 / 2)
    assert result.overall == 3 / 5
    assert result.accuracy("signer") == 0.0


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({"kinds": ["portal_lines"], "level": "xa", "encoding": "utf-8"}, "exactly the keys"),
        ({"kinds": ["header"], "level": "xa", "encoding": "utf-8", "record": {"place": None}}, "kinds"),
        ({"kinds": [], "level": "xa", "encoding": "utf-8", "record": {"place": None}}, "kinds"),
        ({"kinds": ["scan"], "level": "thon", "encoding": None, "record": {"place": None}}, "level"),
        ({"kinds": ["vni"], "level": "xa", "encoding": "latin-1", "record": {"place": None}}, "encoding"),
        ({"kinds": ["vni"], "level": "xa", "encoding": "vni", "record": {"cc": []}}, "record"),
        (
            {
                "kinds": ["vni"],
                "level": "xa",
                "encoding": "vni",
                "record": {"place": unicodedata.normalize("NFD", "Nà Hỳ")},
            },
            "NFC",
        ),
    ],
)
def test_load_expected_rejects_malformed(tmp_path: Path, data: dict[str, Any], says: str) -> None:
    path = tmp_path / "xa_bad.expected.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CorpusError, match=says):
        load_expected(path)


def test_corpus_file_without_truth_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "xa_lonely.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"xa_lonely\.expected\.json"):
        corpus_files(tmp_path)


def test_kinds_are_the_issue_s() -> None:
    assert set(KINDS) == set(LAYOUT_KINDS) | set(FORMAT_MINIMUM)
