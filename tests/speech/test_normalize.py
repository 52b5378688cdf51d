"""The normalizer, one table per category, and espeak-ng reading every output with its Vietnamese voice."""
# ruff: noqa: E501  (table rows keep input and expected reading on one line, so they read side by side)

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from broadcast.speech.normalize import Normalizer, normalize
from tests.speech import cases_context, cases_foreign

Case = tuple[str, str]

DATES: list[Case] = [
    ("19/02/2022", "ngày mười chín tháng hai năm hai nghìn không trăm hai mươi hai."),
    ("Ngày 19/02/2022 UBND tỉnh ban hành công điện", "Ngày mười chín tháng hai năm hai nghìn không trăm hai mươi hai Ủy ban nhân dân tỉnh ban hành công điện."),
    ("Sáng 14/9, đoàn kiểm tra làm việc tại xã", "Sáng ngày mười bốn tháng chín, đoàn kiểm tra làm việc tại xã."),
    ("Từ 1/7, thực hiện quy định mới", "Từ mùng một tháng bảy, thực hiện quy định mới."),
    ("ngày 1/7", "ngày mùng một tháng bảy."),
    ("Trong tháng 02/2022", "Trong tháng hai năm hai nghìn không trăm hai mươi hai."),
    ("Họp vào ngày 05 tháng 3 năm 2021", "Họp vào ngày mùng năm tháng ba năm hai nghìn không trăm hai mươi mốt."),
    ("Từ ngày 09/4 đến ngày 13/4/2022", "Từ ngày mùng chín tháng tư đến ngày mười ba tháng tư năm hai nghìn không trăm hai mươi hai."),
    ("Từ 09-13/4/2022", "Từ mùng chín đến ngày mười ba tháng tư năm hai nghìn không trăm hai mươi hai."),
    ("Giai đoạn 15/4 - 30/4/2022", "Giai đoạn ngày mười lăm tháng tư đến ngày ba mươi tháng tư năm hai nghìn không trăm hai mươi hai."),
    ("Ngày 19-02-2022", "Ngày mười chín tháng hai năm hai nghìn không trăm hai mươi hai."),
    ("Ngày 19.02.2022", "Ngày mười chín tháng hai năm hai nghìn không trăm hai mươi hai."),
    ("Mùng 2/9 là Quốc khánh", "Mùng hai tháng chín là Quốc khánh."),
    ("Tháng 4 năm nay", "Tháng tư năm nay."),
    ("Ngày 31/12 hết hạn", "Ngày ba mươi mốt tháng mười hai hết hạn."),
    ("Quý 1/2023", "Quý một năm hai nghìn không trăm hai mươi ba."),
]  # fmt: skip

TIMES: list[Case] = [
    ("Họp lúc 7h30 sáng nay", "Họp lúc bảy giờ ba mươi phút sáng nay."),
    ("Bắt đầu từ 17h", "Bắt đầu từ mười bảy giờ."),
    ("Phát lúc 05:30 và 17:00", "Phát lúc năm giờ ba mươi phút và mười bảy giờ."),
    ("Từ 13 giờ đến 17 giờ 30 phút", "Từ mười ba giờ đến mười bảy giờ ba mươi phút."),
    ("Thời gian 7h30 - 11h30", "Thời gian bảy giờ ba mươi phút đến mười một giờ ba mươi phút."),
    ("Đúng 14h00 ngày 20/02", "Đúng mười bốn giờ ngày hai mươi tháng hai."),
    ("Trong 48h tới", "Trong bốn mươi tám giờ tới."),
]  # fmt: skip

