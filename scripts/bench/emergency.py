"""Benchmark: seconds from approving an emergency to the station playing its first sample, on loopback.

Sets up a temporary BROADCAST_HOME (`broadcast init`, the 2025 units of Lạng Sơn, one station with a session that
starts as the bench does, filled with long normal messages), builds today, then runs a real `broadcast serve` and a
real `broadcast station play --server … --token …` as subprocesses. The player is a small script that notes the
moment it is handed a file, then plays it in real time (`ffmpeg -re -i FILE -f null -`), so a long item is really
on air when an emergency comes. RUNS emergencies are approved at random moments with `broadcast message approve`
(the CLI's own path), some while a long item plays; the bench prints each delay and their median and max.

    python scripts/bench/emergency.py [--runs 10] [--seed 1]

Targets: median ≤ 5 s, max ≤ 15 s. Needs some ten free minutes before midnight in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

# This folder holds a bench named http.py, which would shadow the standard library's http package that httpx needs.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import httpx  # noqa: E402
from sqlalchemy import select  # noqa: E402

from broadcast.config import load_settings  # noqa: E402
from broadcast.db import open_database  # noqa: E402
from broadcast.db.models import Message, Segment  # noqa: E402
from broadcast.speech.normalize import normalizer_for  # noqa: E402

TARGET_MEDIAN, TARGET_MAX = 5.0, 15.0
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
LONG = (
    "Thực hiện kế hoạch của Ủy ban nhân dân xã về phòng, chống dịch bệnh cho đàn gia súc, gia cầm trong mùa đông "
    "xuân, đề nghị bà con các thôn chủ động vệ sinh chuồng trại, phun thuốc khử trùng định kỳ, tiêm phòng đầy đủ "
    "các loại vắc-xin theo hướng dẫn của cán bộ thú y, không mua bán, vận chuyển gia súc, gia cầm không rõ nguồn "
    "gốc, khi phát hiện vật nuôi bị ốm, chết bất thường phải báo ngay cho trưởng thôn và cán bộ thú y xã. "
)
PLACES = ["Nà Pàn", "Khòn Chè", "Bản Chu", "Pò Mới", "Nà Lìn", "Khuổi Mạ", "Bản Cưởm", "Pác Làng", "Nà Tèn", "Còn Quan"]
PLAYER = """import os, sys, time
with open({log!r}, "a") as out:
    out.write(f"{{time.time():.3f}} {{sys.argv[1]}}\\n")
