"""`broadcast station sync` against the real server on loopback: the mirror tree, 304s, resumed downloads,
damaged audio, an unreachable server and retention; a failed sync always leaves the last good day in place."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from broadcast.export.manifest import audio_path, manifest_path, playlist_path
from tests.conftest import Invoke
from tests.station.conftest import DAY, STATION, Site, sha256_file, sync
from tests.station.relay import relay

NEXT = DAY + timedelta(days=1)


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of the station's days and audio, by path: what a failed sync must leave as it was."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for sub in ("stations", "audio")
        for path in sorted((folder / sub).rglob("*"))
        if path.is_file() and not path.name.endswith(".part")
    }


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_full_sync_mirrors_the_export_tree_and_its_playlists_play_verified_files(
    site: Site, folder: Path, invoke: Invoke
) -> None:
    site.publish(site.day(DAY), site.day(NEXT))
    with site.served() as url:
        result = sync(invoke, site, url, folder)
    assert result.exit_code == 0, result.output
    assert f"2025-03-01: updated v{site.version(DAY)}" in result.output
    assert f"2025-03-02: updated v{site.version(NEXT)}" in result.output
    for day in (DAY, NEXT):
        for relative in (manifest_path(STATION, day), playlist_path(STATION, day)):
            # Byte for byte the server's export: the same writers made both.
            assert (folder / relative).read_bytes() == site.exported(relative).read_bytes()
        playlist = folder / playlist_path(STATION, day)
        entries = [line for line in playlist.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        assert len(entries) == 3
        for entry in entries:
            assert entry.startswith("../../audio/")
            audio = (playlist.parent / entry).resolve()
            assert audio.is_file()
            assert audio.name == f"{sha256_file(audio)}.mp3"
    assert sorted(path.name for path in (folder / "audio").iterdir()) == sorted(
        f"{tone.sha256}.mp3" for tone in site.build.tones[:3]
    )


def test_a_second_sync_with_nothing_changed_downloads_nothing(site: Site, folder: Path, invoke: Invoke) -> None:
    site.publish(site.day(DAY), site.day(NEXT))
    with site.served() as url:
        assert sync(invoke, site, url, folder).exit_code == 0
        with relay(url) as link:
            result = sync(invoke, site, link.url, folder, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [day["status"] for day in report["days"]] == ["unchanged", "unchanged"]
    assert (report["files_downloaded"], report["bytes_downloaded"]) == (0, 0)
    heads = "".join(link.requests).lower()
    assert heads.count("if-none-match:") == 2
    assert "/api/v1/audio/" not in heads


def test_audio_lost_from_the_folder_is_fetched_again_for_an_unchanged_day(
    site: Site, folder: Path, invoke: Invoke
) -> None:
    site.publish(site.day())
    lost = folder / audio_path(site.build.tones[1].sha256)
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
        lost.unlink()
        result = sync(invoke, site, url, folder, "--days", "1", "--json")
    report = json.loads(result.output)
    assert report["days"][0]["status"] == "unchanged"
    assert (report["files_downloaded"], report["bytes_downloaded"]) == (1, site.build.tones[1].bytes)
    assert sha256_file(lost) == site.build.tones[1].sha256


def flip_a_byte(path: Path, *, keep_mtime: bool) -> None:
    """Same size, different bytes; with keep_mtime the file's times are put back as they were."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


