"""The station's side of the pull API over httpx: explicit timeouts, bounded retries, resumable verified downloads.

Failures come in two kinds. A refused token or a malformed address is the operator's to fix (StationError, exit 1).
A link that drops, a server that is down or sends damaged bytes is the weather (SyncIncompleteError, exit 2):
the station keeps its last good days and tries again at the next sync.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from broadcast import __version__
from broadcast.errors import StationError, SyncIncompleteError

API = "/api/v1"
CHUNK_BYTES = 64 * 1024
# A weak 3G link: connecting takes a while, and a stalled read is given up after half a minute.
TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
WAIT_MARGIN = 15.0  # a long poll's answer may come this long after the wait asked for, on a slow link
MAX_HEARD = 300  # message ids sent as heard: an emergency is served for 12 hours, and few come in a day
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class ServerUnreachable(SyncIncompleteError):
    """The server did not answer after every retry."""


class DamagedAudio(SyncIncompleteError):
    """An audio file failed its sha256 check twice, or the server does not have it."""


class NotPublished(StationError):
    """The server has no manifest for that day (yet)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often a request is tried and how long to wait before each retry (doubled every time)."""

    attempts: int = 4
    wait: float = 2.0

    def delays(self) -> Iterator[float]:
        for attempt in range(self.attempts - 1):
            yield self.wait * 2**attempt


def check_server_url(server: str) -> str:
    """The server's base URL without a trailing slash; StationError when it is not an http(s) address."""
    try:
        url = httpx.URL(server)
    except (httpx.InvalidURL, TypeError) as exc:
        raise StationError(
            f"{{server}} {server!r} is not a URL; give e.g. https://broadcast.example.vn", field="server"
        ) from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise StationError(
            f"{{server}} {server!r} is not an http(s) address; give e.g. https://broadcast.example.vn", field="server"
        )
    return str(url).rstrip("/")


