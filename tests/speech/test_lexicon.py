"""The abbreviation lexicon: the built-in data, user files merged over it, and their errors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from broadcast.errors import SpeechError
from broadcast.speech.lexicon import Entry, Lexicon, builtin_entries, load_lexicon, parse_lexicon
from broadcast.speech.normalize import Normalizer, normalize, normalizer_for

REQUIRED = [
    "UBND", "HĐND", "MTTQ", "BCĐ", "PCCC", "THPT", "BHYT", "TTTT", "COVID-19", "F0", "F1", "5K", "NĐ-CP",
    "CP", "KH", "CĐ", "TB", "QĐ", "KGVX", "VH-TT", "TT-TH", "CAND", "QĐND", "ATGT", "ANTT", "TP.", "TX.",
    "TT.", "Q.", "H.", "SĐT", "ĐT", "email", "online", "zalo", "website", "hotline", "covid",
    "PCT", "PBT", "GĐ", "PGĐ", "đ/c", "Đ/c", "Tp.",
]  # fmt: skip


def test_builtin_lexicon_is_large_and_covers_the_usual_abbreviations() -> None:
    lexicon = load_lexicon()
    assert len(builtin_entries()) >= 80
    missing = [written for written in REQUIRED if lexicon.lookup(written) is None]
    assert missing == []


def test_builtin_lexicon_has_unique_entries() -> None:
    keys = [(entry.written, entry.kind) for entry in builtin_entries()]
    assert len(keys) == len(set(keys))


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_every_builtin_spoken_form_is_read_in_vietnamese() -> None:
    spoken = [entry.spoken for entry in builtin_entries()]
    assert not _switches("\n".join(spoken)), [s for s in spoken if _switches(s)]


def _switches(text: str) -> bool:
    """Whether espeak-ng's Vietnamese voice switches to another language anywhere in text."""
    phonemes = subprocess.run(
        ["espeak-ng", "-v", "vi", "-q", "-x", "--stdin"], input=text, capture_output=True, text=True, check=True
    ).stdout
    return "(en)" in phonemes


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("UBND", "Ủy ban nhân dân"),
        ("email", "i meo"),
        ("Email", "i meo"),
        ("EMAIL", "i meo"),
        ("ubnd", None),  # a capital written form matches only as written
        ("Ca", None),
        ("CA", "Công an"),
    ],
)
def test_lookup_case_rules(written: str, spoken: str | None) -> None:
    assert load_lexicon().lookup(written) == spoken


def test_units_are_read_only_after_numbers() -> None:
    assert normalize("Diện tích 5 ha") == "Diện tích năm héc ta."
    assert normalize("ha ha") == "ha ha."


def test_parse_lexicon_reads_comments_blank_lines_and_kinds() -> None:
    text = "# comment\n\nABC\tbê a xê\r\nkm\tki lô mét\tunit\nNQ\tnghị quyết\tdoctype\n"
    assert parse_lexicon(text) == [
        Entry("ABC", "bê a xê"),
        Entry("km", "ki lô mét", "unit"),
        Entry("NQ", "nghị quyết", "doctype"),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("UBND", "line 2: expected 'written<TAB>spoken"),
        ("UBND\t", "line 2: expected"),
        ("UBND\ta\tb\tc", "line 2: expected"),
        ("UBND\tỦy ban\tword", "line 2: kind must be one of abbr, doctype, unit"),
        ("F9\tép 9", "line 2: write numbers in words"),
        ("Ủy ban\tỦy ban", "line 2: the written form must be one word"),
        ("đ/c\tđịa chỉ\tbefore=", "line 2: write the context as before=number"),
        ("đ/c\tđịa chỉ\tbefore=số||nhà", "line 2: write the context as before=number"),
    ],
)
def test_parse_lexicon_rejects_malformed_lines(line: str, message: str) -> None:
    with pytest.raises(SpeechError, match=message):
        parse_lexicon(f"# header\n{line}\n", "my.tsv")


def test_user_lexicon_file_is_merged_over_the_builtin_one(tmp_path: Path) -> None:
    user = tmp_path / "lexicon.tsv"
    user.write_text(
        "\ufeff# our district's own abbreviations\nHTX\thợp tác xã nông nghiệp\nBQL\tBan Quản lý\n",
        encoding="utf-8",
    )
    normalizer = Normalizer(lexicon=load_lexicon(user))
    assert normalizer.normalize("BQL HTX và UBND") == "Ban Quản lý hợp tác xã nông nghiệp và Ủy ban nhân dân."
    assert normalize("BQL") == "bê quy e lờ."
    assert normalizer_for(user).normalize("BQL") == "Ban Quản lý."
    assert normalizer_for(None) is normalizer_for(None)