@pytest.mark.parametrize("mtime", ["changed", "put back"])
def test_same_size_damage_to_cached_audio_is_found_and_fetched_again(
    site: Site, folder: Path, invoke: Invoke, mtime: str
) -> None:
    """A damaged file whose mtime moved is found by the next sync; one whose mtime was put back, by the daily full
    check (the index trusts an unchanged size and mtime within the day). Both are downloaded again."""
    site.publish(site.day(DAY), site.day(NEXT))
    tone = site.build.tones[1]
    damaged = folder / audio_path(tone.sha256)
    first = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
    with site.served() as url:
        with time_machine.travel(first):
            assert sync(invoke, site, url, folder).exit_code == 0
        flip_a_byte(damaged, keep_mtime=mtime == "put back")
        if mtime == "put back":
            with time_machine.travel(first + timedelta(hours=1)):
                report = json.loads(sync(invoke, site, url, folder, "--json").output)
            assert (report["audio_repaired"], report["files_downloaded"]) == (0, 0)
            assert sha256_file(damaged) != tone.sha256
            later = first + timedelta(days=1, minutes=1)
        else:
            later = first + timedelta(hours=1)
        with time_machine.travel(later):
            result = sync(invoke, site, url, folder)
        assert result.exit_code == 0, result.output
        assert "2025-03-01: unchanged" in result.output and "2025-03-02: unchanged" in result.output
        assert f"1 audio files ({tone.bytes:,} bytes) downloaded (1 of them to replace damaged files)" in result.output
        assert sha256_file(damaged) == tone.sha256
        with time_machine.travel(later + timedelta(minutes=1)):
            report = json.loads(sync(invoke, site, url, folder, "--json").output)
        assert (report["audio_repaired"], report["files_downloaded"]) == (0, 0)


def test_a_sync_cut_off_mid_download_keeps_the_last_good_day_and_resumes_later(
    site: Site, folder: Path, invoke: Invoke
) -> None:
    site.publish(site.day())
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
    good = snapshot(folder)
    old_version = site.version()

    # A new version adds a long item; the link drops 100 kB into it and the server goes away.
    big = replace(
        site.build.item(0, title="Bản tin dài", start="17:00:05", duration=site.big.duration),
        source=site.big.path,
        sha256=site.big.sha256,
        bytes=site.big.bytes,
    )
    morning, afternoon = site.day().sessions
    new_day = site.day(sessions=(morning, replace(afternoon, items=(*afternoon.items, big))))
    site.publish(new_day)
    with site.served() as url, relay(url, marker=site.big.sha256.encode(), cut_after=100_000) as link:
        result = sync(invoke, site, link.url, folder, "--days", "1")
        assert link.dropped.is_set()
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "cannot reach" in line and f"kept the last good days: 2025-03-01 v{old_version}" in line
    assert snapshot(folder) == good
    part = folder / (audio_path(site.big.sha256) + ".part")
    kept = part.stat().st_size
    assert 0 < kept < site.big.bytes

    # While the server is down, syncing again changes nothing and keeps the partial file.
    result = sync(invoke, site, url, folder, "--days", "1")
    assert result.exit_code == 2
    assert "cannot reach" in one_line(result.stderr)
    assert snapshot(folder) == good
    assert part.stat().st_size == kept

    # Back up: only the rest of the file is fetched, with a Range request, and the new day goes in.
    with site.served() as url, relay(url) as link:
        result = sync(invoke, site, link.url, folder, "--days", "1", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["days"][0]["status"] == "updated"
    assert report["days"][0]["version"] == site.version() != old_version
    assert report["bytes_downloaded"] == site.big.bytes - kept
    assert f"range: bytes={kept}-" in "".join(link.requests).lower()
    assert not part.exists()
    assert sha256_file(folder / audio_path(site.big.sha256)) == site.big.sha256
    assert (folder / manifest_path(STATION, DAY)).read_bytes() == site.exported(
        manifest_path(STATION, DAY)
    ).read_bytes()


def test_damaged_audio_is_fetched_once_more_then_the_day_keeps_its_last_good_version(
    site: Site, folder: Path, invoke: Invoke
) -> None:
    site.publish(site.day())
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
    good = snapshot(folder)
    old_version = site.version()
    new_day = site.day(
        sessions=(site.build.session(site.build.item(3, title="Lịch cắt điện tuần này"), site.build.item(0)),)
    )
    site.publish(new_day)
    # The server now serves wrong bytes (of the right length) under that sha256.
    served = site.exported(audio_path(site.build.tones[3].sha256))
    data = served.read_bytes()
    served.unlink()
    served.write_bytes(bytes(byte ^ 0xFF for byte in data))

    with site.served() as url, relay(url) as link:
        result = sync(invoke, site, link.url, folder, "--days", "1")
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "arrived damaged twice" in line and f"kept the last good days: 2025-03-01 v{old_version}" in line
    assert "".join(link.requests).count(f"/api/v1/audio/{site.build.tones[3].sha256}.mp3") == 2
    assert snapshot(folder) == good
    assert not any(path.name.startswith(site.build.tones[3].sha256) for path in (folder / "audio").iterdir())


def test_an_unreachable_server_is_one_line_exit_2_and_the_last_good_day_stays(
    site: Site, folder: Path, invoke: Invoke
) -> None:
    site.publish(site.day())
    with site.served() as url:
        assert sync(invoke, site, url, folder, "--days", "1").exit_code == 0
    good = snapshot(folder)
    result = sync(invoke, site, closed_port_url(), folder)
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "cannot reach" in line and "cannot connect" in line
    assert f"2025-03-01 v{site.version()}, 2025-03-02 (none)" in line
    assert snapshot(folder) == good


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--token", "bst_not-a-real-token"], "refused the token (401 Unauthorized); check --token"),
        (["--station", "2025-99999"], "has no station 2025-99999; check --station"),
        (["--server", "ftp://example.vn"], "is not an http(s) address"),
    ],
)
def test_operator_mistakes_are_one_line_and_exit_1(
    site: Site, folder: Path, invoke: Invoke, args: list[str], message: str
) -> None:
    site.publish(site.day())
    with site.served() as url:
        base = {"--server": url, "--station": STATION, "--token": site.token, "--dir": str(folder)}
        base.update(dict(zip(args[::2], args[1::2], strict=True)))
        result = invoke("station", "sync", "--date", "2025-03-01", "--retry-wait", "0", *sum(base.items(), ()))
    assert result.exit_code == 1
    assert message in one_line(result.stderr)


