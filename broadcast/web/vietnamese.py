"""Library errors as an office page shows them: whole Vietnamese sentences, the values the library named kept.

The library's texts are English, written for the CLI. ``RULES`` reads each one (a regular expression over the
error's template, ``{field}`` placeholders left in) and says it again in Vietnamese; an error no rule reads falls
back to one sentence for its class. tests/web/test_vietnamese.py checks every ``raise …Error("…")`` an office page
can meet is read by a rule, so a new English text cannot reach a page unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from broadcast.errors import (
    AccountError,
    AlreadyApproved,
    AudioError,
    BroadcastError,
    BuildLockedError,
    ConfigError,
    DatabaseError,
    FileWriteError,
    LoginThrottled,
    MessageError,
    NotFoundError,
    ParseError,
    PermissionDenied,
    ReportError,
    SessionError,
    SpeechError,
    UnitsError,
)

# What a page calls each library parameter, where a sentence names it (the form shows the same words).
FIELD_LABELS = {
    "title": "Tiêu đề",
    "text": "Nội dung",
    "targets": "Nơi nhận",
    "starts_on": "Ngày bắt đầu",
    "ends_on": "Ngày kết thúc",
    "per_day": "Số lần mỗi ngày",
    "priority": "Mức độ",
    "session_names": "Buổi phát",
    "weekdays": "Ngày trong tuần",
    "approved_by": "Người duyệt",
    "days": "Số ngày",
    "start": "Từ ngày",
    "end": "Đến ngày",
    "name": "Tên buổi",
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "role": "Vai trò",
    "scope": "Phạm vi",
    "password": "Mật khẩu",
    "code": "Mã",
    "file": "Tệp",
    "start_time": "Giờ bắt đầu",
    "length": "Thời lượng",
    "engine": "Bộ đọc",
    "voice_region": "Vùng giọng",
    "rate": "Tốc độ đọc",
    "speaking_rate": "Tốc độ đọc",
    "since": "Từ ngày",
    "unit": "Đơn vị",
    "message_id": "Mã tin",
    "out": "Tệp ghi ra",
    "doc_type": "Loại văn bản",
    "issued_on": "Ngày ban hành",
}

# The sentence for an error no rule reads, by class (the nearest class in its MRO wins).
FALLBACKS: dict[type[BroadcastError], str] = {
    AlreadyApproved: "Tin này đã được duyệt rồi; không có gì thay đổi.",
    MessageError: "Không lưu được tin này; hãy kiểm tra lại các mục.",
    ParseError: "Không đọc được văn bản này; hãy kiểm tra lại tệp.",
    SessionError: "Buổi phát chưa hợp lệ; hãy kiểm tra tên, giờ bắt đầu, thời lượng và ngày trong tuần.",
    UnitsError: "Không tìm được đơn vị hoặc đài như đã ghi; hãy kiểm tra lại mã.",
    NotFoundError: "Không tìm thấy nội dung này.",
    LoginThrottled: "Đăng nhập sai quá nhiều lần; hãy thử lại sau ít phút.",
    AccountError: "Không lưu được tài khoản này; hãy kiểm tra lại các mục.",
    PermissionDenied: "Tài khoản của bạn không có quyền làm việc này.",
    ReportError: "Không lập được báo cáo như đã chọn; hãy kiểm tra lại khoảng thời gian.",
    SpeechError: "Không đọc được nội dung này thành tiếng.",
    AudioError: "Không xử lý được âm thanh; hãy báo người quản trị.",
    FileWriteError: "Không ghi được tệp trên máy chủ; hãy báo người quản trị.",
    BuildLockedError: "Đang có một lần dựng bản tin khác; hãy thử lại khi lần đó xong.",
    ConfigError: "Cấu hình máy chủ có lỗi; hãy báo người quản trị.",
    DatabaseError: "Cơ sở dữ liệu của máy chủ có lỗi; hãy báo người quản trị.",
    BroadcastError: "Không thực hiện được việc này; hãy kiểm tra lại rồi thử lại.",
}

Render = Callable[["Said"], str]


@dataclass(frozen=True)
class Said:
    """What a rule read: the values it captured, already put the way a page writes them."""

    values: dict[str, str]
    label: str  # the Vietnamese name of the error's field, or "" when it names none

    def __getitem__(self, key: str) -> str:
        return self.values.get(key) or ""


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    say: str | Render

    def render(self, said: Said) -> str:
        if isinstance(self.say, str):
            return self.say.format_map({**said.values, "label": said.label})
        return self.say(said)


Q = r"['\"](?P<{}>.*)['\"]"  # a value the library quotes with repr(); the page quotes it «so»


def q(name: str) -> str:
    return Q.format(name)


_DAYS_VI = {"daily": "hằng ngày", "mon": "T2", "tue": "T3", "wed": "T4", "thu": "T5", "fri": "T6", "sat": "T7"}
_DAYS_VI["sun"] = "CN"


def _weekdays_vi(text: str) -> str:
    """A session as clock.describe() writes it ("sáng 05:30-06:00 mon-fri"), its weekdays in Vietnamese."""
    return re.sub(r"\b(daily|mon|tue|wed|thu|fri|sat|sun)\b", lambda m: _DAYS_VI[m[1]], text)


def _overlap(s: Said) -> str:
    return (
        f"Các buổi phát của {s['owner']} bị trùng giờ: {_weekdays_vi(s['first'])} và {_weekdays_vi(s['second'])}; "
        "hãy đổi giờ bắt đầu hoặc thời lượng, hoặc xoá bớt một buổi."
    )


def _no_session(s: Said) -> str:
    named = re.fullmatch(r"named (.+) ", s["wanted"])
    which = f" tên {named[1]}" if named else ""
    return f"Tin số {s['id']} không có buổi phát nào{which} vào các ngày phát của tin, tại các đài mà tin tới."


def _missing_sessions(s: Said) -> str:
    named = re.fullmatch(r"no session named " + q("name"), s["what"])
    if named:
        return f"{s['owner']} không có buổi phát nào tên «{named['name']}»; hãy xem buổi phát của nơi này lấy từ đâu."
    return f"{s['owner']} không có buổi phát riêng; các buổi đang dùng lấy từ đơn vị cấp trên."


def _file_type(s: Said) -> str:
    suffix = "(không có đuôi)" if s["suffix"] in ("", "(none)") else s["suffix"]
    return f"Tệp loại {suffix} không được nhận; hãy dùng tệp .txt, .md, .docx, .doc, .pdf, .png hoặc .jpg."


_DATE_HINT = "hãy viết theo dạng dd/mm/yyyy, ví dụ 25/12/2026."


def _date(s: Said) -> str:
    if s.label:
        return f"{s.label}: không đọc được ngày «{s['text']}»; {_DATE_HINT}"
    return f"Không đọc được ngày «{s['text']}»; {_DATE_HINT}"


_LEXICON = "Tệp từ điển cách đọc {where} có dòng viết sai; hãy báo người quản trị."
_ANNOUNCEMENTS = "Tệp quy tắc soạn tin {where} có dòng viết sai; hãy báo người quản trị."

# (English text as a regular expression, Vietnamese sentence). A group named "field" or "fields" holds {parameter}
# placeholders and reads as their Vietnamese labels; ISO dates read as dd/mm/yyyy, "3 min 05 s" as "3 phút 05 giây".
_TABLE: tuple[tuple[str, str | Render], ...] = (
    # times.py, and every date a form takes
    (r"cannot read date " + q("text") + r"; write it as YYYY-MM-DD or DD/MM/YYYY", _date),
    # planning/service.py, build_runs.py, messages/editing.py, web/pages/messages.py
    (r"(?P<field>\{\w+\}) must be between 1 and (?P<max>\d+), not (?P<n>-?\d+)",
     "{field} phải từ 1 đến {max}, không phải {n}."),
    (r"(?P<field>\{\w+\}) must be a whole number between 1 and (?P<max>\d+)",
     "{field} phải là một số nguyên từ 1 đến {max}."),
    (r"nothing to plan from (?P<start>\S+) to (?P<end>\S+): no approved message runs then; approve one first",
     "Không có gì để lập lịch từ {start} đến {end}: chưa có tin đã duyệt nào phát trong những ngày này. "
     "Hãy duyệt một tin trước."),
    (r"nothing to plan: no active station has sessions; give a unit or station sessions first",
     "Không có gì để lập lịch: chưa đài nào đang hoạt động có buổi phát. Hãy đặt buổi phát cho một đơn vị hoặc một "
     "đài trước."),
    (r"a build is already running; wait for it to finish",
     "Đang có một lần dựng bản tin chạy; hãy chờ lần đó xong rồi thử lại."),
    (r"unexpected error: (?P<kind>\w+)", "Có lỗi ngoài dự kiến ({kind}); hãy báo người quản trị."),
    # planning/fit.py (approval)
    (r"message (?P<id>\d+)'s targets reach no active station; check its targets",
     "Nơi nhận của tin số {id} không tới đài nào đang hoạt động; hãy kiểm tra lại nơi nhận."),
    (r"message (?P<id>\d+) has no session (?P<wanted>.*)on its weekdays at the stations it reaches", _no_session),
    (r"message (?P<id>\d+) lasts about (?P<length>.+?), longer than any session it could go in \(longest: "
     r"(?P<session>.+), (?P<minutes>\d+) min, (?P<free>.+?) free after the bulletin's own parts\); "
     r"shorten the text or lengthen the session",
     "Tin số {id} dài khoảng {length}, dài hơn mọi buổi phát có thể xếp tin vào (buổi dài nhất: {session}, "
     "{minutes} phút, chỉ còn trống {free} sau phần mở đầu và kết thúc của bản tin). Hãy rút gọn nội dung hoặc "
     "kéo dài buổi phát."),
    # planning/timetable.py, listening.py, web/pages/timetable.py
    (r"station (?P<code>\S+) plays no audio (?P<sha>\S+) on (?P<day>\S+)",
     "Đài {code} không phát âm thanh này vào ngày {day}."),
    (r"station (?P<code>\S+) has no built session (?P<index>\d+) on (?P<day>\S+)",
     "Đài {code} chưa có buổi số {index} được dựng cho ngày {day}."),
    (r"audio (?P<sha>\S+) is not in the export; build the day again",
     "Chưa có âm thanh này trong bản đã dựng; hãy dựng lại ngày này."),
    (r"no audio " + q("sha"), "Không có âm thanh này."),
    (r"no day " + q("text"), "Không có ngày «{text}»."),
    (r"no build run (?P<id>\d+)", "Không có lần dựng số {id}."),
    (r"no report format " + q("fmt"), "Không có định dạng báo cáo «{fmt}»."),
    # messages/editing.py, messages/approval.py, messages/store.py
    (r"a new message needs (?P<fields>.+)", "Tin mới cần có {fields}."),
    (r"nothing to change; give at least one thing to change, e\.g\. \{title\} or \{ends_on\}",
     "Không có gì để thay đổi; hãy sửa ít nhất một mục, ví dụ Tiêu đề hoặc Ngày kết thúc."),
    (r"message (?P<id>\d+) is retired; add a new message instead",
     "Tin số {id} đã dừng phát; hãy thêm một tin mới thay cho tin này."),
    (r"(?P<field>\{\w+\}) holds a NUL character; type it again", "{field} có ký tự không hợp lệ; hãy gõ lại."),
    # validation.py: every title, text and name people type
    (r"(?P<field>\{\w+\}) holds a text direction mark \(U\+(?P<code>[0-9A-F]+)\); .*",
     "{field} có ký tự đảo chiều chữ (viết từ phải sang trái), không nhìn thấy được; hãy xoá đi rồi gõ lại."),
    (r"(?P<field>\{\w+\}) holds an invisible control character \(U\+(?P<code>[0-9A-F]+)\); .*",
     "{field} có ký tự điều khiển không nhìn thấy được; hãy xoá đi rồi gõ lại."),
    (r"(?P<field>\{\w+\}) cannot be empty", "{field} không được để trống."),
    (r"(?P<field>\{\w+\}) has (?P<n>\d+) characters; at most (?P<max>\d+) are allowed",
     "{field} dài {n} ký tự; chỉ được tối đa {max} ký tự."),
    (r"(?P<field>\{\w+\}) has nothing to read: only symbols or emoji, no letter or number; write it in words",
     "{field} không có gì để đọc: chỉ có ký hiệu hoặc biểu tượng cảm xúc, không có chữ hay số nào; hãy viết "
     "bằng chữ."),
    (r"unknown priority " + q("value") + r"; use (?P<choices>.+)",
     "Không có mức độ «{value}»; hãy chọn Thông thường, Ưu tiên hoặc Khẩn cấp."),
    (r"the window ends \((?P<end>.+?)\) before it starts \((?P<start>.+?)\); check \{starts_on\} and \{ends_on\}",
     "Ngày kết thúc ({end}) đứng trước ngày bắt đầu ({start}); hãy kiểm tra lại hai ngày này."),
    (r"a message's (?P<field>\w+) cannot be empty", "{field} không được để trống."),
    (r"say \{approved_by\}", "Hãy ghi tên người duyệt."),
    (r"message (?P<id>\d+) is already approved by (?P<by>.+) at (?P<at>.+); nothing changed",
     "Tin số {id} đã được {by} duyệt lúc {at}; không có gì thay đổi."),
    (r"message (?P<id>\d+) is marked for offices only; mark it for broadcast first if listeners should hear it",
     "Tin số {id} chỉ dùng trong cơ quan, không để phát thanh; nếu muốn người dân được nghe, hãy đánh dấu tin để "
     "phát trước."),
    (r"message (?P<id>\d+) has no target; give it at least one first",
     "Tin số {id} chưa có nơi nhận; hãy chọn ít nhất một nơi nhận trước."),
    (r"message (?P<id>\d+) has no window; give it a first and a last day first",
     "Tin số {id} chưa có thời gian phát; hãy ghi ngày bắt đầu và ngày kết thúc trước."),
    (r"no message with id (?P<id>\d+)(; .*)?", "Không có tin số {id}."),
    (r"no such unit", "Không có đơn vị này."),
    (r"choose at least one day of the week in \{weekdays\}", "Hãy chọn ít nhất một ngày trong tuần."),
    # messages/drafting.py (directive upload and edits), directives/readers.py, header.py, parser.py; readers.py
    # names the upload's temporary copy (upload.pdf), so its sentences say "this file" instead
    (r"no directive with id (?P<id>\d+)(; .*)?", "Không có văn bản số {id}."),
    (r"cannot read (?P<path>.+): (?P<reason>.+); check the path",
     "Không đọc được tệp này; hãy kiểm tra lại tệp rồi tải lên lại."),
    (r"unsupported file type (?P<suffix>\S*); use .+", _file_type),
    (r"(?P<name>.+) is empty; give a file with the directive's text",
     "Tệp {name} không có nội dung; hãy chọn tệp có nội dung văn bản."),
    (r"(?P<name>.+) is larger than (?P<mb>\d+) MB", "Tệp {name} lớn hơn {mb} MB; hãy chọn tệp nhỏ hơn."),
    (r"(?P<name>.+) is not a (?P<suffix>\S+) file inside; check the file",
     "Tệp {name} không thật sự là tệp {suffix}; hãy kiểm tra lại tệp."),
    (r"unknown document type " + q("value") + r"; use one of (?P<choices>.+)",
     "Không có loại văn bản «{value}»; hãy chọn một trong: {choices}."),
    (r"(?P<name>.+) is not text in a known encoding \(.*\); save it as UTF-8 text",
     "Không nhận ra bảng mã của tệp này (đã thử UTF-8, UTF-16, TCVN3, VNI); hãy lưu lại tệp dưới dạng văn bản "
     "UTF-8."),
    (r"(?P<name>.+) is not a readable \.doc file \((?P<why>.*)\); .*",
     "Không đọc được tệp Word (.doc) này; hãy mở tệp bằng Word rồi lưu lại."),
    (r"(?P<name>.+) is not a readable image \((?P<why>.*)\); .*",
     "Không đọc được tệp ảnh này; hãy quét hoặc chụp lại văn bản."),
    (r"(?P<name>.+) could not be read by OCR \((?P<why>.*)\); .*",
     "Không nhận dạng được chữ trong bản quét này; hãy quét lại văn bản."),
    (r"(?P<name>.+): no text found in the scan; .*",
     "Không tìm thấy chữ trong bản quét này; hãy quét lại cho thẳng, rõ nét."),
    (r"(?P<tool>\S+) is not installed; install the Debian package (?P<package>\S+) .*",
     "Máy chủ chưa cài {tool}; quản trị viên cần cài gói {package}."),
    (r"(?P<name>.+) is typed in an old Vietnamese font; install the Debian package (?P<package>\S+) to read it",
     "Tệp Word này gõ bằng phông chữ tiếng Việt cũ; quản trị viên cần cài gói {package} để đọc được."),
    (r"Tesseract's Vietnamese model is missing; install the Debian package (?P<package>\S+)",
     "Máy chủ chưa có bộ nhận dạng chữ tiếng Việt; quản trị viên cần cài gói {package}."),
    (r"(?P<name>.+) is not a readable \.docx file \((?P<why>.*)\); open and re-save it in Word",
     "Không đọc được tệp Word này; hãy mở tệp bằng Word rồi lưu lại."),
    (r"(?P<name>.+) is encrypted; save an unprotected copy and try again",
     "Tệp này đang khoá bằng mật khẩu; hãy lưu một bản không khoá rồi thử lại."),
    (r"(?P<name>.+) is not a readable PDF \((?P<why>.*)\); open and re-save it",
     "Không đọc được tệp PDF này; hãy mở tệp rồi lưu lại."),
    (r"the date in " + q("line") + r" does not exist; correct the date line",
     "Ngày tháng trong dòng «{line}» không có thật; hãy sửa lại dòng ngày tháng."),
    (r"the directive text is empty; give the full text of the document",
     "Văn bản không có nội dung; hãy đưa toàn văn của văn bản."),
    (r"not a directive: no number .* in the header; check that this is an official document",
     "Đây không giống một văn bản: phần đầu không có số (Số: …) và không có ngày (…, ngày … tháng … năm …). "
     "Hãy kiểm tra đây có phải văn bản chính thức không."),
    (r"not a directive: no body text after the header; check that the file is complete",
     "Đây không giống một văn bản: sau phần đầu không có nội dung. Hãy kiểm tra tệp có đầy đủ không."),
    # units/clock.py, units/sessions.py
    (r"cannot read weekdays " + q("text") + r"; .*",
     "Không đọc được ngày trong tuần «{text}»; hãy viết ví dụ t2-t6, t7,cn hoặc daily (hằng ngày)."),
    (r"weekday range " + q("text") + r" runs backwards; .*",
     "Khoảng ngày «{text}» bị ngược; hãy viết ngày đầu trước, ví dụ t2-t6."),
    (r"cannot read time " + q("text") + r"; write it as HH:MM, e\.g\. 05:30",
     "Không đọc được giờ «{text}»; hãy viết theo dạng HH:MM, ví dụ 05:30."),
    (r"time " + q("text") + r" is not a time of day; .*",
     "Giờ «{text}» không có thật; hãy viết giờ từ 00:00 đến 23:59."),
    (r"cannot read length " + q("text") + r"; .*",
     "Không đọc được thời lượng «{text}»; hãy viết số phút hoặc số giờ, ví dụ 30m, 1h hoặc 1h30m."),
    (r"length " + q("text") + r" must be between 1 minute and 24 hours",
     "Thời lượng «{text}» phải từ 1 phút đến 24 giờ."),
    (r"a session needs \{name\}, e\.g\. sáng", "Buổi phát cần có tên, ví dụ: sáng."),
    (r"session " + q("name") + r" runs past midnight \((?P<start>.+) \+ (?P<length>.+)\); "
     r"start it earlier or make it shorter",
     "Buổi «{name}» kéo dài qua nửa đêm ({start} + {length}); hãy bắt đầu sớm hơn hoặc rút ngắn buổi."),
    (r"sessions overlap on (?P<owner>.+?): (?P<first>.+?) and (?P<second>.+); change the start time or length, .*",
     _overlap),
    (r"(?P<owner>.+) has (?P<what>.+); see where its sessions come from", _missing_sessions),
    # units/tree.py, units/station_settings.py
    (r"unknown scheme " + q("scheme") + r" in " + q("ref") + r"; write legacy:CODE or 2025:CODE",
     "Không có hệ mã «{scheme}» trong «{ref}»; hãy viết legacy:MÃ hoặc 2025:MÃ."),
    (r"no unit with code " + q("ref") + r"(; .*)?", "Không có đơn vị mã «{ref}»."),
    (r"code " + q("code") + r" exists in both schemes; .*",
     "Mã «{code}» có ở cả hai hệ mã (trước và từ năm 2025); hãy viết legacy:{code} hoặc 2025:{code}."),
    (r"no station with code " + q("code") + r"(; .*)?", "Không có đài mã «{code}»."),
    (r"nothing to change; give an engine, a voice region, a speaking rate or whether the station is active",
     "Không có gì để thay đổi; hãy chọn bộ đọc, vùng giọng, tốc độ đọc hoặc trạng thái hoạt động của đài."),
    (r"\{rate\} must be (?P<low>\d+) to (?P<high>\d+) \(per cent of the normal pace, (?P<normal>\d+) is normal\), "
     r"not (?P<value>-?\d+)",
     "Tốc độ đọc phải từ {low} đến {high} phần trăm ({normal} là bình thường), không phải {value}."),
    (r"unknown engine " + q("value") + r"; use one of (?P<choices>.+)",
     "Không có bộ đọc «{value}»; hãy chọn một trong: {choices}."),
    (r"unknown voice region " + q("value") + r"; use one of (?P<choices>.+)",
     "Không có vùng giọng «{value}»; hãy chọn một trong: {choices}."),
    # accounts/users.py, accounts/passwords.py, accounts/trail.py
    (r"no user named " + q("name") + r"(; .*)?", "Không có tài khoản tên «{name}»."),
    (r"user name " + q("name") + r" must be 2 to 64 letters .*",
     "Tên đăng nhập «{name}» phải dài 2 đến 64 ký tự, chỉ gồm chữ a-z không dấu, chữ số, dấu chấm, gạch dưới "
     "hoặc gạch ngang, và bắt đầu bằng chữ hoặc số."),
    (r"user name " + q("name") + r" is taken; choose another",
     "Tên đăng nhập «{name}» đã có người dùng; hãy chọn tên khác."),
    (r"nothing to change for (?P<name>.+); give a new name, role, scope or state",
     "Không có gì để thay đổi ở tài khoản {name}; hãy sửa họ tên, vai trò, phạm vi hoặc trạng thái."),
    (r"the current password is not right", "Mật khẩu hiện tại không đúng."),
    (r"scope (?P<scope>.+) lies beyond your own; choose a unit or station within it",
     "Phạm vi {scope} nằm ngoài phạm vi của bạn; hãy chọn đơn vị hoặc đài thuộc phạm vi của bạn."),
    (r"too many failed sign-ins; try again in (?P<n>\d+) minutes",
     "Đăng nhập sai quá nhiều lần; hãy thử lại sau {n} phút."),
    (r"a user's full name must have 1 to (?P<n>\d+) characters", "Họ và tên phải có từ 1 đến {n} ký tự."),
    (r"unknown role " + q("value") + r"; use (?P<choices>.+)",
     "Không có vai trò «{value}»; hãy chọn một trong: {choices}."),
    (r"an operator works one station; give its code as the scope",
     "Người vận hành làm việc tại một đài; hãy ghi mã đài làm phạm vi."),
    (r"(?P<ref>.+) is a station; only an operator's scope is a station, give a unit",
     "{ref} là một đài; chỉ người vận hành mới có phạm vi là một đài, hãy chọn một đơn vị."),
    (r"a password needs at least (?P<n>\d+) characters", "Mật khẩu cần có ít nhất {n} ký tự."),
    (r"a password may have at most (?P<n>\d+) characters", "Mật khẩu chỉ được dài tối đa {n} ký tự."),
    (r"a password must not be the user name", "Mật khẩu không được trùng với tên đăng nhập."),
    (r"the first day comes after the last one; swap them", "Từ ngày đứng sau đến ngày; hãy đổi chỗ hai ngày."),
    (r"unit (?P<unit>.+) lies beyond your scope; choose one within it",
     "Đơn vị {unit} nằm ngoài phạm vi của bạn; hãy chọn đơn vị thuộc phạm vi của bạn."),
    # reports/results.py
    (r"\{end\} (?P<end>\S+) is before \{start\} (?P<start>\S+); give the first day first",
     "Đến ngày {end} đứng trước Từ ngày {start}; hãy ghi ngày đầu trước."),
    # preview.py, speech/ (a message's preview, a build)
    (r"give \{message_id\} or \{text\}, not both and not neither", "Hãy cho đúng một trong hai: mã tin hoặc nội dung."),
    (r"the bulletin's own words cannot be read aloud \((?P<text>.*)\): (?P<reason>.*)",
     "Không đọc được thành tiếng phần lời chung của bản tin (lời chào, lời kết); hãy báo người quản trị."),
    (r"nothing to say: the text is empty or only symbols; give words to read",
     "Không có gì để đọc: nội dung trống hoặc chỉ có ký hiệu; hãy viết chữ để đọc."),
    (r"(?P<where>[^:]+): (expected 'written|kind must be one of|the written form must be|write numbers in words"
     r"|write the context as).*",
     _LEXICON),
    (r"cannot read lexicon file (?P<where>.+?): .*", _LEXICON),
    # directives/announcements.py (the announcement rules a draft follows)
    (r"(?P<where>.+?): (?:expected 'pattern<TAB>|the action must be a replacement|no word list @|.*check the regular "
     r"expression).*",
     _ANNOUNCEMENTS),
    (r"cannot read announcement rules file (?P<where>.+?): .*", "Không đọc được tệp quy tắc soạn tin {where}; hãy báo "
     "người quản trị."),
    # audio/ (a build), locks.py, files.py
    (r"(?P<tool>\S+) is not installed; install it with .*", "Máy chủ chưa cài {tool}; hãy báo người quản trị."),
    (r"ffmpeg took more than 10 minutes; the input is probably not audio",
     "Xử lý âm thanh quá 10 phút; tệp đầu vào có lẽ không phải âm thanh."),
    (r"ffmpeg failed: .*", "Xử lý âm thanh bị lỗi; hãy báo người quản trị."),
    (r"ffmpeg did not report loudness; the input is probably not audio",
     "Không đo được độ lớn âm thanh; tệp đầu vào có lẽ không phải âm thanh."),
    (r"nothing to fade after (?P<at>\S+) s of (?P<path>.+)", "Không còn âm thanh để giảm dần sau giây {at}."),
    (r"ffmpeg cannot read this audio \(.*\); give a WAV or MP3 file",
     "Không đọc được tệp âm thanh này; hãy dùng tệp WAV hoặc MP3."),
    (r"ffmpeg found no audio in this file; give a WAV or MP3 file",
     "Tệp này không có âm thanh; hãy dùng tệp WAV hoặc MP3."),
    (r"ffmpeg found no samples in this audio; give a WAV or MP3 file with sound in it",
     "Tệp âm thanh này rỗng; hãy dùng tệp WAV hoặc MP3 có tiếng."),
    (r"the audio is silent; nothing to normalise", "Âm thanh hoàn toàn im lặng; không có gì để chỉnh độ lớn."),
    (r"cannot bring this audio to (?P<lufs>\S+) LUFS with true peaks under (?P<peak>\S+) dBTP; .*",
     "Không đưa được âm thanh tới {lufs} LUFS mà vẫn giữ đỉnh dưới {peak} dBTP; hãy kiểm tra âm thanh gốc có bị "
     "méo không, hoặc chọn mức độ lớn thấp hơn."),
    (r"jingle (?P<path>.+) is missing; .*", "Thiếu tệp nhạc hiệu {path}; hãy báo người quản trị."),
    (r"no bulletin templates at (?P<path>.+); .*", "Không tìm thấy mẫu bản tin tại {path}; hãy báo người quản trị."),
    (r"cannot read template (?P<path>.+); .*", "Không đọc được mẫu bản tin {path}; hãy báo người quản trị."),
    (r"template (?P<path>.+) (has an unmatched brace|uses .*; it may use only|is empty; write what).*",
     "Mẫu bản tin {path} viết chưa đúng; hãy báo người quản trị."),
    (r"(?P<what>.+?)( \(pid \d+ since .+\))?; try again when it finishes",
     "Đang có một lần dựng bản tin khác; hãy thử lại khi lần đó xong."),
    (r"cannot open the build lock (?P<path>.+): .*; check the home is writable",
     "Không mở được tệp khoá của việc dựng bản tin; hãy báo người quản trị kiểm tra quyền ghi."),
    (r"cannot sync (?P<path>.+) to disk: .*; check the disk and free space",
     "Không ghi được dữ liệu xuống đĩa của máy chủ; hãy báo người quản trị (kiểm tra ổ đĩa và dung lượng trống)."),
    (r"cannot write (?P<path>.+): .*; check .*",
     "Không ghi được tệp trên máy chủ; hãy báo người quản trị kiểm tra chỗ trống và quyền ghi."),
    (r"cannot create (?P<folder>.+): .*; choose another \{out\}",
     "Không tạo được thư mục {folder}; hãy chọn nơi khác."),
    (r"(?P<target>.+) is a folder; give a file name such as .*", "{target} là một thư mục; hãy ghi tên một tệp."),
    (r"cannot write to (?P<folder>.+): permission denied; choose another \{out\}",
     "Không được ghi vào {folder}; hãy chọn nơi khác."),
)  # fmt: skip

RULES = tuple(Rule(re.compile(pattern, re.DOTALL), say) for pattern, say in _TABLE)

_ISO_DAY = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MIN_SEC = re.compile(r"\b(\d+) min (\d+) s\b")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def find_rule(text: str) -> Rule | None:
    """The first rule that reads the whole of text, or None."""
    return next((rule for rule in RULES if rule.pattern.fullmatch(text)), None)


def vi_message(exc: BroadcastError, labels: Mapping[str, str] | None = None) -> str:
    """The error in whole Vietnamese sentences: its rule's, or else its class's. labels adds a page's own fields."""
    names = {**FIELD_LABELS, **(labels or {})}
    label = names.get(exc.field or "", "")
    match = None
    for rule in RULES:
        match = rule.pattern.fullmatch(exc.template)
        if match:
            values = {key: _value(key, value or "", names) for key, value in match.groupdict().items()}
            return rule.render(Said(values, label))
    fallback = next(FALLBACKS[kind] for kind in type(exc).__mro__ if kind in FALLBACKS)
    return f"{label}: giá trị chưa hợp lệ; hãy kiểm tra lại." if label else fallback


def _value(key: str, value: str, names: Mapping[str, str]) -> str:
    """A captured value as the page writes it: fields by their labels, days as dd/mm/yyyy, lengths in Vietnamese."""
    if key in ("field", "fields"):
        value = value if "{" in value else f"{{{value}}}"
        return _PLACEHOLDER.sub(lambda m: names.get(m[1], m[1].replace("_", " ")), value)
    value = _ISO_DAY.sub(r"\3/\2/\1", value)
    return _MIN_SEC.sub(r"\1 phút \2 giây", value)