os.execvp("ffmpeg", ["ffmpeg", "-nostdin", "-v", "error", "-re", "-i", sys.argv[1], "-f", "null", "-"])
"""


def broadcast(*args: str) -> list[str]:
    return [sys.executable, "-m", "broadcast", *args]


def run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{shlex.join(args[2:])} failed: {done.stderr.strip()}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def wait_until_up(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit("broadcast serve did not start")
        time.sleep(0.1)


def add_message(env: dict[str, str], station: str, title: str, text: str, priority: str, day: str) -> int:
    out = run(
        broadcast(
            "message", "add", "--title", title, "--text", text, "--target", station, "--from", day, "--to", day,
            "--priority", priority, "--json",
        ),
        env,
    )  # fmt: skip
    message_id: int = json.loads(out)["id"]
    return message_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="emergencies to approve (default 10)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random moments (default 1)")
    options = parser.parse_args()
    chance = random.Random(options.seed)
    now = datetime.now(ZONE)
    if (now.replace(hour=23, minute=59) - now) < timedelta(minutes=12):
        sys.exit("less than 12 minutes to midnight in Asia/Ho_Chi_Minh: run the bench after midnight")
    with tempfile.TemporaryDirectory(prefix="broadcast-bench-") as folder:
        home = Path(folder)
        env = {**os.environ, "BROADCAST_HOME": str(home / "home"), "BROADCAST_CONFIG": ""}
        env.pop("BROADCAST_DATABASE_URL", None)
        run(broadcast("init"), env)
        run(broadcast("units", "import", "--scheme", "2025", "--province", "Lạng Sơn"), env)
        stations = json.loads(run(broadcast("stations", "list", "--json"), env))
        station = next(s["code"] for s in stations if s["kind"] == "commune")
        today = now.date().isoformat()
        # The session starts three minutes from now: time to build, start the server and sync.
        start = (now + timedelta(minutes=3)).replace(second=0, microsecond=0)
        length = min(30, int((now.replace(hour=23, minute=59) - start).total_seconds() // 60))
        run(
            broadcast(
                "sessions", "set", station, "--name", "bench", "--start", f"{start:%H:%M}", "--length", f"{length}m"
            ),
            env,
        )
        for number in range(4):  # long normal items, a minute or two each, to be cut in on
            message_id = add_message(env, station, f"Thông báo số {number + 1}", LONG * 3, "normal", today)
            run(broadcast("message", "approve", str(message_id), "--by", "bench"), env)
        emergencies = [
            add_message(
                env, station, f"Khẩn cấp: cháy rừng ở thôn {place}",
                f"Cháy rừng ở thôn {place}, bà con tránh xa khu vực cháy, làm theo hướng dẫn của lực lượng chức năng.",
                "emergency", today,
            )
            for place in PLACES[: options.runs]
        ]  # fmt: skip
        print(f"station {station}: session bench {start:%H:%M} for {length} min; building today …", flush=True)
        run(broadcast("build", "--from", today, "--days", "1"), env)
        token = json.loads(run(broadcast("stations", "token", station, "--json"), env))["token"]
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        logs = home / "logs"
        logs.mkdir()
        player_log = home / "played.txt"
        (home / "player.py").write_text(PLAYER.format(log=str(player_log)))
        player = f"{shlex.quote(sys.executable)} {shlex.quote(str(home / 'player.py'))}"
        station_dir = home / "station"
        with (logs / "serve.log").open("w") as serve_log, (logs / "play.log").open("w") as play_log:
            server = subprocess.Popen(
                broadcast("serve", "--port", str(port)), env=env, stdout=serve_log, stderr=serve_log, text=True
            )
            wait_until_up(url, server)
            common = ["--server", url, "--station", station, "--token", token, "--dir", str(station_dir)]
            run(broadcast("station", "sync", *common, "--date", today, "--days", "1"), env)
            play = subprocess.Popen(
                broadcast("station", "play", *common, "--date", today, "--player", player),
                env=env, stdout=play_log, stderr=play_log, text=True,
            )  # fmt: skip
            try:
                approved = approve_all(env, emergencies, start, chance)
                time.sleep(20)  # the last one's time to play
            finally:
                for process in (play, server):
                    process.send_signal(signal.SIGTERM)
                for process in (play, server):
                    try:
                        process.wait(60)
                    except subprocess.TimeoutExpired:
                        process.kill()
        report(env, approved, player_log, home)


def approve_all(
    env: dict[str, str], emergencies: list[int], start: datetime, chance: random.Random
) -> dict[int, float]:
    """Approve each emergency at a random moment from the session's start on; when each was approved (epoch s)."""
    while datetime.now(ZONE) < start + timedelta(seconds=2):
        time.sleep(0.2)
    approved: dict[int, float] = {}
    for message_id in emergencies:
        time.sleep(chance.uniform(6.0, 24.0))
        approved[message_id] = time.time()  # before the command starts: its start-up counts too
        run(broadcast("message", "approve", str(message_id), "--by", "bench"), env)
    return approved


def report(env: dict[str, str], approved: dict[int, float], log: Path, home: Path) -> None:
    """Each emergency's delay from approval to the player being handed its audio, then median and max."""
    first_played: dict[str, float] = {}
    names = []
    for line in log.read_text().splitlines() if log.exists() else []:
        stamp, path = line.split(" ", 1)
        names.append(Path(path).name)
        first_played.setdefault(Path(path).name, float(stamp))
    settings = load_settings(env={"BROADCAST_HOME": env["BROADCAST_HOME"]})
    database = open_database(settings.database_url)
    normalizer = normalizer_for(settings.lexicon)
    delays: list[float] = []
    with database.transaction() as db:
        for message_id, moment in approved.items():
            text = db.scalar(select(Message.text).where(Message.id == message_id))
            # The emergency's audio: the segment rendered for its words (one voice for the whole province).
            segment = db.scalar(select(Segment).where(Segment.text == normalizer.normalize(text or "")))
            heard = first_played.get(f"{segment.sha256}.mp3") if segment is not None else None
            if heard is None:
                print(f"message {message_id}: NOT PLAYED")
                continue
            delays.append(heard - moment)
            print(f"message {message_id}: first sample {heard - moment:5.2f} s after approval")
    database.dispose()
    cut = sum(1 for name in names if name.startswith("fade-"))
    if len(delays) < len(approved):
        print(f"{len(approved) - len(delays)} of {len(approved)} emergencies were not played; logs in {home}")
    if delays:
        median, worst = statistics.median(delays), max(delays)
        print(
            f"{len(delays)} emergencies ({cut} cut in on a long item on air): median {median:.2f} s, "
            f"max {worst:.2f} s (targets ≤ {TARGET_MEDIAN:g} s, ≤ {TARGET_MAX:g} s)"
        )


if __name__ == "__main__":
    main()