def test_a_day_not_published_yet_is_not_an_error(site: Site, folder: Path, invoke: Invoke) -> None:
    site.publish(site.day())
    with site.served() as url:
        result = sync(invoke, site, url, folder)
    assert result.exit_code == 0, result.output
    assert "2025-03-02: not published" in result.output


def test_old_days_go_and_so_does_audio_no_kept_day_needs(site: Site, folder: Path, invoke: Invoke) -> None:
    later = site.build.session(site.build.item(3, message_id=None), site.build.item(4, start="05:30:03"))
    site.publish(site.day(DAY), *(site.day(DAY + timedelta(days=n), sessions=(later,)) for n in (1, 2, 3)))
    with site.served() as url:
        assert sync(invoke, site, url, folder).exit_code == 0
        # The first day's audio came in long ago; a file fetched within the hour may be an emergency being played.
        for tone in site.build.tones[:3]:
            os.utime(folder / audio_path(tone.sha256), (0, 0))
        result = sync(invoke, site, url, folder, "--date", "2025-03-03", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["days_removed"], report["audio_removed"]) == (1, 3)
    days = sorted(path.name for path in (folder / "stations" / STATION).iterdir())
    assert days == [f"2025-03-0{n}.{ext}" for n in (2, 3, 4) for ext in ("json", "m3u8")]
    assert sorted(path.name for path in (folder / "audio").iterdir()) == sorted(
        f"{tone.sha256}.mp3" for tone in site.build.tones[3:]
    )


def test_a_folder_that_cannot_be_made_is_one_line_and_exit_1(site: Site, tmp_path: Path, invoke: Invoke) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    site.publish(site.day())
    with site.served() as url:
        result = sync(invoke, site, url, blocker / "station")
    assert result.exit_code == 1
    assert "cannot use" in one_line(result.stderr) and "check --dir" in result.stderr