NUMBERS: list[Case] = [
    ("2.500", "hai nghìn năm trăm."),
    ("Có 2.500 người tham gia", "Có hai nghìn năm trăm người tham gia."),
    ("Hỗ trợ 1.500.000 đồng", "Hỗ trợ một triệu năm trăm nghìn đồng."),
    ("Tổng cộng 1.234.567", "Tổng cộng một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy."),
    ("Năm 2022", "Năm hai nghìn không trăm hai mươi hai."),
    ("Có 21 hộ, 101 người, 115 em", "Có hai mươi mốt hộ, một trăm linh một người, một trăm mười lăm em."),
    ("Điểm 3.5 của kế hoạch", "Điểm ba chấm năm của kế hoạch."),
    ("Tỷ lệ 1/3 số hộ", "Tỷ lệ một phần ba số hộ."),
    ("Đạt 3/4 kế hoạch", "Đạt ba phần tư kế hoạch."),
    ("Được 50/100 điểm", "Được năm mươi trên một trăm điểm."),
]  # fmt: skip

DECIMALS: list[Case] = [
    ("98,5%", "chín mươi tám phẩy năm phần trăm."),
    ("Tỷ lệ tiêm đạt 98,5%", "Tỷ lệ tiêm đạt chín mươi tám phẩy năm phần trăm."),
    ("Lượng mưa 0,5 mm", "Lượng mưa không phẩy năm mi li mét."),
    ("Giá trị 2,25 tỷ đồng", "Giá trị hai phẩy hai mươi lăm tỷ đồng."),
    ("Tăng 15%", "Tăng mười lăm phần trăm."),
    ("Nhiệt độ -5 độ C", "Nhiệt độ âm năm độ xê."),
]  # fmt: skip

RANGES: list[Case] = [
    ("150 - 250mm", "một trăm năm mươi đến hai trăm năm mươi mi li mét."),
    ("Lượng mưa 150mm - 250mm", "Lượng mưa một trăm năm mươi đến hai trăm năm mươi mi li mét."),
    ("Giai đoạn 2021 - 2026", "Giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi sáu."),
    ("Năm học 2021-2022", "Năm học hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi hai."),
    ("Nhiệt độ 20-25°C", "Nhiệt độ hai mươi đến hai mươi lăm độ xê."),
    ("Tỷ lệ 10 - 15%", "Tỷ lệ mười đến mười lăm phần trăm."),
]  # fmt: skip

RATES: list[Case] = [
    ("02 lần/ngày", "hai lần mỗi ngày."),
    ("25.000đ/kg", "hai mươi lăm nghìn đồng một ki lô gam."),
    ("Tốc độ tối đa 50 km/h", "Tốc độ tối đa năm mươi ki lô mét trên giờ."),
    ("Mức hỗ trợ 100.000 đồng/người", "Mức hỗ trợ một trăm nghìn đồng một người."),
    ("Cấp 5 suất/hộ", "Cấp năm suất một hộ."),
    ("Tiêm 2 mũi/tháng", "Tiêm hai mũi mỗi tháng."),
    ("Thường trực 24/24h", "Thường trực hai mươi tư trên hai mươi tư giờ."),
]  # fmt: skip

ORDINALS: list[Case] = [
    ("thứ 2", "thứ hai."),
    ("Sáng thứ 4", "Sáng thứ tư."),
    ("lần thứ 1", "lần thứ nhất."),
    ("Thứ 7, Chủ nhật", "Thứ bảy, Chủ nhật."),
    ("Đại hội lần thứ XIII", "Đại hội lần thứ mười ba."),
    ("khóa XV", "khóa mười lăm."),
    ("Quốc hội khóa XV", "Quốc hội khóa mười lăm."),
    ("Chương II", "Chương hai."),
    ("Quý IV năm 2022", "Quý bốn năm hai nghìn không trăm hai mươi hai."),
    ("Quý IV/2022", "Quý bốn năm hai nghìn không trăm hai mươi hai."),
    ("Thế kỷ XXI", "Thế kỷ hai mươi mốt."),
    ("Giai đoạn II", "Giai đoạn hai."),
    ("I. Mục tiêu", "một. Mục tiêu."),
    ("II. Nhiệm vụ", "hai. Nhiệm vụ."),
    ("1. Tuyên truyền", "một. Tuyên truyền."),
    ("1.2. Nội dung", "một chấm hai. Nội dung."),
    ("a) Đối tượng", "a. Đối tượng."),
    ("b) Thời gian", "bê. Thời gian."),
]  # fmt: skip

