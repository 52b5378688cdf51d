"""What people type on the office pages is checked by the library's own rules and shown in Vietnamese beside its
field: never a server error, nothing stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from broadcast.db.models import Message, Session, User
from broadcast.planning.refit import OVERRUN
from broadcast.web.pages.timetable import vi_reason
from tests.web.conftest import PASSWORD, Office, sign_in
from tests.web.test_messages import write
from tests.web.test_units import CAO_LOC, session_form


@pytest.mark.parametrize(
    ("field", "typed", "shown"),
    [
        ("title", "🔥🔥🔥", "Tiêu đề không có gì để đọc: chỉ có ký hiệu hoặc biểu tượng cảm xúc"),
        ("title", "Phòng\x07 cháy", "Tiêu đề có ký tự điều khiển không nhìn thấy được"),
        ("title", "x" * 201, "Tiêu đề dài 201 ký tự; chỉ được tối đa 200 ký tự."),
        ("text", "\u202eBà con chú ý", "Nội dung có ký tự đảo chiều chữ"),
        ("text", "\u200b\u200b", "Nội dung không được để trống."),
        ("sessions", "sáng\x1b", "Buổi phát có ký tự điều khiển"),
    ],
)
def test_a_message_form_shows_why_its_text_was_refused(office: Office, field: str, typed: str, shown: str) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    response = write(client, token, **{field: typed})
    assert response.status_code == 422, response.text
    assert shown in response.text
    with office.database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Message)) == 0


def test_a_message_form_drops_pasted_zero_width_characters(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    assert write(client, token, title="Phòng\u200b cháy\ufeff rừng").status_code == 303
    with office.database.transaction() as db:
        assert db.scalars(select(Message.title)).one() == "Phòng cháy rừng"


def test_session_and_account_forms_show_why_a_name_was_refused(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "tinh")
    sleepy = client.post(f"{CAO_LOC}/sessions", data=session_form(csrf, name="😴", confirm="yes"))
    assert sleepy.status_code == 400 and "Tên buổi không có gì để đọc" in sleepy.text
    bell = client.post(f"{CAO_LOC}/sessions", data=session_form(csrf, name="trưa\x07", confirm="yes"))
    assert bell.status_code == 400 and "Tên buổi có ký tự điều khiển" in bell.text
    form = {"csrf": csrf, "username": "moi", "role": "editor", "scope": "legacy:183", "password": PASSWORD}
    backwards = client.post("/users", data={**form, "full_name": "Trần\u202e Hoa"})
    assert backwards.status_code == 400 and "Họ và tên có ký tự đảo chiều chữ" in backwards.text
    with office.database.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Session).where(Session.name.like("tr%"))) == 0
        assert db.scalar(select(User).where(User.username == "moi")) is None


def test_the_timetable_says_why_the_build_left_a_message_out_in_vietnamese() -> None:
    assert vi_reason(OVERRUN) == "khi đọc thật dài hơn dự tính, không còn vừa trước giờ kết thúc buổi phát"
    said = vi_reason("cannot be read aloud: nothing to say: the text is empty or only symbols; give words to read")
    assert said.startswith("không có gì để đọc thành tiếng")
    failed = vi_reason("cannot be read aloud: espeak-ng failed with voice vi: simulated failure")
    assert failed == "bộ đọc không đọc được nội dung này; hãy báo người quản trị"
