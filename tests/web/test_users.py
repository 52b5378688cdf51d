"""Accounts: admins manage those within their scope (never beyond or above it); anyone changes their own password."""

from __future__ import annotations

from broadcast.accounts.users import add_user
from tests.web.conftest import NOW, PASSWORD, Office, sign_in

NEW_PASSWORD = "mat-khau-moi-rat-dai"


def new_user(csrf: str, **fields: str) -> dict[str, str]:
    values = {"username": "moi", "full_name": "Người Mới", "role": "editor", "scope": "legacy:183"}
    return {"csrf": csrf, **values, "password": PASSWORD, **fields}


def district_admin(office: Office) -> None:
    with office.database.transaction() as db:
        add_user(db, "qtcaoloc", "Quản trị Cao Lộc", "admin", "legacy:183", PASSWORD, now=NOW)


def test_only_admins_see_accounts_and_only_those_in_scope(office: Office) -> None:
    district_admin(office)
    client = office.app_client()
    sign_in(client, "caoloc")
    assert client.get("/users").status_code == 403
    client = office.app_client()
    sign_in(client, "qtcaoloc")
    page = client.get("/users")
    assert page.status_code == 200
    for inside in ("caoloc", "bientap", "qtcaoloc"):
        assert f">{inside}</a>" in page.text
    for outside in ("vanquan", "tinh", "dai"):
        assert f">{outside}</a>" not in page.text
    assert client.get("/users/vanquan").status_code == 403
    assert client.get("/users/nobody").status_code == 404


def test_an_admin_may_not_create_accounts_beyond_or_above_its_scope(office: Office) -> None:
    district_admin(office)
    client = office.app_client()
    csrf = sign_in(client, "qtcaoloc")
    for scope in ("legacy:20", "all", "legacy:185", "legacy-06253"):
        response = client.post("/users", data=new_user(csrf, scope=scope, role="admin"))
        assert response.status_code == 400, scope
        assert 'class="field-error"' in response.text and "Phạm vi" in response.text
    made = client.post("/users", data=new_user(csrf), follow_redirects=False)
    assert (made.status_code, made.headers["location"]) == (303, "/users/moi?done=added")
    raise_it = client.post("/users/moi", data={"csrf": csrf, "full_name": "X", "role": "admin", "scope": "legacy:20"})
    assert raise_it.status_code == 400 and "Phạm vi" in raise_it.text
    for unknown in ("99999", "x:1"):
        response = client.post("/users", data=new_user(csrf, username="khac", scope=unknown))
        assert response.status_code == 400 and 'class="field-error"' in response.text
        moved = client.post("/users/moi", data={"csrf": csrf, "full_name": "X", "role": "editor", "scope": unknown})
        assert moved.status_code == 400
    gone = client.post("/users/nobody", data={"csrf": csrf, "full_name": "X", "role": "editor", "scope": "legacy:183"})
    assert gone.status_code == 404


def test_bad_values_are_shown_beside_their_field_and_markup_is_escaped(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "tinh")
    bad_name = client.post("/users", data=new_user(csrf, username="<b>x</b>"))
    assert bad_name.status_code == 400 and "Tên đăng nhập" in bad_name.text and "<b>x</b>" not in bad_name.text
    weak = client.post("/users", data=new_user(csrf, password="ngan"))
    assert weak.status_code == 400 and "Mật khẩu" in weak.text
    markup = "<script>alert(1)</script>"
    client.post("/users", data=new_user(csrf, full_name=markup))
    page = client.get("/users")
    assert markup not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_disabled_user_cannot_sign_in(office: Office) -> None:
    editor = office.app_client()
    sign_in(editor, "bientap")
    admin = office.app_client()
    csrf = sign_in(admin, "tinh")
    response = admin.post("/users/bientap/active", data={"csrf": csrf, "active": "no"}, follow_redirects=False)
    assert response.status_code == 303
    assert "Đã khoá" in admin.get(response.headers["location"]).text
    assert editor.get("/", follow_redirects=False).status_code == 303  # its session ended
    refused = office.app_client().post("/login", data={"username": "bientap", "password": PASSWORD})
    assert refused.status_code == 401
    admin.post("/users/bientap/active", data={"csrf": csrf, "active": "yes"})
    sign_in(office.app_client(), "bientap")


def test_an_admin_sets_a_password_and_changes_a_role(office: Office) -> None:
    admin = office.app_client()
    csrf = sign_in(admin, "tinh")
    response = admin.post("/users/bientap/password", data={"csrf": csrf, "password": NEW_PASSWORD})
    assert response.status_code == 200 and "Đã đặt mật khẩu mới" in response.text
    sign_in(office.app_client(), "bientap", NEW_PASSWORD)
    data = {"csrf": csrf, "full_name": "Cán bộ bientap", "role": "approver", "scope": "legacy:183"}
    changed = admin.post("/users/bientap", data=data)
    assert changed.status_code == 200 and "Đã lưu thay đổi." in changed.text and "Duyệt tin" in changed.text
    same = admin.post("/users/bientap", data=data)
    assert same.status_code == 400


def test_anyone_changes_their_own_password_with_the_current_one(office: Office) -> None:
    client = office.app_client()
    csrf = sign_in(client, "dai")
    assert client.get("/account/password").status_code == 200
    wrong = client.post("/account/password", data={"csrf": csrf, "current": "sai", "password": NEW_PASSWORD})
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng." in wrong.text
    done = client.post(
        "/account/password", data={"csrf": csrf, "current": PASSWORD, "password": NEW_PASSWORD}, follow_redirects=False
    )
    assert (done.status_code, done.headers["location"]) == (303, "/login")
    sign_in(office.app_client(), "dai", NEW_PASSWORD)