UNITS: list[Case] = [
    ("Sóng biển cao 2 m", "Sóng biển cao hai mét."),
    ("Quãng đường 15 km", "Quãng đường mười lăm ki lô mét."),
    ("Mưa 30 cm", "Mưa ba mươi xăng ti mét."),
    ("Diện tích 120 ha", "Diện tích một trăm hai mươi héc ta."),
    ("Sản lượng 500 kg", "Sản lượng năm trăm ki lô gam."),
    ("Thu hoạch 3 tấn", "Thu hoạch ba tấn."),
    ("Nhiệt độ 30°C", "Nhiệt độ ba mươi độ xê."),
    ("Nhiệt độ thấp nhất 12 độ C", "Nhiệt độ thấp nhất mười hai độ xê."),
    ("Lưu lượng 1.200 m³/s", "Lưu lượng một nghìn hai trăm mét khối trên giây."),
    ("Xây 300 m2 nhà", "Xây ba trăm mét vuông nhà."),
    ("Xả 50 m3 nước", "Xả năm mươi mét khối nước."),
    ("Gió cấp 8, giật cấp 10", "Gió cấp tám, giật cấp mười."),
    ("Giá mỗi km", "Giá mỗi ki lô mét."),
]  # fmt: skip

PHONES: list[Case] = [
    ("Gọi 114 khi có cháy", "Gọi một một bốn khi có cháy."),
    ("Đường dây nóng: 0205 3812 345", "Đường dây nóng: không hai không năm, ba tám một hai, ba bốn năm."),
    ("0205 3812 345", "không hai không năm, ba tám một hai, ba bốn năm."),
    ("Hotline 1900 9095", "đường dây nóng một chín không không, chín không chín năm."),
    ("Liên hệ SĐT 0912.345.678", "Liên hệ số điện thoại không chín một hai, ba bốn năm, sáu bảy tám."),
    ("Điện thoại: (0205) 3812345", "Điện thoại: không hai không năm, ba tám một hai, ba bốn năm."),
    ("Gọi 113 hoặc 115", "Gọi một một ba hoặc một một năm."),
    ("Số 0912345678 của cán bộ trực", "Số không chín một hai, ba bốn năm, sáu bảy tám của cán bộ trực."),
    ("Hotline 0912345678 hoặc 114", "đường dây nóng không chín một hai, ba bốn năm, sáu bảy tám hoặc một một bốn."),
    ("+84912345678", "cộng tám bốn, chín một hai, ba bốn năm, sáu bảy tám."),
    ("Mua 2 điện thoại giá 3.000.000 đồng", "Mua hai điện thoại giá ba triệu đồng."),
]  # fmt: skip

DOCUMENTS: list[Case] = [
    ("Công văn số 184/UBND-KGVX ngày 19/02/2022", "Công văn số một trăm tám mươi tư của Ủy ban nhân dân, khoa giáo văn xã ngày mười chín tháng hai năm hai nghìn không trăm hai mươi hai."),
    ("Nghị định 137/2020/NĐ-CP", "Nghị định một trăm ba mươi bảy năm hai nghìn không trăm hai mươi của Chính phủ."),
    ("Kế hoạch số 33-KH/BCĐ", "Kế hoạch số ba mươi ba của Ban Chỉ đạo."),
    ("Công điện số 01/CĐ-UBND", "Công điện số một của Ủy ban nhân dân."),
    ("Theo 128/NQ-CP", "Theo nghị quyết số một trăm hai mươi tám của Chính phủ."),
    ("Thông tư 39/2020/TT-BTTTT", "Thông tư ba mươi chín năm hai nghìn không trăm hai mươi của Bộ Thông tin và Truyền thông."),
    ("Luật số 59/2020/QH14", "Luật số năm mươi chín năm hai nghìn không trăm hai mươi của Quốc hội khóa mười bốn."),
    ("Quyết định số 2686/QĐ-BCĐQG", "Quyết định số hai nghìn sáu trăm tám mươi sáu của Ban Chỉ đạo quốc gia."),
    ("Số: /STTTT-TTBCXB", "Số: ký hiệu Sở Thông tin và Truyền thông, Thông tin, Báo chí, Xuất bản."),
    ("V/v tuyên truyền", "về việc tuyên truyền."),
]  # fmt: skip

