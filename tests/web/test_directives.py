"""The directives pages: uploading every accepted format, the same file twice, the record beside its text,
corrections with their audit row, refusals of wrong files, roles, and escaping."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from broadcast.db.models import AuditEntry, Directive
from broadcast.messages.drafting import MAX_UPLOAD_BYTES
from tests.directives.test_readers import _directive_docx, _write_pdf
from tests.web.conftest import Office, sign_in

FIXTURES = Path(__file__).parents[1] / "directives" / "fixtures"


def upload(client: TestClient, token: str, name: str, data: bytes) -> Any:
    return client.post("/directives/upload", data={"csrf": token}, files={"file": (name, data)}, follow_redirects=False)


def directive_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("/")[2].split("?")[0])


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    _directive_docx().save(buffer)
    return buffer.getvalue()


def test_upload_shows_the_record_beside_its_text_and_drafts(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    first = upload(client, token, "ke_hoach.md", (FIXTURES / "ke_hoach.md").read_bytes())
    number = directive_id(first)
    page = client.get(first.headers["location"])
    assert page.status_code == 200
    assert "Đã nhập văn bản và soạn 4 tin nháp." in page.text
    assert "Kế hoạch số 45/KH-UBND" in page.text and 'value="19/02/2022"' in page.text
    assert "Nội dung văn bản" in page.text and "Tin soạn từ văn bản" in page.text
    assert page.text.count('href="/messages/') == 4
    listing = client.get("/directives")
    assert (
        listing.status_code == 200 and f'href="/directives/{number}"' in listing.text and "19/02/2022" in listing.text
    )
    again = upload(client, token, "renamed.md", (FIXTURES / "ke_hoach.md").read_bytes())
    assert directive_id(again) == number
    assert "đã được nhập trước đây" in client.get(again.headers["location"]).text
    with office.database.transaction() as db:
        assert len(list(db.scalars(select(Directive)))) == 1
        entry = db.scalars(select(AuditEntry).where(AuditEntry.kind == "directive.import")).one()
        assert entry.actor == "bientap (Cán bộ bientap)"


@pytest.mark.parametrize("kind", ["docx", "pdf", "txt"])
def test_every_accepted_format_uploads(office: Office, tmp_path: Path, kind: str) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    if kind == "docx":
        data = docx_bytes()
    elif kind == "pdf":
        _write_pdf(tmp_path / "x.pdf", (FIXTURES / "cong_van_wrapped.txt").read_text(encoding="utf-8"))
        data = (tmp_path / "x.pdf").read_bytes()
    else:
        data = (FIXTURES / "chi_thi.txt").read_bytes()
    response = upload(client, token, f"van-ban.{kind}", data)
    page = client.get(f"/directives/{directive_id(response)}")
    assert page.status_code == 200 and f"van-ban.{kind}" in page.text


@pytest.mark.parametrize(
    ("name", "data", "status", "shown"),
    [
        ("cong_van.doc", b"\xd0\xcf\x11\xe0 old word", 422, "không thật sự là tệp .doc"),
        ("virus.exe", b"MZ", 422, "Tệp loại .exe không được nhận"),
        ("fake.pdf", b"<html>not a pdf</html>", 422, "không thật sự là tệp .pdf"),
        ("fake.docx", b"%PDF-1.4", 422, "không thật sự là tệp .docx"),
        ("binary.txt", b"abc\x00def", 422, "Không nhận ra bảng mã"),
        ("empty.txt", b"", 422, "không có nội dung"),
        ("latin.txt", b"C\xf4ng v\xe3n \x81\x8d", 422, "Không nhận ra bảng mã"),
        ("huge.txt", b"a" * (MAX_UPLOAD_BYTES + 1), 413, "lớn hơn 10 MB"),
    ],
)
def test_wrong_files_are_refused_beside_the_field(
    office: Office, name: str, data: bytes, status: int, shown: str
) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    response = upload(client, token, name, data)
    assert response.status_code == status
    assert "Tệp" in response.text and shown in response.text
    with office.database.transaction() as db:
        assert list(db.scalars(select(Directive))) == []


def test_the_api_keeps_its_own_body_limit(office: Office) -> None:
    client = office.app_client()
    body = b"x" * (5 * 1024 * 1024)
    response = client.post(
        "/api/v1/stations/legacy-06253/playlog", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_correcting_a_field_writes_the_trail(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    number = directive_id(upload(client, token, "ke_hoach.md", (FIXTURES / "ke_hoach.md").read_bytes()))
    fields = {"doc_type": "ke_hoach", "number": "46/KH-UBND", "issuer": "UBND huyện", "subject": "Tuyên truyền"}
    bad = client.post(f"/directives/{number}", data={**fields, "csrf": token, "issued_on": "31/02/2022"})
    assert bad.status_code == 422 and "Ngày ban hành: không đọc được" in bad.text and 'value="46/KH-UBND"' in bad.text
    good = client.post(f"/directives/{number}", data={**fields, "csrf": token, "issued_on": "2022-02-20"})
    assert good.status_code == 200 and "Đã lưu chỉnh sửa." in good.text and 'value="20/02/2022"' in good.text
    with office.database.transaction() as db:
        entry = db.scalars(select(AuditEntry).where(AuditEntry.kind == "directive.edit")).one()
        assert entry.before is not None and entry.after is not None
        assert (entry.before["number"], entry.after["number"]) == ("45/KH-UBND", "46/KH-UBND")
    assert client.post("/directives/999", data={**fields, "csrf": token}).status_code == 404
    assert client.get("/directives/999").status_code == 404


def test_roles_and_scope(office: Office) -> None:
    editor = office.app_client()
    number = directive_id(
        upload(editor, sign_in(editor, "bientap"), "ke_hoach.md", (FIXTURES / "ke_hoach.md").read_bytes())
    )
    operator = office.app_client()
    token = sign_in(operator, "dai")
    page = operator.get(f"/directives/{number}")
    assert page.status_code == 200 and "Lưu chỉnh sửa" not in page.text  # directives are visible to every office
    assert "Tải lên" not in operator.get("/directives").text
    assert upload(operator, token, "x.txt", b"text").status_code == 403
    assert operator.post(f"/directives/{number}", data={"csrf": token, "number": "1"}).status_code == 403
    other = office.app_client()
    other_token = sign_in(other, "vanquan")  # another district's editor sees the directive; its drafts have no target
    assert other.get(f"/directives/{number}").status_code == 200
    assert upload(other, "0" * 64, "x.txt", b"text").status_code == 400  # a forged form
    assert other_token


def test_markup_in_a_correction_is_escaped(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    number = directive_id(upload(client, token, "ke_hoach.md", (FIXTURES / "ke_hoach.md").read_bytes()))
    client.post(
        f"/directives/{number}",
        data={"csrf": token, "doc_type": "ke_hoach", "subject": "<script>alert(1)</script>", "number": "<b>1</b>"},
    )
    page = client.get(f"/directives/{number}")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    listing = client.get("/directives")
    assert "<b>1</b>" not in listing.text and "&lt;b&gt;1&lt;/b&gt;" in listing.text
    name = upload(client, token, "<img src=x>.txt", b"abc\x00")
    assert name.status_code == 422 and "<img src=x>" not in name.text


def test_an_id_beyond_64_bits_is_not_found(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    for number in ("9223372036854775808", "99999999999999999999999"):
        page = client.get(f"/directives/{number}")
        assert page.status_code == 404 and "Không tìm thấy" in page.text
        posted = client.post(f"/directives/{number}", data={"csrf": token, "number": "1"})
        assert posted.status_code == 404 and "Không tìm thấy" in posted.text


CORPUS = Path(__file__).parents[1] / "directives" / "corpus"


@pytest.mark.parametrize("name", ["huyen_cong_dien_doc.doc", "xa_thong_bao_tcvn3.txt", "tinh_thong_bao_vni.txt"])
def test_old_word_files_and_legacy_encodings_upload(office: Office, name: str) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    page = client.get(f"/directives/{directive_id(upload(client, token, name, (CORPUS / name).read_bytes()))}")
    assert page.status_code == 200 and "Số, ký hiệu" in page.text
    assert "Bản quét" not in page.text


def test_a_scan_says_how_sure_its_reading_is(office: Office) -> None:
    client = office.app_client()
    token = sign_in(client, "bientap")
    number = directive_id(upload(client, token, "cong-van.png", (CORPUS / "xa_thong_bao_scan.png").read_bytes()))
    page = client.get(f"/directives/{number}")
    assert "Bản quét, độ tin cậy nhận dạng 9" in page.text and "cần kiểm tra lại" not in page.text
    assert "45/TB-UBND" in page.text
    with office.database.transaction() as db:
        stored = db.get(Directive, number)
        assert stored is not None and stored.record["ocr_confidence"] >= 90
        stored.record = {**stored.record, "ocr_confidence": 71.2, "uncertain": True}
    page = client.get(f"/directives/{number}")
    assert '<p class="warning" role="status">Bản quét, độ tin cậy nhận dạng 71% — cần kiểm tra lại</p>' in page.text
