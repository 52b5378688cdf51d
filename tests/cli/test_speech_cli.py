"""`broadcast speech normalize`, `broadcast preview` and `broadcast stations set` through the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from broadcast.audio.ffmpeg import measure
from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke

FIXTURES = Path(__file__).parents[1] / "directives" / "fixtures"


def test_normalize_one_text(invoke: Invoke) -> None:
    out = ok(invoke, "speech", "normalize", "UBND xã họp lúc 7h30 ngày 1/7")
    assert out == "Ủy ban nhân dân xã họp lúc bảy giờ ba mươi phút ngày mùng một tháng bảy.\n"


def test_normalize_stdin_gives_one_line_per_line(invoke: Invoke) -> None:
    out = invoke("speech", "normalize", "-", input="Giá 25.000đ/kg\n\nGọi 114\n")
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert len(lines) == 3
    assert lines[0] == "Giá hai mươi lăm nghìn đồng một ki lô gam."
    assert lines[1] == ""
    assert not any(ch.isdigit() for ch in out.output)


def test_normalize_with_a_user_lexicon(invoke: Invoke, tmp_path: Path) -> None:
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text("HTX\thợp tác xã\n", encoding="utf-8")
    assert ok(invoke, "speech", "normalize", "--lexicon", str(lexicon), "HTX Đồng Tâm").startswith(
        "hợp tác xã Đồng Tâm"
    )


@pytest.fixture
def with_message(invoke: Invoke) -> Invoke:
    ok(invoke, "init")
    ok(invoke, "units", "import", "--scheme", "2025", "--province", "lang son")
    ok(invoke, "directive", "import", str(FIXTURES / "ke_hoach.md"))
    return invoke


def test_preview_a_message_on_a_station(with_message: Invoke, tmp_path: Path) -> None:
    out_file = tmp_path / "nghe-thu.mp3"
    out = ok(with_message, "preview", "2", "--station", "2025-06187", "--out", str(out_file))
    assert f"Wrote {out_file}" in out
    assert "engine espeak, voice vi" in out
    measured = measure(out_file.read_bytes())
    assert f"duration {measured.duration:.1f} s" in out
    assert abs(measured.integrated + 16) <= 1.0 and measured.true_peak <= -1.0
    again = ok(with_message, "preview", "2", "--station", "2025-06187", "--out", str(out_file))
    assert again.splitlines()[1] == out.splitlines()[1]  # same audio, from cached segments


def test_preview_follows_the_station_voice_region(with_message: Invoke, tmp_path: Path) -> None:
    ok(with_message, "stations", "set", "2025-06187", "--voice-region", "south")
    assert "voice vi-vn-x-south" in ok(with_message, "preview", "--text", "Bà con chú ý.", "--station", "2025-06187")
    shown = json.loads(ok(with_message, "stations", "show", "2025-06187", "--json"))
    assert shown["voice_region"] == "south"


def test_a_slower_station_previews_slower_and_shows_its_rate(with_message: Invoke) -> None:
    normal = ok(with_message, "preview", "--text", "Bà con chú ý, sáng mai họp thôn.", "--station", "2025-06187")
    assert "rate 80 %" in ok(with_message, "stations", "set", "2025-06187", "--rate", "80")
    slow = ok(with_message, "preview", "--text", "Bà con chú ý, sáng mai họp thôn.", "--station", "2025-06187")
    assert "voice vi@80%" in slow

    def seconds(out: str) -> float:
        return float(out.split("duration ")[1].split(" s")[0])

    assert seconds(slow) > seconds(normal)
    assert json.loads(ok(with_message, "stations", "show", "2025-06187", "--json"))["speaking_rate"] == 80
    assert "speaking rate: 80 %" in ok(with_message, "stations", "show", "2025-06187")


def test_preview_play_without_a_player_says_so(with_message: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", os.pathsep.join(p for p in ("/usr/bin", "/bin") if Path(p).is_dir()))
    monkeypatch.setattr("broadcast.cli.speech.PLAYERS", (["no-such-player-here"],))
    assert "No player found" in ok(with_message, "preview", "--text", "Thử loa.", "--play")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["preview"], "give a MESSAGE_ID or --text"),
        (["preview", "1", "--text", "x"], "give a MESSAGE_ID or --text"),
        (["preview", "--text", "  !!! ... "], "nothing to say"),
        (["preview", "--text", ""], "nothing to say"),
        (["preview", "99"], "no message with id 99"),
        (["preview", "--text", "Chào", "--engine", "festival"], "unknown engine 'festival'"),
        (["preview", "--text", "Chào", "--voice", "hanoi"], "unknown espeak voice 'hanoi'"),
        (["preview", "--text", "Chào", "--engine", "piper"], "piper needs a voice"),
        (["preview", "--text", "Chào", "--station", "2025-1"], "no station with code '2025-1'"),
        (["preview", "--text", "Chào", "--out", "/proc/nope/x.mp3"], "cannot create /proc/nope"),
        (["stations", "set", "2025-06187"], "nothing to change"),
        (["stations", "set", "2025-06187", "--engine", "festival"], "unknown engine 'festival'"),
        (["stations", "set", "2025-06187", "--rate", "50"], "--rate must be 70 to 130"),
    ],
)
def test_preview_mistakes_fail_in_one_line(with_message: Invoke, args: list[str], message: str) -> None:
    assert message in fails(with_message, *args)


def test_unwritable_output_leaves_no_file(with_message: Invoke, tmp_path: Path) -> None:
    blocker = tmp_path / "report.txt"  # a file where the output's folder should be: even root cannot write there
    blocker.write_text("x", encoding="utf-8")
    assert "cannot create" in fails(with_message, "preview", "--text", "Chào", "--out", str(blocker / "a.mp3"))
    assert blocker.read_text(encoding="utf-8") == "x"
    assert not list(tmp_path.glob("**/*.mp3.*"))  # no temporary file left behind


def test_output_path_that_is_a_folder(with_message: Invoke, tmp_path: Path) -> None:
    assert "is a folder" in fails(with_message, "preview", "--text", "Chào", "--out", str(tmp_path))


def test_missing_espeak_says_how_to_install(
    with_message: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert "apt-get install espeak-ng" in fails(with_message, "preview", "--text", "Chào bà con.")