ABBREVIATIONS: list[Case] = [
    ("UBND xã phối hợp MTTQ", "Ủy ban nhân dân xã phối hợp Mặt trận Tổ quốc."),
    ("HĐND huyện họp", "Hội đồng nhân dân huyện họp."),
    ("BCĐ phòng chống dịch", "Ban Chỉ đạo phòng chống dịch."),
    ("Đội PCCC huyện", "Đội phòng cháy chữa cháy huyện."),
    ("Trường THPT Văn Quan", "Trường trung học phổ thông Văn Quan."),
    ("Thẻ BHYT", "Thẻ bảo hiểm y tế."),
    ("Sở TTTT", "Sở Thông tin và Truyền thông."),
    ("Dịch COVID-19", "Dịch cô vít mười chín."),
    ("Dịch Covid-19", "Dịch cô vít mười chín."),
    ("Cách ly F1, điều trị F0", "Cách ly ép một, điều trị ép không."),
    ("Thực hiện 5K", "Thực hiện năm ca."),
    ("Theo NĐ-CP", "Theo nghị định Chính phủ."),
    ("Lực lượng CAND và QĐND", "Lực lượng Công an nhân dân và Quân đội nhân dân."),
    ("Bảo đảm ATGT và ANTT", "Bảo đảm an toàn giao thông và an ninh trật tự."),
    ("Trung tâm VH-TT&TT huyện", "Trung tâm Văn hóa, Thể thao và Truyền thông huyện."),
    ("Đài TT-TH huyện", "Đài Truyền thanh, Truyền hình huyện."),
    ("TP. Lạng Sơn", "thành phố Lạng Sơn."),
    ("TP.HCM", "thành phố Hồ Chí Minh."),
    ("TX. Phú Thọ", "thị xã Phú Thọ."),
    ("TT. Văn Quan", "thị trấn Văn Quan."),
    ("KT. CHỦ TỊCH", "ký thay CHỦ TỊCH."),
    ("Cúm A/H5N1", "Cúm A hát năm en nờ một."),
    ("Mạng 4G", "Mạng bốn giê."),
    ("Tránh các việc trên, v.v.", "Tránh các việc trên, vân vân."),
]  # fmt: skip

UNKNOWN_CAPITALS: list[Case] = [
    ("Phiếu ABCD", "Phiếu a bê xê dê."),
    ("Gửi qua hệ thống XYZ", "Gửi qua hệ thống ích i dài dét."),
    ("Mã KGVX", "Mã khoa giáo văn xã."),
    ("Phòng QLĐT", "Phòng quy e lờ đê tê."),
    ("Khu B", "Khu bê."),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM."),
    ("HỎA TỐC", "HỎA TỐC."),
]  # fmt: skip

PLACE_NAMES: list[Case] = [
    ("Tỉnh Đắk Lắk", "Tỉnh Đắc Lắc."),
    ("Huyện Krông Pắc", "Huyện cơ rông Pắc."),
    ("Huyện Ea H'leo", "Huyện e a hơ leo."),
    ("Thành phố Pleiku", "Thành phố Pờ lây Cu."),
    ("Người H'Mông", "Người Mông."),
]  # fmt: skip

LOANWORDS: list[Case] = [
    ("Đăng ký qua email", "Đăng ký qua i meo."),
    ("Học online", "Học trực tuyến."),
    ("Xem trên website", "Xem trên trang thông tin điện tử."),
    ("Gửi qua Zalo", "Gửi qua da lô."),
    ("Trang Facebook của xã", "Trang phây búc của xã."),
    ("Gọi hotline", "Gọi đường dây nóng."),
    ("Bị nhiễm virus", "Bị nhiễm vi rút."),
    ("Tiêm vaccine", "Tiêm vắc xin."),
    ("Nhắn tin SMS", "Nhắn tin tin nhắn."),
]  # fmt: skip

