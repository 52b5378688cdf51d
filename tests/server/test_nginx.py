"""`broadcast nginx-config`: the printed front, run by a real nginx before a real `broadcast serve` on loopback,
serves a station's sync, sends audio with serve's caching headers and 304s, and refuses oversized bodies."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from broadcast.export.manifest import manifest_path, playlist_path
from broadcast.server.app import AUDIO_CACHE
from tests.cli.test_cli import fails, ok
from tests.conftest import Invoke
from tests.server.conftest import DAY, HOME_CODE, SQLITE_ONLY, Site
from tests.server.test_serve import free_port

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")

MAIN_CONF = """\
worker_processes 1;
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/broadcast.conf;
}}
"""


def wait_up(url: str, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            assert process.poll() is None, f"{what} exited: {process.communicate()}"
            assert time.monotonic() < deadline, f"{what} did not start"
            time.sleep(0.05)


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err


@pytest.fixture
def serve(site: Site) -> Iterator[str]:
    """The real `broadcast serve` over the site; yields its HOST:PORT."""
    port = free_port()
    env = {
        **os.environ,
        "BROADCAST_HOME": str(site.settings.home),
        "BROADCAST_DATABASE_URL": site.settings.database_url,
        "BROADCAST_CONFIG": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "broadcast", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_up(f"http://127.0.0.1:{port}/healthz", process, "broadcast serve")
        yield f"127.0.0.1:{port}"
    finally:
        assert "Traceback" not in stop(process)


@pytest.fixture
def nginx(site: Site, serve: str, invoke: Invoke, tmp_path: Path) -> Iterator[str]:
    """nginx running what `broadcast nginx-config` prints, in front of serve; yields its base URL."""
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install -y nginx; scripts/test installs it)")
    port = free_port()
    printed = ok(
        invoke,
        "nginx-config",
        "--listen",
        f"127.0.0.1:{port}",
        "--upstream",
        serve,
        "--server-name",
        "broadcast.example.vn localhost",
        "--export",
        str(site.settings.export_root),
    )
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    (prefix / "broadcast.conf").write_text(printed)
    user = "user root;" if os.geteuid() == 0 else ""  # the export tree is in a private temp dir
    conf = prefix / "nginx.conf"
    conf.write_text(MAIN_CONF.format(user=user, prefix=prefix))
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_up(f"http://127.0.0.1:{port}/healthz", process, "nginx")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@SQLITE_ONLY
def test_a_station_syncs_through_nginx(site: Site, nginx: str, invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "station"
    args = ["--station", HOME_CODE, "--token", site.token, "--dir", str(folder), "--date", DAY.isoformat()]
    result = invoke("station", "sync", "--server", nginx, *args, "--retries", "1")
    assert result.exit_code == 0, result.output
    assert f"updated v{site.version}" in result.output
    for relative in (manifest_path(HOME_CODE, DAY), playlist_path(HOME_CODE, DAY)):
        assert (folder / relative).read_bytes() == (site.settings.export_root / relative).read_bytes()
    for tone in site.tones[:3]:
        assert hashlib.sha256((folder / "audio" / f"{tone.sha256}.mp3").read_bytes()).hexdigest() == tone.sha256
    again = invoke("station", "sync", "--server", nginx, *args, "--retries", "1")
    assert again.exit_code == 0 and "unchanged" in again.output, again.output


@SQLITE_ONLY
def test_audio_from_nginx_is_immutable_and_revalidates_with_304(site: Site, nginx: str) -> None:
    tone = site.tones[0]
    url = f"{nginx}/api/v1/audio/{tone.sha256}.mp3"
    answer = httpx.get(url, headers=site.auth())
    assert answer.status_code == 200
    assert hashlib.sha256(answer.content).hexdigest() == tone.sha256
    assert answer.headers["content-type"] == "audio/mpeg"
    assert answer.headers["cache-control"] == AUDIO_CACHE
    etag, modified = answer.headers["etag"], answer.headers["last-modified"]
    for condition in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        revalidated = httpx.get(url, headers={**site.auth(), **condition})
        assert revalidated.status_code == 304, condition
        assert revalidated.headers["etag"] == etag
        assert revalidated.headers["cache-control"] == AUDIO_CACHE
        assert revalidated.content == b""
    part = httpx.get(url, headers={**site.auth(), "Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == answer.content[:10]


@SQLITE_ONLY
def test_serve_answers_what_nginx_does_not_hold_and_nginx_refuses_huge_bodies(site: Site, nginx: str) -> None:
    # Not in the export: serve's own 404, in JSON.
    missing = httpx.get(f"{nginx}/api/v1/audio/{'0' * 64}.mp3", headers=site.auth())
    assert missing.status_code == 404 and "no audio" in missing.json()["detail"]
    # Manifests keep serve's token check and its ETag/304.
    path = f"{nginx}/api/v1/stations/{HOME_CODE}/days/{DAY.isoformat()}"
    assert httpx.get(path).status_code == 401
    day = httpx.get(path, headers=site.auth())
    assert day.status_code == 200 and day.content == site.manifest
    assert day.headers["etag"] == f'"{site.version}"'
    assert httpx.get(path, headers={**site.auth(), "If-None-Match": day.headers["etag"]}).status_code == 304
    # Emergencies pass through unbuffered, with serve's own answers.
    emergency = httpx.get(f"{nginx}/api/v1/stations/{HOME_CODE}/emergency", headers=site.auth())
    assert emergency.status_code in (200, 204)
    assert httpx.get(f"{nginx}/api/v1/stations/{HOME_CODE}/emergency").status_code == 401
    # A body larger than the office's upload is refused on its Content-Length, before nginx reads a byte of it.
    size = 12 * 1024 * 1024
    head = (
        f"POST /api/v1/stations/{HOME_CODE}/playlog HTTP/1.1\r\nHost: localhost\r\n"
        f"Authorization: Bearer {site.token}\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    )
    url = httpx.URL(nginx)
    with socket.create_connection((url.host, url.port), timeout=10) as sock:
        sock.sendall(head.encode())
        assert sock.recv(4096).startswith(b"HTTP/1.1 413")


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--listen", "eighty", "is not an address"),
        ("--listen", "0.0.0.0:99999", "has no valid port"),
        ("--upstream", "8080", "is not an address"),
        ("--server-name", "a;b", "is not a host name list"),
        ("--export", "/srv/my export", "must be an absolute path"),
    ],
)
def test_bad_options_are_one_line(invoke: Invoke, option: str, value: str, says: str) -> None:
    line = fails(invoke, "nginx-config", option, value)
    assert says in line and option in line