class StationClient:
    """Talks to the server for one station with its token."""

    def __init__(
        self,
        server: str,
        station: str,
        token: str,
        *,
        retry: RetryPolicy = RetryPolicy(),
        timeout: httpx.Timeout = TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
        folder: Path | None = None,
    ) -> None:
        """folder: the station's mirror, whose free disk space each request reports to the server."""
        self.server = check_server_url(server)
        if not token.strip():
            raise StationError("the station token is empty; give the one `broadcast stations token` printed")
        self.station = station
        self.retry = retry
        self.sleep = sleep
        self.bytes_downloaded = 0
        self.files_downloaded = 0
        self._http = httpx.Client(
            base_url=self.server + API,
            # The server keeps these as the station's health: its software version and, below, its free disk.
            headers={"Authorization": f"Bearer {token.strip()}", "User-Agent": f"broadcast-station/{__version__}"},
            timeout=timeout,
            event_hooks={"request": [self._report_free_disk]} if folder is not None else {},
        )
        self.folder = folder

    def _report_free_disk(self, request: httpx.Request) -> None:
        with contextlib.suppress(OSError):  # a folder not created yet has nothing to report
            request.headers["X-Broadcast-Free-Disk"] = str(shutil.disk_usage(self.folder or ".").free)

    def __enter__(self) -> StationClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # Errors and retries.

    def _refused(self, response: httpx.Response, what: str) -> StationError | None:
        if response.status_code == 401:
            return StationError(
                f"the server at {self.server} refused the token (401 Unauthorized); check {{token}}", field="token"
            )
        if response.status_code == 403:
            return StationError(
                f"the token is not for station {self.station} (403 Forbidden); use that station's own token"
            )
        if self._unknown_station(response):
            return StationError(
                f"the server at {self.server} has no station {self.station}; check {{code}}", field="code"
            )
        if response.status_code in _RETRY_STATUSES:
            return None
        if response.status_code >= 400:
            return SyncIncompleteError(f"the server answered {response.status_code} to {what}: {_detail(response)}")
        return None

    def _unknown_station(self, response: httpx.Response) -> bool:
        return response.status_code == 404 and _detail(response).startswith(f"no station {self.station}")

    def _unreachable(self, reason: str) -> ServerUnreachable:
        tries = self.retry.attempts
        return ServerUnreachable(f"cannot reach {self.server} ({reason}) after {tries} tries")

    def _request(self, method: str, path: str, **options: Any) -> httpx.Response:
        """Send the request, retrying on network errors and 5xx with growing waits; never returns a 5xx."""
        delays = self.retry.delays()
        while True:
            try:
                response = self._http.request(method, path, **options)
                reason = f"{response.status_code} {response.reason_phrase}"
                if response.status_code not in _RETRY_STATUSES:
                    return response
            except httpx.TransportError as exc:
                reason = _reason(exc)
            delay = next(delays, None)
            if delay is None:
                raise self._unreachable(reason)
            self.sleep(delay)

    # The API.

    def day(self, day: date, version: str | None) -> Any | None:
        """The day's manifest as parsed JSON; None when it is still `version`; NotPublished when there is none."""
        headers = {"If-None-Match": f'"{version}"'} if version else {}
        what = f"the manifest of {day.isoformat()}"
        response = self._request("GET", f"/stations/{self.station}/days/{day.isoformat()}", headers=headers)
        if response.status_code == 304:
            return None
        if response.status_code == 404 and not self._unknown_station(response):
            raise NotPublished(f"{day.isoformat()} is not published for {self.station}: {_detail(response)}")
        refused = self._refused(response, what)
        if refused is not None:
            raise refused
        try:
            return response.json()
        except ValueError as exc:
            raise SyncIncompleteError(f"the server sent {what} as something other than JSON") from exc

    def emergency(self, wait: float | None = None, heard: Iterable[int] = ()) -> list[dict[str, Any]]:
        """The emergency items the station must play now (often none), leaving out the message ids in heard.

        With wait, a long poll: the server holds the answer up to wait seconds until there is one to play.
        """
        what = "the emergency poll"
        params: dict[str, str] = {}
        options: dict[str, Any] = {}
        if wait is not None:
            params["wait"] = f"{wait:g}"
            options["timeout"] = httpx.Timeout(
                connect=TIMEOUT.connect, read=wait + WAIT_MARGIN, write=TIMEOUT.write, pool=TIMEOUT.pool
            )
        known = sorted(set(heard))[-MAX_HEARD:]
        if known:
            params["heard"] = ",".join(str(message_id) for message_id in known)
        response = self._request("GET", f"/stations/{self.station}/emergency", params=params, **options)
        if response.status_code == 204:
            return []
        refused = self._refused(response, what)
        if refused is not None:
            raise refused
        try:
            items = response.json()["items"]
        except (ValueError, KeyError, TypeError) as exc:
            raise SyncIncompleteError("the server's emergency list is damaged") from exc
        return [item for item in items if isinstance(item, dict)]

    def upload(self, entries: Sequence[Mapping[str, Any]]) -> int:
        """Send as-run entries; the number the server received."""
        what = "the as-run upload"
        response = self._request("POST", f"/stations/{self.station}/playlog", json={"entries": list(entries)})
        refused = self._refused(response, what)
        if refused is not None:
            raise refused
        try:
            return int(response.json()["received"])
        except (ValueError, KeyError, TypeError) as exc:
            raise SyncIncompleteError("the server's answer to the as-run upload is damaged") from exc

    # Audio.

    def download(self, sha256: str, size: int, target: Path, part: Path) -> None:
        """Fetch the audio into part (resuming what is there), verify it, then rename it to target.

        A file that fails its check is deleted and fetched once more from the start; failing again, it is DamagedAudio.
        """
        try:
            self._download(sha256, size, target, part)
        except OSError as exc:
            raise StationError(f"cannot write {part}: {exc.strerror or exc}; check free space and permissions") from exc

    def _download(self, sha256: str, size: int, target: Path, part: Path) -> None:
        for attempt in range(2):
            self._fetch(sha256, size, part)
            with part.open("rb") as audio:
                digest = hashlib.file_digest(audio, "sha256").hexdigest()
                received = os.fstat(audio.fileno()).st_size
            if digest == sha256 and received == size:
                # The partial file was fsynced as it grew; renaming it in is atomic, like every other write.
                os.replace(part, target)
                self.files_downloaded += 1
                return
            part.unlink(missing_ok=True)
            if attempt:
                raise DamagedAudio(
                    f"audio {sha256[:12]}… arrived damaged twice ({received} bytes, sha256 {digest[:12]}…)"
                )

    def _fetch(self, sha256: str, size: int, part: Path) -> None:
        """Bring part up to size bytes, resuming with a Range request; retries network errors with waits."""
        part.parent.mkdir(parents=True, exist_ok=True)
        delays = self.retry.delays()
        what = f"audio {sha256[:12]}…"
        while True:
            have = part.stat().st_size if part.exists() else 0
            if have > size:
                part.unlink()
                have = 0
            if have == size:
                return
            try:
                with self._stream(f"/audio/{sha256}.mp3", have) as response:
                    status = response.status_code
                    if status >= 400:
                        response.read()  # an error's body is small, and its detail goes into the message
                    if status == 404:
                        raise DamagedAudio(f"the server has no {what} although its manifest names it")
                    refused = self._refused(response, what)
                    if refused is not None:
                        raise refused
                    if status == 416 or (status == 206 and not _starts_at(response, have)):
                        part.unlink()  # the server's idea of the file differs from ours: start again
                        continue
                    if status in _RETRY_STATUSES:
                        reason = f"{status} {response.reason_phrase}"
                    else:
                        self._save(response, part, resumed=status == 206)
                        reason = "the download stopped short"
            except httpx.TransportError as exc:
                reason = _reason(exc)
            now_have = part.stat().st_size if part.exists() else 0
            if now_have >= size:
                return
            if now_have > have:
                delays = self.retry.delays()  # progress on a weak link: the retries start over
            delay = next(delays, None)
            if delay is None:
                raise self._unreachable(reason)
            self.sleep(delay)

    @contextmanager
    def _stream(self, path: str, offset: int) -> Iterator[httpx.Response]:
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        with self._http.stream("GET", path, headers=headers) as response:
            yield response

    def _save(self, response: httpx.Response, part: Path, *, resumed: bool) -> None:
        """Append (resumed) or write the body to part, keeping whatever arrived when the link drops."""
        # Not write_atomic: a partial download must survive a dropped link so that the next try resumes it.
        with part.open("ab" if resumed else "wb") as out:
            try:
                for chunk in response.iter_bytes(CHUNK_BYTES):
                    out.write(chunk)
                    self.bytes_downloaded += len(chunk)
            finally:
                out.flush()
                os.fsync(out.fileno())


def _starts_at(response: httpx.Response, offset: int) -> bool:
    content_range: str = response.headers.get("Content-Range", "")
    return content_range.startswith(f"bytes {offset}-")


def _reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect"
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    return "the connection dropped"


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail) if detail else response.reason_phrase