ADDRESSES: list[Case] = [
    ("Truy cập http://sttt.langson.gov.vn/van-ban", "Truy cập ét tê tê tê chấm lang son chấm gốp chấm vê en."),
    ("Xem www.langson.gov.vn.", "Xem lang son chấm gốp chấm vê en."),
    ("tại địa chỉ: <http://sttt.langson.gov.vn/> (Mục Văn bản)", "tại địa chỉ: ét tê tê tê chấm lang son chấm gốp chấm vê en, Mục Văn bản."),
    ("Gửi thư về vanthu@langson.gov.vn", "Gửi thư về van thu a còng lang son chấm gốp chấm vê en."),
]  # fmt: skip

PUNCTUATION: list[Case] = [
    ("", ""),
    ("   \n\t ", ""),
    ("- Báo Lạng Sơn;", "Báo Lạng Sơn;"),
    ('Nguyên tắc "5K + vắc xin"', "Nguyên tắc năm ca cộng vắc xin."),
    ("Đề nghị thực hiện./.", "Đề nghị thực hiện."),
    ("Điều trị tại nhà (theo dõi sức khỏe).", "Điều trị tại nhà, theo dõi sức khỏe."),
    ("Kính gửi:\n\n- Báo Lạng Sơn;\n- Đài Phát thanh", "Kính gửi:\nBáo Lạng Sơn;\nĐài Phát thanh."),
    ("**KT. GIÁM ĐỐC**", "ký thay GIÁM ĐỐC."),
    ("Ðà Lạt", "Đà Lạt."),
    ("Phòng Văn hóa – Thông tin", "Phòng Văn hóa, Thông tin."),
]  # fmt: skip

MIXED: list[Case] = [
    (
        "Từ 7h30 ngày 14/9, UBND xã tổ chức tiêm vắc xin COVID-19 cho 250 người tại Trạm Y tế.",
        "Từ bảy giờ ba mươi phút ngày mười bốn tháng chín, Ủy ban nhân dân xã tổ chức tiêm vắc xin cô vít mười chín cho hai trăm năm mươi người tại Trạm Y tế.",
    ),
    (
        "Dự báo từ đêm 14/9 đến ngày 16/9 có mưa 100-200mm, gió cấp 6; đề nghị người dân gọi 112 khi cần cứu nạn.",
        "Dự báo từ đêm ngày mười bốn tháng chín đến ngày mười sáu tháng chín có mưa một trăm đến hai trăm mi li mét, gió cấp sáu; đề nghị người dân gọi một một hai khi cần cứu nạn.",
    ),
    (
        "Thực hiện Kế hoạch số 33-KH/BCĐ, thôn có 98,5% hộ tham gia BHYT, mức đóng 25.000đ/tháng.",
        "Thực hiện Kế hoạch số ba mươi ba của Ban Chỉ đạo, thôn có chín mươi tám phẩy năm phần trăm hộ tham gia bảo hiểm y tế, mức đóng hai mươi lăm nghìn đồng mỗi tháng.",
    ),
]  # fmt: skip

TABLES = {
    "dates": DATES,
    "times": TIMES,
    "numbers": NUMBERS,
    "decimals": DECIMALS,
    "ranges": RANGES,
    "rates": RATES,
    "ordinals": ORDINALS,
    "units": UNITS,
    "phones": PHONES,
    "documents": DOCUMENTS,
    "abbreviations": ABBREVIATIONS,
    "unknown_capitals": UNKNOWN_CAPITALS,
    "place_names": PLACE_NAMES,
    "loanwords": LOANWORDS,
    "addresses": ADDRESSES,
    "punctuation": PUNCTUATION,
    "mixed": MIXED,
}
TABLES |= cases_context.TABLES
TABLES |= cases_foreign.TABLES
ALL_CASES = [
    pytest.param(text, spoken, id=f"{name}-{i}")
    for name, table in TABLES.items()
    for i, (text, spoken) in enumerate(table)
]

