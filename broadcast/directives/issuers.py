"""Who issued a document whose header names no issuer: from the preamble, the notation, or the signature."""

from __future__ import annotations

import re
from collections.abc import Mapping

from broadcast.directives.record import Signer
from broadcast.text import fold

# Issuer codes in notations ("210/STTTT-TTBCXB"), folded, upper-cased, and the body each names. Data, not
# logic: callers may pass their own codes (a province's departments) to `infer_issuer`.
ISSUER_CODES: dict[str, str] = {
    "STTTT": "Sở Thông tin và Truyền thông",
    "SYT": "Sở Y tế",
    "SGDDT": "Sở Giáo dục và Đào tạo",
    "SNNPTNT": "Sở Nông nghiệp và Phát triển nông thôn",
    "SNN": "Sở Nông nghiệp và Phát triển nông thôn",
    "SNNMT": "Sở Nông nghiệp và Môi trường",
    "STNMT": "Sở Tài nguyên và Môi trường",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch",
    "SLDTBXH": "Sở Lao động - Thương binh và Xã hội",
    "SCT": "Sở Công Thương",
    "SXD": "Sở Xây dựng",
    "SGTVT": "Sở Giao thông vận tải",
    "STC": "Sở Tài chính",
    "SKHDT": "Sở Kế hoạch và Đầu tư",
    "SNV": "Sở Nội vụ",
    "STP": "Sở Tư pháp",
    "SKHCN": "Sở Khoa học và Công nghệ",
    "CAT": "Công an tỉnh",
    "CAH": "Công an huyện",
    "BCHQS": "Ban Chỉ huy quân sự",
    "BCH": "Ban Chỉ huy",
    "BCHQSH": "Ban Chỉ huy quân sự huyện",
    "BCD": "Ban Chỉ đạo",
    "TU": "Tỉnh ủy",
    "HU": "Huyện ủy",
    "DU": "Đảng ủy",
    "UBND": "Ủy ban nhân dân",
    "HDND": "Hội đồng nhân dân",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc Việt Nam",
    "TTYT": "Trung tâm Y tế",
    "VHTT": "Phòng Văn hóa và Thông tin",
    "PVHTT": "Phòng Văn hóa và Thông tin",
}
# Type codes that open a notation before the issuer's code ("TB-UBND", "CV/HU"); never an issuer themselves.
_TYPE_CODES = frozenset(
    {"CV", "CD", "KH", "TB", "QD", "CT", "HD", "BC", "NQ", "TTR", "CTR", "KL", "GM", "TTLT", "PA", "QC", "TT", "ND"}
)
# "Sở Thông tin và Truyền thông đề nghị …", "UBND xã Hữu Kiên thông báo …": the body that speaks in the text.
_SPEAKER = re.compile(
    r"(?:^|[,;.]\s+)(?P<name>(?:Sở|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Ban Chỉ huy|Ban Chỉ đạo|Ban Thường vụ|Phòng"
    r"|Trung tâm|Công an|Huyện ủy|Tỉnh ủy|Đảng ủy|Thường trực|Bộ Chỉ huy|Chi cục|Đài|Huyện đoàn|Tỉnh đoàn"
    r"|Thành đoàn|Hội|Ủy ban Mặt trận|Hạt Kiểm lâm|Trạm|Bệnh viện)\s[^,.;:()]{1,80}?)"
    r"\s+(?:kính\s+)?(?:đề nghị|thông báo|yêu cầu|chỉ đạo|hướng dẫn|trân trọng|ban hành|điện)(?!\w)"
)
_AUTHORITY_BODY = re.compile(r"(?:TM|TL|TUQ)\.\s+(?P<body>.+)")


def infer_issuer(
    preamble: str | None,
    notation: str | None,
    signer: Signer | None,
    codes: Mapping[str, str] = ISSUER_CODES,
) -> str | None:
    """Name the issuer from the body that speaks in the preamble, the notation's issuer code, or the signature."""
    if preamble and (match := _SPEAKER.search(preamble)):
        return " ".join(match["name"].split())
    coded = issuer_of_notation(notation, codes) if notation else None
    signed = None
    if signer is not None and signer.authority:
        parts = (_AUTHORITY_BODY.match(part.strip()) for part in signer.authority.split(";"))
        signed = next((match["body"].strip() for match in parts if match), None)
    # The signature may name the body in full ("TM. Ủy ban nhân dân huyện Sìn Hồ"); a code names only its kind.
    if signed is not None and (coded is None or len(signed.split()) > len(coded.split())):
        return signed
    return coded


def issuer_of_notation(notation: str, codes: Mapping[str, str] = ISSUER_CODES) -> str | None:
    """Return the body an issuer code in a notation names ("CV-STTTT", "STTTT-TTBCXB" → Sở Thông tin …)."""
    for part in re.split(r"[-/]", notation):
        key = fold(part).upper()
        if key in _TYPE_CODES:
            continue
        if key in codes:
            return codes[key]
    return None
