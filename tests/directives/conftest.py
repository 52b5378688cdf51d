"""Fixtures for the directive tests: the fixture documents and a builder for small directives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

HEADER = """UBND TỈNH LẠNG SƠN
SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 210/STTTT-TTBCXB
V/v tuyên truyền phòng, chống dịch bệnh

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lạng Sơn, ngày 09 tháng 4 năm 2022

Kính gửi:
- Báo Lạng Sơn;
- Đài Phát thanh và Truyền hình tỉnh.
"""

BODY = """Sở Thông tin và Truyền thông đề nghị các cơ quan, đơn vị:

1. Tuyên truyền phòng, chống dịch bệnh

Hướng dẫn người dân rửa tay thường xuyên bằng xà phòng.

2. Đề nghị các đơn vị báo cáo kết quả

Báo cáo kết quả về Sở Thông tin và Truyền thông trước ngày 30/4/2022./.
"""

TAIL = """Nơi nhận:
- Như trên;
- Lưu: VT.

KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Lê Hải Yến
"""

Build = Callable[..., str]


@pytest.fixture
def fixture_text() -> Callable[[str], str]:
    """Read one of the fixture documents under tests/directives/fixtures."""

    def read(name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8")

    return read


@pytest.fixture
def build() -> Build:
    """Build a small công văn; pass header=, body= or tail= to replace a part."""

    def make(*, header: str = HEADER, body: str = BODY, tail: str = TAIL) -> str:
        return "\n".join(part for part in (header, body, tail) if part)

    return make