ANNOUNCEMENT = """\
THÔNG BÁO
Về việc phòng, chống lụt bão và tiêm vắc xin phòng COVID-19

Thực hiện Công điện số 05/CĐ-UBND ngày 12/9/2022 của UBND tỉnh Lạng Sơn và Kế hoạch số 128/KH-BCĐ \
của BCĐ phòng, chống dịch huyện, UBND xã Hữu Lũng thông báo tới toàn thể nhân dân như sau:

1. Dự báo từ đêm 14/9 đến hết ngày 16/9/2022, trên địa bàn có mưa to, lượng mưa phổ biến 150 - 250mm, \
có nơi trên 300mm; gió giật cấp 8. Mực nước sông Thương lên mức 2,5 m. Các hộ ở vùng trũng (khoảng 1.250 hộ) \
cần di dời tài sản trước 17h ngày 14/9.

2. Từ 7h30 - 11h00 thứ 4 (ngày 15/9), Trạm Y tế tổ chức tiêm mũi 3 vắc xin cho người từ 18 tuổi trở lên; \
tỷ lệ tiêm đủ liều của xã hiện đạt 98,5%. F0 điều trị tại nhà uống thuốc 02 lần/ngày theo hướng dẫn của TTYT huyện.

3. Giá hỗ trợ giống ngô là 25.000đ/kg, tối đa 1.500.000 đồng/hộ, theo Nghị định 137/2020/NĐ-CP và \
Thông tư 39/2020/TT-BTTTT. Lực lượng CAND, QĐND và đội PCCC thường trực 24/24 giờ.

Mọi thông tin cần hỗ trợ, đề nghị gọi đường dây nóng 0205 3812 345, gọi 114 khi có cháy, \
hoặc gửi thư về vanthu@huulung.langson.gov.vn; xem thêm trên website http://huulung.langson.gov.vn và Zalo của xã.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
"""


@pytest.mark.parametrize(("text", "spoken"), ALL_CASES)
def test_normalize(text: str, spoken: str) -> None:
    assert normalize(text) == spoken


def test_normalizer_instance_matches_module_function() -> None:
    assert Normalizer().normalize(ANNOUNCEMENT) == normalize(ANNOUNCEMENT)


@pytest.mark.parametrize("text", [ANNOUNCEMENT, *(text for table in TABLES.values() for text, _ in table)])
def test_normalized_text_is_stable(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_announcement_has_no_digit_nor_unexplained_capitals() -> None:
    spoken = normalize(ANNOUNCEMENT)
    assert not re.search(r"[0-9]", spoken)
    # The only capitals left are Vietnamese words written in capitals (headings, signatures).
    leftover = set(re.findall(r"\b[A-ZĐ]{2,}\b", spoken))
    assert leftover <= {"THÔNG", "BÁO", "ỦY", "BAN", "NHÂN", "DÂN", "CHỦ", "TỊCH", "PHÓ"}, leftover


def test_announcement_keeps_paragraphs_and_pauses() -> None:
    lines = normalize(ANNOUNCEMENT).splitlines()
    assert lines[0] == "THÔNG BÁO."
    assert len(lines) == 10
    assert all(line[-1] in ".;:," for line in lines)
    assert "ngày mười bốn tháng chín." in lines[3]


ESPEAK = shutil.which("espeak-ng")


def espeak_switches(text: str) -> bool:
    """Whether espeak-ng's Vietnamese voice switches to another language anywhere in text."""
    assert ESPEAK is not None
    phonemes = subprocess.run(
        [ESPEAK, "-v", "vi", "-q", "-x", "--stdin"], input=text, capture_output=True, text=True, check=True
    ).stdout
    return "(en)" in phonemes


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_espeak_reads_every_case_in_vietnamese() -> None:
    outputs = [normalize(text) for table in TABLES.values() for text, _ in table]
    switched = [spoken for spoken in outputs if spoken and espeak_switches(spoken)]
    assert switched == []


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")
def test_espeak_reads_the_announcement_in_vietnamese() -> None:
    spoken = normalize(ANNOUNCEMENT)
    assert espeak_switches(ANNOUNCEMENT), "the raw text should make espeak-ng switch, or this test proves nothing"
    assert not espeak_switches(spoken)
