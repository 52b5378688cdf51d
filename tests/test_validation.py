"""Human text as it is saved (broadcast.validation): cleaned where it is harmless, refused where it is not."""

from __future__ import annotations

import pytest

from broadcast.errors import MessageError, SessionError
from broadcast.validation import MAX_NAME, MAX_TEXT, MAX_TITLE, clean_text, one_line, tidy_draft
from broadcast.web.vietnamese import vi_message

ENGLISH_FLAG = "--title"


def title(value: str) -> str:
    return clean_text(value, "title", MessageError, limit=MAX_TITLE, spoken=True)


def text(value: str) -> str:
    return clean_text(value, "text", MessageError, limit=MAX_TEXT, lines=True, spoken=True)


def refusal(value: str, check: object = title) -> MessageError:
    with pytest.raises(MessageError) as caught:
        check(value)  # type: ignore[operator]
    return caught.value


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Phòng cháy rừng", "Phòng cháy rừng"),
        ("Pho\u0300ng cha\u0301y", "Phòng cháy"),  # decomposed (NFD) as some keyboards send it: stored NFC
        ("  Phòng\u200b cháy\u200d\ufeff  ", "Phòng cháy"),  # zero-width characters from copy and paste
        ("Phòng\tcháy\r\nrừng", "Phòng cháy rừng"),  # a title is one line
        ("Số 5", "Số 5"),  # a number is something to read
    ],
)
def test_harmless_oddities_are_cleaned_silently(typed: str, stored: str) -> None:
    assert title(typed) == stored


def test_a_long_text_keeps_its_lines_and_tabs_with_line_breaks_made_plain() -> None:
    assert text("Dòng một\r\nDòng hai\rDòng\tba\u2028Dòng bốn\n") == "Dòng một\nDòng hai\nDòng\tba\nDòng bốn"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("Phòng\x00cháy", "holds a NUL character"),
        ("Phòng\x07cháy", "holds an invisible control character (U+0007)"),
        ("Phòng\x1b[31mcháy", "holds an invisible control character (U+001B)"),
        ("Phòng\x85cháy", ""),  # NEL (C1) is a line break: folded, not refused
        ("Phòng\x9bcháy", "holds an invisible control character (U+009B)"),  # C1 CSI
        ("\u202eyàhc gnòhP", "holds a text direction mark (U+202E)"),
        ("Phòng \u2067cháy\u2069", "holds a text direction mark (U+2067)"),
        ("Phòng\u200fcháy", "holds a text direction mark (U+200F)"),
        ("\u200b\u200b", "cannot be empty"),
        (" \t ", "cannot be empty"),
        ("🔥🎉😀", "has nothing to read"),
        ("★ ✓ ☎", "has nothing to read"),
        ("x" * (MAX_TITLE + 1), f"has {MAX_TITLE + 1} characters; at most {MAX_TITLE} are allowed"),
    ],
)
def test_what_cannot_be_shown_or_read_is_refused_naming_the_field(typed: str, said: str) -> None:
    if not said:
        assert title(typed) == "Phòng cháy"
        return
    error = refusal(typed)
    assert error.field == "title" and said in str(error)
    assert error.render({"title": ENGLISH_FLAG}.get).startswith(ENGLISH_FLAG)  # the CLI names its flag
    shown = vi_message(error)
    assert shown.startswith("Tiêu đề ") and "{" not in shown  # a page, its label, in Vietnamese


def test_a_text_may_be_long_but_not_longer_than_any_session() -> None:
    assert len(text("Bà con chú ý. " * 4000)) < MAX_TEXT
    assert "at most 60000" in str(refusal("Bà con chú ý. " * 5000, text))


def test_names_are_bounded_by_what_the_database_holds() -> None:
    name = "Buổi " + "a" * (MAX_NAME - 5)
    assert clean_text(name, "name", SessionError, limit=MAX_NAME) == name
    with pytest.raises(SessionError) as caught:
        clean_text(name + "a", "name", SessionError, limit=MAX_NAME)
    assert caught.value.field == "name"


def test_drafts_from_documents_are_cleaned_rather_than_refused() -> None:
    assert tidy_draft("Về\u202e việc\x07 phòng\u200b chống\r\nlũ", MAX_TITLE) == "Về việc phòng chống lũ"
    assert tidy_draft("Một\r\n\x0cHai", MAX_TEXT, lines=True) == "Một\n Hai"
    cut = tidy_draft("Công văn " * 60, MAX_TITLE)
    assert len(cut) <= MAX_TITLE and cut.endswith("văn…")


def test_one_line_leaves_nothing_a_playlist_would_misread() -> None:
    assert one_line("chiều\x07\r\n#EXTINF:1,x\u202e\x1b[31m") == "chiều #EXTINF:1,x [31m"
    assert one_line("Đài\u200b Kỳ Lừa") == "Đài Kỳ Lừa"
