"""Helpers for the build benches: run `broadcast …` as a whole command, timing it and sampling the memory of its
whole process tree (the build may start worker processes), and a private PostgreSQL server for a run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[2]
SAMPLE_SECONDS = 0.2


@dataclass(frozen=True)
class Run:
    """One whole command: wall-clock seconds, the peak of its process tree's summed RSS (bytes), what it printed."""

    seconds: float
    peak_rss: int
    stdout: str
    stderr: str

    @property
    def time_line(self) -> str:
        """The build's closing "Time: …" line, or "" when it printed none."""
        lines = [line for line in (self.stdout + self.stderr).splitlines() if line.startswith("Time:")]
        return lines[-1] if lines else ""


def broadcast(args: list[str], env: dict[str, str]) -> Run:
    """Run `python -m broadcast ARGS`; exit the bench with its error when it fails."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "broadcast", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(SAMPLE_SECONDS):
            peak[0] = max(peak[0], tree_rss(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    peak[0] = tree_rss(process.pid)
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"broadcast {' '.join(args)} failed: {stderr.strip()}")
    return Run(elapsed, peak[0], stdout, stderr)


def broadcast_json(args: list[str], env: dict[str, str]) -> object:
    return json.loads(broadcast([*args, "--json"], env).stdout)


def tree_rss(pid: int) -> int:
    """The summed VmRSS of pid and all its descendants, in bytes (0 for those already gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(found.group(1)) * 1024 if found else 0
    return total


def mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def start_postgres(data: str, port: int) -> str:
    """Start a private PostgreSQL in DATA (scripts/lib/postgres.sh: the port or the next free one); its URL."""
    command = (
        f"export BROADCAST_TEST_PGDATA={data} BROADCAST_TEST_PGPORT={port}; "
        ". scripts/lib/setup.sh; . scripts/lib/postgres.sh; "
        'start_test_postgres >&2; echo "$BROADCAST_TEST_POSTGRES_URL"'
    )
    done = subprocess.run(["bash", "-c", command], cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0 or not done.stdout.strip():
        sys.exit(f"could not start PostgreSQL in {data}: {done.stderr.strip()}")
    return done.stdout.strip().splitlines()[-1]


def stop_postgres(data: str) -> None:
    command = f"runuser -u postgres -- /usr/lib/postgresql/*/bin/pg_ctl -D {data} -m fast -w stop"
    subprocess.run(["bash", "-c", command], capture_output=True)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server at SERVER_URL for one run, dropped afterwards; its URL."""
    name = f"broadcast_bench_{os.getpid()}_{time.monotonic_ns()}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


# Announcements as district offices write them; the national bench uses the first three.
ANNOUNCEMENTS = (
    (
        "Phòng, chống sốt xuất huyết",
        "Hiện nay đang là mùa mưa, muỗi vằn phát triển mạnh, số ca mắc sốt xuất huyết tăng nhanh. "
        "Đề nghị bà con nhân dân thường xuyên lật úp các vật dụng chứa nước, thả cá diệt bọ gậy trong bể, "
        "ngủ màn kể cả ban ngày. Khi có biểu hiện sốt cao đột ngột, đau đầu, đau mỏi người, "
        "bà con cần đến ngay trạm y tế xã để được khám và điều trị kịp thời, không tự ý điều trị tại nhà.",
    ),
    (
        "Chủ động ứng phó với bão số 3",
        "Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, bão số 3 đang di chuyển theo hướng tây tây bắc, "
        "sức gió mạnh cấp 10, giật cấp 12. Đề nghị bà con kiểm tra, gia cố nhà cửa, chặt tỉa cành cây gần nhà, "
        "chuẩn bị lương thực, nước uống và đèn pin. Tàu thuyền đang hoạt động trên biển khẩn trương vào nơi "
        "tránh trú an toàn. Người dân tuyệt đối không ra khỏi nhà khi bão đổ bộ.",
    ),
    (
        "Phòng cháy, chữa cháy trong mùa hanh khô",
        "Thời tiết hanh khô kéo dài, nguy cơ cháy nhà và cháy rừng rất cao. Đề nghị bà con không đốt nương, "
        "đốt rác gần nhà và gần rừng, không để trẻ em nghịch lửa. Kiểm tra đường dây điện, ngắt điện các thiết bị "
        "khi không sử dụng. Khi phát hiện cháy, bà con gọi ngay số 114 và báo cho trưởng thôn để kịp thời cứu chữa.",
    ),
    (
        "Tiêm vắc xin cho trẻ em",
        "Trạm y tế xã tổ chức tiêm chủng mở rộng cho trẻ em dưới 5 tuổi vào ngày 15 hằng tháng. "
        "Đề nghị các gia đình có con nhỏ mang theo sổ tiêm chủng và đưa trẻ đến tiêm đúng lịch "
        "để phòng các bệnh sởi, ho gà, bạch hầu và viêm não Nhật Bản.",
    ),
    (
        "Bảo đảm an toàn giao thông",
        "Đề nghị bà con khi tham gia giao thông đội mũ bảo hiểm đạt chuẩn, đã uống rượu bia thì không lái xe. "
        "Các gia đình không để con em chưa đủ tuổi điều khiển xe máy. "
        "Mỗi người hãy là một tuyên truyền viên về an toàn giao thông trong thôn, bản.",
    ),
    (
        "Phòng, chống rét cho người và gia súc",
        "Đợt không khí lạnh tăng cường, nhiệt độ vùng núi có nơi dưới 5 độ C. Đề nghị bà con giữ ấm cho người già "
        "và trẻ nhỏ, không đốt than trong phòng kín. Che chắn chuồng trại, dự trữ thức ăn và không thả rông "
        "trâu, bò lên núi cao trong những ngày rét đậm, rét hại.",
    ),
    (
        "Đăng ký thẻ căn cước cho trẻ em",
        "Công an xã thông báo: từ ngày 1 tháng 7 năm 2024, trẻ em dưới 14 tuổi được cấp thẻ căn cước theo "
        "nhu cầu. Cha mẹ đưa con đến trụ sở Công an xã vào giờ hành chính, mang theo giấy khai sinh. "
        "Mọi thắc mắc xin liên hệ số điện thoại 0205 3870 115.",
    ),
    (
        "Phòng, chống bệnh dịch tả lợn châu Phi",
        "Bệnh dịch tả lợn châu Phi đã xuất hiện tại một số huyện trong tỉnh. Đề nghị các hộ chăn nuôi không mua "
        "lợn không rõ nguồn gốc, thường xuyên vệ sinh, tiêu độc chuồng trại. Khi thấy lợn ốm, chết bất thường, "
        "bà con báo ngay cho thú y xã, tuyệt đối không bán chạy và không vứt xác lợn ra môi trường.",
    ),
    (
        "Thu gom rác thải sinh hoạt",
        "Để giữ gìn vệ sinh môi trường, từ tháng này xe thu gom rác đi qua các thôn vào sáng thứ Ba và thứ Sáu. "
        "Đề nghị bà con phân loại rác tại nhà, để rác đúng nơi quy định và không vứt rác xuống sông, suối.",
    ),
    (
        "Cảnh giác lừa đảo qua điện thoại",
        "Thời gian gần đây xuất hiện nhiều đối tượng giả danh công an, cán bộ ngân hàng gọi điện đề nghị chuyển "
        "tiền. Đề nghị bà con tuyệt đối không cung cấp mã OTP, không chuyển tiền cho người lạ. "
        "Khi nghi ngờ, hãy báo ngay cho Công an xã để được hướng dẫn.",
    ),
)


def add_announcements(env: dict[str, str], count: int, target: str, first: str, last: str) -> list[int]:
    """Add and approve the first COUNT announcements for TARGET over [first, last], once a day, as the CLI does."""
    ids = []
    for title, words in ANNOUNCEMENTS[:count]:
        shown = broadcast_json(
            ["message", "add", "--title", title, "--text", words, "--target", target, "--from", first, "--to", last],
            env,
        )
        assert isinstance(shown, dict)
        broadcast(["message", "approve", str(shown["id"]), "--by", "Phòng Văn hóa (bench)"], env)
        ids.append(int(shown["id"]))
    return ids