def test_user_lexicon_units_and_doctypes_take_part(tmp_path: Path) -> None:
    user = tmp_path / "lexicon.tsv"
    user.write_text("sào\tsào\tunit\nKTr\tkế hoạch triển khai\tdoctype\nHTX\thợp tác xã\n", encoding="utf-8")
    normalizer = Normalizer(load_lexicon(user))
    assert normalizer.normalize("Theo 12/KTr-HTX") == "Theo kế hoạch triển khai số mười hai của hợp tác xã."


def test_missing_user_lexicon_file_is_a_speech_error(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match="cannot read lexicon file"):
        load_lexicon(tmp_path / "absent.tsv")


def test_later_entries_win() -> None:
    lexicon = Lexicon.of([Entry("ABC", "một"), Entry("ABC", "hai")])
    assert lexicon.lookup("ABC") == "hai"


def test_an_empty_lexicon_spells_every_abbreviation() -> None:
    assert Normalizer(Lexicon()).normalize("UBND xã, 5 km") == "u bê en nờ dê xã, năm ca em mờ."


def test_parse_lexicon_reads_context_rules() -> None:
    text = "đ/c\tđịa chỉ\tbefore=number| số |thị trấn\nđ/c\tđồng chí\tbefore=name\n"
    assert parse_lexicon(text) == [
        Entry("đ/c", "địa chỉ", "before=number|số|thị trấn"),
        Entry("đ/c", "đồng chí", "before=name"),
    ]


def test_context_rules_are_tried_in_order_and_fold_lower_case_forms() -> None:
    lexicon = load_lexicon()
    rules = lexicon.context_rules("Đ/C")
    assert [rule.spoken for rule in rules] == ["địa chỉ", "đồng chí"]
    assert rules == lexicon.context_rules("đ/c")
    assert lexicon.context_rules("ct") == ()  # a capital written form matches only as written
    assert [rule.spoken for rule in lexicon.context_rules("CT")] == ["Chủ tịch"]


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("đ/c 12 Lê Lợi", "địa chỉ mười hai Lê Lợi."),  # number
        ("đ/c: xóm Chùa", "địa chỉ: xóm Chùa."),  # a word, after a colon
        ("Đ/c Hoàng Thị Lan", "đồng chí Hoàng Thị Lan."),  # name
        ("các đ/c dự họp", "các đồng chí dự họp."),  # no rule: the plain entry
        ("CT UBND xã", "Chủ tịch Ủy ban nhân dân xã."),
        ("CT 15 của Tỉnh ủy", "chỉ thị mười lăm của Tỉnh ủy."),  # no rule: the doctype
        ("P. Giám đốc", "phó Giám đốc."),
        ("P. Đông Kinh", "phường Đông Kinh."),
        ("Q. CHỦ TỊCH", "quyền CHỦ TỊCH."),
        ("Q.10", "quận mười."),
    ],
)
def test_builtin_context_rules(text: str, spoken: str) -> None:
    assert normalize(text) == spoken


def test_user_context_rules_extend_and_replace_the_builtin_ones(tmp_path: Path) -> None:
    user = tmp_path / "lexicon.tsv"
    user.write_text("P.\tphó\tbefore=Ban\nđ/c\tbạn\tbefore=name\nTB\tTrưởng ban\tbefore=name\n", encoding="utf-8")
    normalizer = Normalizer(load_lexicon(user))
    assert normalize("P. Ban Tuyên giáo") == "phường Ban Tuyên giáo."
    assert normalizer.normalize("P. Ban Tuyên giáo") == "phó Ban Tuyên giáo."
    assert normalizer.normalize("Đ/c Lan, đ/c 5 Lê Lợi") == "bạn Lan, địa chỉ năm Lê Lợi."
    assert normalizer.normalize("TB Nguyễn Văn Nam, TB số 3") == "Trưởng ban Nguyễn Văn Nam, thông báo số ba."


def test_an_empty_lexicon_has_no_context_rules() -> None:
    assert Lexicon().context_pattern is None
    assert Normalizer(Lexicon()).normalize("đ/c 5 Lê Lợi") == "đê xê năm Lê Lợi."
