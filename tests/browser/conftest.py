"""A real `broadcast serve` on a prepared SQLite home, and Debian's chromium driven by Playwright against it.

    def test_x(site: Site, browse: Browse) -> None:
        browse.sign_in("caoloc")
        browse.open("/messages")          # a screenshot of every page visited goes to the run's folder

The site is made the way an office makes one: `broadcast init`, `broadcast units import` (Lạng Sơn, legacy
scheme) and `broadcast users add … --password-file`, each a subprocess; then `broadcast serve` on a free loopback
port, once per test session. Chromium is launched once per session with Playwright's `executable_path` (no
`playwright install`: it downloads a browser, and offices have no internet); each test gets a fresh context
(no cookies) at 1366×768. Screenshots go to $BROADCAST_SCREENSHOTS or a temporary folder, printed at the end.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

CHROMIUM = Path(os.environ.get("BROADCAST_CHROMIUM", "/usr/bin/chromium"))
# No internet on the machines this runs on: keep chromium from calling home.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "mot-mat-khau-du-dai"
# username: (role, scope), as tests/web/conftest.py
ACCOUNTS = {
    "tinh": ("admin", "legacy:20"),  # Tỉnh Lạng Sơn
    "caoloc": ("approver", "legacy:183"),  # Huyện Cao Lộc
    "bientap": ("editor", "legacy:183"),
    "vanquan": ("editor", "legacy:185"),  # Huyện Bắc Sơn: another district
    "dai": ("operator", "legacy-06253"),  # Đài Truyền thanh thị trấn Văn Quan
    "sai": ("editor", "legacy:183"),  # only for wrong passwords, so throttling touches no other test
}
PHONE = {"width": 360, "height": 740}
OFFICE_PC = {"width": 1366, "height": 768}

_shots_folder: Path | None = None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _shots_folder is not None and any(_shots_folder.iterdir()):
        count = len(list(_shots_folder.glob("*.png")))
        terminalreporter.write_sep("-", "browser screenshots")
        terminalreporter.write_line(f"{count} screenshots of the office pages in {_shots_folder}")


@dataclass
class Site:
    """A running `broadcast serve` and the home it serves."""

    url: str
    env: dict[str, str]
    database: Path

    def broadcast(self, *args: str) -> str:
        """Run a `broadcast` command on this site's home; return its output."""
        return run_broadcast(self.env, *args)


def run_broadcast(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "broadcast", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"broadcast {' '.join(args)}: {done.stderr}"
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_health(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"broadcast serve exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"broadcast serve did not answer /healthz within 60 s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`broadcast serve` on a home with Lạng Sơn (legacy) and the ACCOUNTS, on a free loopback port."""
    home = tmp_path_factory.mktemp("browser-site")
    database = home / "broadcast.db"
    env = {**os.environ, "BROADCAST_HOME": str(home), "BROADCAST_DATABASE_URL": f"sqlite:///{database}"}
    env.pop("BROADCAST_CONFIG", None)
    run_broadcast(env, "init")
    run_broadcast(env, "units", "import", "--scheme", "legacy", "--province", "lang son")
    password_file = home / "password.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    for username, (role, scope) in ACCOUNTS.items():
        run_broadcast(
            env, "users", "add", username, "--name", f"Cán bộ {username}", "--role", role, "--scope", scope,
            "--password-file", str(password_file), "--by", "tests",
        )  # fmt: skip
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = home / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "broadcast", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_health(url, server, log)
        yield Site(url, env, database)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, one per test session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (scripts/test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extras")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def shots_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    global _shots_folder
    chosen = os.environ.get("BROADCAST_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    _shots_folder = folder.resolve()
    return _shots_folder


@dataclass
class Browse:
    """One person at the office app in a real browser: every page opened is screenshotted (test-NN-label.png)."""

    site: Site
    page: Page
    folder: Path
    test_name: str
    shots: list[Path] = field(default_factory=list)

    def shot(self, label: str) -> Path:
        plain = unicodedata.normalize("NFKD", label.lower().replace("đ", "d")).encode("ascii", "ignore").decode()
        safe = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "page"
        path = self.folder / f"{self.test_name}-{len(self.shots) + 1:02d}-{safe}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)
        return path

    def open(self, path: str, label: str | None = None) -> Response | None:
        """Go to a path of the site, wait for it to load, screenshot it; return the main response."""
        response = self.page.goto(self.site.url + path)
        self.shot(label or path)
        return response

    def sign_in(self, username: str, password: str = PASSWORD, next_path: str = "/") -> None:
        """Sign in through the form, as a person would (the form itself is screenshotted filled in)."""
        self.open(f"/login?next={next_path}", "login")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Đăng nhập").click()
        self.shot(f"after-sign-in-{username}")

    def sign_out(self) -> None:
        self.menu()
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Đăng xuất").click()
        self.shot("after-sign-out")

    def menu(self) -> None:
        """Open the navigation when the page is narrow enough to fold it behind ☰."""
        button = self.page.locator("label.menu-button")
        if button.count() and button.is_visible():
            button.click()

    def overflow(self) -> int:
        """How many CSS pixels the page is wider than the window (0: nothing scrolls sideways)."""
        width: int = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        return max(width, 0)

    def resize(self, viewport: dict[str, int]) -> None:
        self.page.set_viewport_size({"width": viewport["width"], "height": viewport["height"]})


@pytest.fixture
def browse(site: Site, browser: Browser, shots_folder: Path, request: pytest.FixtureRequest) -> Iterator[Browse]:
    """A fresh browser context (no cookies) at 1366×768 on the site, Vietnamese locale."""
    context = browser.new_context(viewport=OFFICE_PC, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    page = context.new_page()
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower().removeprefix("test_")).strip("-")
    try:
        yield Browse(site, page, shots_folder, name)
    finally:
        context.close()
