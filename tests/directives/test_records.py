"""Full records for three fixture documents: a công văn like the seed, a công điện, a kế hoạch."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from broadcast.directives import parse_directive

CONG_VAN: dict[str, Any] = {
    "doc_type": "cong_van",
    "number": None,
    "notation": "STTTT-TTBCXB",
    # No issuer block: the preamble says who speaks ("Sở Thông tin và Truyền thông đề nghị").
    "issuer": "Sở Thông tin và Truyền thông",
    "issuer_parent": None,
    "place": "Lạng Sơn",
    "issued_on": "2023-05",
    "urgency": None,
    "subject": "tuyên truyền: phòng, chống dịch sốt xuất huyết; phòng, chống đuối nước ở trẻ em; bảo đảm an "
    "toàn thực phẩm trong mùa hè; phòng cháy, chữa cháy rừng trên địa bàn tỉnh Lạng Sơn",
    "recipients": [
        "Báo Lạng Sơn",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Phòng Văn hóa và Thông tin các huyện, thành phố",
    ],
    "references": [
        {"number": "03/CĐ-UBND", "kind": "cong_dien", "issued_on": "2023-05-12", "issuer": "UBND tỉnh"},
        {"number": "512/UBND-KGVX", "kind": "cong_van", "issued_on": "2023-05-15", "issuer": "UBND tỉnh"},
        {
            "number": "41-KH/BCĐ",
            "kind": "ke_hoach",
            "issued_on": "2023-05-10",
            "issuer": "Ban Chỉ đạo liên ngành vệ sinh an toàn thực phẩm tỉnh",
        },
        {"number": "220/VP-KT", "kind": "cong_van", "issued_on": "2023-05-16", "issuer": "Văn phòng UBND tỉnh"},
        {"number": "15/2018/NĐ-CP", "kind": "nghi_dinh", "issued_on": "2018-02-02", "issuer": "Chính phủ"},
    ],
    "sections": [
        {
            "label": "1.",
            "title": "Tuyên truyền phòng, chống dịch sốt xuất huyết",
            "text": "Đẩy mạnh thông tin, tuyên truyền để người dân chủ động diệt lăng quăng, bọ gậy, loại "
            "bỏ các vật dụng chứa nước đọng quanh nhà. Hướng dẫn người dân ngủ màn, mặc quần áo "
            "dài tay để phòng muỗi đốt; khi có biểu hiện sốt cao cần đến ngay cơ sở y tế để được "
            "khám và điều trị kịp thời, không tự ý điều trị tại nhà.",
            "children": [],
        },
        {
            "label": "2.",
            "title": "Tuyên truyền phòng, chống đuối nước ở trẻ em",
            "text": "Tăng cường truyền thông về nguy cơ đuối nước trong dịp nghỉ hè, nhất là ở các ao, "
            "hồ, sông, suối, khu vực khai thác khoáng sản. Vận động cha mẹ, người chăm sóc trẻ "
            "quản lý chặt chẽ con em, không để trẻ đi bơi một mình.",
            "children": [
                {
                    "label": "-",
                    "title": "",
                    "text": "Phổ biến kỹ năng an toàn trong môi trường nước, hướng dẫn cách sơ cứu, "
                    "cấp cứu ban đầu khi gặp người bị đuối nước.",
                    "children": [],
                }
            ],
        },
        {
            "label": "3.",
            "title": "Tuyên truyền bảo đảm an toàn thực phẩm trong mùa hè",
            "text": "Thông tin, tuyên truyền các quy định của pháp luật về an toàn thực phẩm, Nghị định "
            "số 15/2018/NĐ-CP ngày 02/02/2018 của Chính phủ quy định chi tiết thi hành một số "
            "điều của Luật An toàn thực phẩm; khuyến cáo người dân lựa chọn thực phẩm có nguồn "
            "gốc rõ ràng, ăn chín, uống chín, không sử dụng thực phẩm ôi thiu",
            "children": [],
        },
        {
            "label": "4.",
            "title": "Tuyên truyền phòng cháy, chữa cháy rừng",
            "text": "Tăng cường tuyên truyền người dân nâng cao ý thức bảo vệ rừng, không đốt nương, làm "
            "rẫy, đốt thực bì trong những ngày nắng nóng; khi phát hiện cháy rừng phải báo ngay "
            "cho chính quyền địa phương và lực lượng kiểm lâm.",
            "children": [],
        },
        {
            "label": "5.",
            "title": "Đề nghị Phòng Văn hóa và Thông tin các huyện, thành phố",
            "text": "Đôn đốc, hướng dẫn Trung tâm Văn hóa, Thể thao và Truyền thông; Đài Truyền thanh cấp "
            "xã tuyên truyền nội dung nêu trên.",
            "children": [],
        },
    ],
    "signer": {"name": "Lê Thị Thu Hằng", "title": "Phó Giám đốc", "authority": "KT. Giám đốc"},
    "cc": ["Như trên", "Lãnh đạo Sở", "Phòng TTBCXB, VP", "Trung tâm Công nghệ số (đăng tải)", "Lưu: VT, TTBCXB (ĐT)"],
    "broadcast_hints": None,
    "preamble": "Thực hiện Công điện số 03/CĐ-UBND ngày 12/5/2023 của UBND tỉnh về việc tăng cường phòng, chống "
    "dịch sốt xuất huyết; Công văn số 512/UBND-KGVX ngày 15/5/2023 của UBND tỉnh về việc phòng, "
    "chống đuối nước ở trẻ em; Kế hoạch số 41-KH/BCĐ ngày 10/5/2023 của Ban Chỉ đạo liên ngành vệ "
    "sinh an toàn thực phẩm tỉnh thực hiện Tháng hành động vì an toàn thực phẩm năm 2023; Công văn "
    "số 220/VP-KT ngày 16/5/2023 của Văn phòng UBND tỉnh về việc phòng cháy, chữa cháy rừng, Sở "
    "Thông tin và Truyền thông đề nghị các cơ quan, đơn vị:",
    "closing": "Đề nghị Quý cơ quan, đơn vị tổ chức tuyên truyền nội dung nêu trên và báo cáo kết quả về Sở "
    "Thông tin và Truyền thông khi có yêu cầu./.\n"
    "Công điện số 03/CD-UBND ngày 12/5/2023; Công văn số 512/UBND-KGVX ngày 15/5/2023; Kế hoạch số "
    "41-KH/BCĐ ngày 10/5/2023; Công văn số 220/VP-KT ngày 16/5/2023 gửi kèm theo qua VNPT-iOffice và "
    "đăng tải trên trang Thông tin điện tử của Sở Thông tin và Truyền thông tại địa chỉ: "
    "http://sttt.langson.gov.vn/ (Mục Văn bản chỉ đạo điều hành).",
}

CONG_DIEN: dict[str, Any] = {
    "doc_type": "cong_dien",
    "number": "07/CĐ-UBND",
    "notation": "CĐ-UBND",
    "issuer": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
    "issuer_parent": None,
    "place": "Lạng Sơn",
    "issued_on": "2021-01-05",
    "urgency": "hoa_toc",
    "subject": "tập trung ứng phó với đợt rét đậm, rét hại và sương muối trên địa bàn tỉnh",
    "recipients": [
        "Giám đốc các Sở: Nông nghiệp và Phát triển nông thôn, Y tế, Giáo dục và Đào tạo, Thông tin và Truyền thông",
        "Giám đốc Đài Phát thanh và Truyền hình tỉnh",
        "Chủ tịch UBND các huyện, thành phố",
    ],
    "references": [
        {"number": "02/CĐ-TTg", "kind": "cong_dien", "issued_on": "2021-01-04", "issuer": "Thủ tướng Chính phủ"}
    ],
    "sections": [
        {
            "label": "1.",
            "title": "Chủ tịch UBND các huyện, thành phố",
            "text": "",
            "children": [
                {
                    "label": "a)",
                    "title": "",
                    "text": "Chỉ đạo UBND các xã, phường, thị trấn hướng dẫn nhân dân chuẩn bị thức "
                    "ăn, che chắn chuồng trại cho trâu, bò; không thả rông gia súc trên núi "
                    "cao trong những ngày rét đậm;",
                    "children": [],
                },
                {
                    "label": "b)",
                    "title": "",
                    "text": "Vận động người dân không đốt than sưởi trong phòng kín, chủ động giữ "
                    "ấm cho trẻ em, người già.",
                    "children": [],
                },
            ],
        },
        {
            "label": "2.",
            "title": "Đài Phát thanh và Truyền hình tỉnh, Báo Lạng Sơn",
            "text": "Tăng cường thông tin kịp thời diễn biến thời tiết và các biện pháp phòng, chống rét "
            "để nhân dân biết, chủ động ứng phó; Đài Truyền thanh các xã phát bản tin 02 lần/ngày "
            "trong thời gian rét đậm, rét hại.",
            "children": [],
        },
        {
            "label": "3.",
            "title": "Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với các địa phương theo "
            "dõi, tổng hợp thiệt hại, báo cáo UBND tỉnh theo quy định./.",
            "text": "",
            "children": [],
        },
    ],
    "signer": {"name": "Đoàn Thu Hà", "title": "Phó Chủ tịch", "authority": "KT. Chủ tịch"},
    "cc": ["Như trên", "Thủ tướng Chính phủ (b/c)", "TT Tỉnh ủy, TT HĐND tỉnh", "Lưu: VT, KT"],
    "broadcast_hints": {"times_per_day": 2, "start": None, "end": None},
    "preamble": "Theo bản tin của Đài Khí tượng Thủy văn tỉnh, từ đêm 06/01/2021 một đợt không khí lạnh tăng "
    "cường mạnh ảnh hưởng đến tỉnh ta, nhiệt độ thấp nhất tại Mẫu Sơn có thể xuống dưới 0 độ C, khả "
    "năng xuất hiện băng giá và sương muối. Thực hiện Công điện số 02/CĐ-TTg ngày 04/01/2021 của "
    "Thủ tướng Chính phủ về việc chủ động ứng phó với rét đậm, rét hại, Chủ tịch UBND tỉnh yêu cầu:",
    "closing": None,
}

KE_HOACH: dict[str, Any] = {
    "doc_type": "ke_hoach",
    "number": "45/KH-UBND",
    "notation": "KH-UBND",
    "issuer": "ỦY BAN NHÂN DÂN HUYỆN CAO LỘC",
    "issuer_parent": None,
    "place": "Cao Lộc",
    "issued_on": "2022-02-19",
    "urgency": None,
    "subject": "Tuyên truyền phòng, chống thiên tai và tìm kiếm cứu nạn năm 2022",
    "recipients": [],
    "references": [
        {"number": "12/KH-UBND", "kind": "ke_hoach", "issued_on": "2022-01-20", "issuer": "UBND tỉnh Lạng Sơn"},
        {"number": "33/2013/QH13", "kind": "luat", "issued_on": None, "issuer": None},
        {"number": "60/2020/QH14", "kind": "luat", "issued_on": None, "issuer": None},
        {"number": "66/2021/NĐ-CP", "kind": "nghi_dinh", "issued_on": "2021-07-06", "issuer": "Chính phủ"},
    ],
    "sections": [
        {
            "label": "I.",
            "title": "MỤC ĐÍCH, YÊU CẦU",
            "text": "",
            "children": [
                {
                    "label": "1.",
                    "title": "Mục đích",
                    "text": "",
                    "children": [
                        {
                            "label": "-",
                            "title": "",
                            "text": "Nâng cao nhận thức của cán bộ và nhân dân về phòng, chống thiên tai;",
                            "children": [],
                        },
                        {
                            "label": "-",
                            "title": "",
                            "text": "Trang bị cho người dân kỹ năng ứng phó khi có thiên tai xảy ra.",
                            "children": [],
                        },
                    ],
                },
                {
                    "label": "2.",
                    "title": "Yêu cầu",
                    "text": "Công tác tuyên truyền phải kịp thời, thiết thực, phù hợp với phong "
                    "tục, tập quán của từng địa phương.",
                    "children": [],
                },
            ],
        },
        {
            "label": "II.",
            "title": "NỘI DUNG TUYÊN TRUYỀN",
            "text": "",
            "children": [
                {
                    "label": "1.",
                    "title": "Tuyên truyền các văn bản pháp luật về phòng, chống thiên tai",
                    "text": "",
                    "children": [
                        {
                            "label": "-",
                            "title": "",
                            "text": "Luật Phòng, chống thiên tai số 33/2013/QH13 và Luật sửa "
                            "đổi, bổ sung số 60/2020/QH14;",
                            "children": [],
                        },
                        {
                            "label": "-",
                            "title": "",
                            "text": "Nghị định số 66/2021/NĐ-CP ngày 06/7/2021 của Chính phủ "
                            "quy định chi tiết thi hành Luật Phòng, chống thiên tai.",
                            "children": [],
                        },
                    ],
                },
                {
                    "label": "2.",
                    "title": "Tuyên truyền kỹ năng phòng, tránh thiên tai",
                    "text": "",
                    "children": [
                        {
                            "label": "a)",
                            "title": "",
                            "text": "Trước mùa mưa bão:",
                            "children": [
                                {
                                    "label": "+",
                                    "title": "",
                                    "text": "Gia cố nhà cửa, chặt tỉa cây xanh quanh nhà;",
                                    "children": [],
                                },
                                {
                                    "label": "+",
                                    "title": "",
                                    "text": "Dự trữ lương thực, nước uống, thuốc men",
                                    "children": [],
                                },
                            ],
                        },
                        {
                            "label": "b)",
                            "title": "",
                            "text": "Khi có lũ quét, sạt lở đất:",
                            "children": [
                                {
                                    "label": "+",
                                    "title": "",
                                    "text": "Không đi qua ngầm tràn, suối khi nước lũ dâng cao;",
                                    "children": [],
                                },
                                {
                                    "label": "+",
                                    "title": "",
                                    "text": "Di chuyển ngay đến nơi an toàn theo hướng dẫn của chính quyền.",
                                    "children": [],
                                },
                            ],
                        },
                    ],
                },
            ],
        },
        {
            "label": "III.",
            "title": "HÌNH THỨC TUYÊN TRUYỀN",
            "text": "Đài Truyền thanh các xã, thị trấn phát các bài tuyên truyền 03 lần/ngày từ ngày "
            "09/4/2022 đến ngày 13/4/2022, vào buổi sáng, buổi trưa và buổi chiều.",
            "children": [],
        },
        {
            "label": "IV.",
            "title": "TỔ CHỨC THỰC HIỆN",
            "text": "",
            "children": [
                {
                    "label": "1.",
                    "title": "Phòng Văn hóa và Thông tin huyện hướng dẫn, kiểm tra việc thực hiện Kế hoạch.",
                    "text": "",
                    "children": [],
                },
                {
                    "label": "2.",
                    "title": "UBND các xã, thị trấn tổ chức tuyên truyền, báo cáo kết quả về UBND "
                    "huyện trước ngày 20/4/2022.",
                    "text": "",
                    "children": [],
                },
            ],
        },
    ],
    "signer": {"name": "Nguyễn Văn Thắng", "title": "Phó Chủ tịch", "authority": "TM. Ủy ban nhân dân; KT. Chủ tịch"},
    "cc": ["UBND tỉnh (b/c)", "Sở Thông tin và Truyền thông (b/c)", "UBND các xã, thị trấn", "Lưu: VT"],
    "broadcast_hints": {"times_per_day": 3, "start": "2022-04-09", "end": "2022-04-13"},
    "preamble": "Thực hiện Kế hoạch số 12/KH-UBND ngày 20/01/2022 của UBND tỉnh Lạng Sơn về công tác phòng, "
    "chống thiên tai năm 2022, UBND huyện Cao Lộc xây dựng Kế hoạch tuyên truyền như sau:",
    "closing": "Trên đây là Kế hoạch tuyên truyền phòng, chống thiên tai năm 2022 của UBND huyện Cao Lộc, đề "
    "nghị các cơ quan, đơn vị triển khai thực hiện./.",
}


@pytest.mark.parametrize(
    ("name", "expected", "inferred"),
    [
        ("cong_van_seedlike.txt", CONG_VAN, True),
        ("cong_dien_hoatoc.txt", CONG_DIEN, False),
        ("ke_hoach.md", KE_HOACH, False),
    ],
)
def test_full_record(fixture_text: Callable[[str], str], name: str, expected: dict[str, Any], inferred: bool) -> None:
    record = parse_directive(fixture_text(name)).to_json_dict()
    # Each is read from a text layer; only the công văn has no issuer block.
    assert record == expected | {"issuer_inferred": inferred, "ocr_confidence": None, "uncertain": False}


@pytest.mark.parametrize("name", ["cong_van_seedlike.txt", "cong_dien_hoatoc.txt", "ke_hoach.md"])
def test_record_is_json(fixture_text: Callable[[str], str], name: str) -> None:
    record = parse_directive(fixture_text(name)).to_json_dict()
    assert json.loads(json.dumps(record, ensure_ascii=False)) == record


def test_record_keys(fixture_text: Callable[[str], str]) -> None:
    record = parse_directive(fixture_text("cong_van_seedlike.txt")).to_json_dict()
    required = {
        "doc_type",
        "number",
        "notation",
        "issuer",
        "issuer_parent",
        "place",
        "issued_on",
        "urgency",
        "subject",
        "recipients",
        "references",
        "sections",
        "signer",
        "cc",
        "broadcast_hints",
        "preamble",
        "closing",
    }
    assert required <= set(record)
    assert set(record["signer"]) == {"name", "title", "authority"}
    assert all(set(reference) == {"number", "kind", "issued_on", "issuer"} for reference in record["references"])
    assert all(set(section) == {"label", "title", "text", "children"} for section in record["sections"])
