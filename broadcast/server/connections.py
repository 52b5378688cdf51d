"""Connections that cannot hold the server: request read deadlines and a cap on open connections.

uvicorn closes idle keep-alive connections but has no deadline for *reading* a request: a client that sends its
headers or body a byte at a time (slowloris) holds a connection, and a file descriptor, for ever. `guarded_protocol`
builds a subclass of uvicorn's h11 protocol that closes such connections, and that keeps the number of open
connections under a cap by dropping the oldest connection that is idle or still sending its request before refusing
a new one.

The deadlines cover reading the request only: once it has been read, answering may take as long as the route needs
(a station's long poll waits up to a minute).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import resource
import time
from dataclasses import dataclass
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

log = logging.getLogger(__name__)

FD_RESERVE = 256  # descriptors kept beyond the connection cap: database, audio files, logs, ffmpeg pipes
FLOOD_HIGH, FLOOD_LOW = 1000, 50  # open connections: a flood, and its end
WARN_EVERY = 60.0  # seconds between two warnings about the cap, so a flood does not flood the log too
BODY_MIN_RATE = 64 * 1024  # bytes/s: a body gets body_timeout plus its length at this rate (a 10 MiB upload: +160 s)


@dataclass(frozen=True)
class ConnectionLimits:
    """Bounds on a client's connection. Times are seconds.

    header_timeout: from a request's first byte (or the connection's opening) to the end of its headers.
    body_timeout: from the end of the headers to the end of the body, plus Content-Length / BODY_MIN_RATE.
    keep_alive_timeout: how long an idle connection is kept between requests.
    max_connections: open connections at most; past it, the oldest one that is idle or still sending its request
    is closed, or the new one when every connection is being answered.
    """

    header_timeout: int = 10
    body_timeout: int = 30
    keep_alive_timeout: int = 5
    max_connections: int = 4096

    def body_deadline(self, length: int | None) -> float:
        """Seconds allowed for a body of this many bytes (None: chunked, length unknown)."""
        return self.body_timeout + (length or 0) / BODY_MIN_RATE


def guarded_protocol(limits: ConnectionLimits) -> type[H11Protocol]:
    """An h11 protocol class for uvicorn.Config(http=…) that applies these limits; one class per server."""
    asking: dict[GuardedH11Protocol, None] = {}  # connections not done asking, oldest first

    class Guarded(GuardedH11Protocol):
        pass

    Guarded.limits = limits
    Guarded.asking = asking
    Guarded.flood = Flood()
    return Guarded


class Flood:
    """Gives the memory of a flood of connections back to the system once it has passed.

    Thousands of connections leave the C allocator's heap full of small free blocks it keeps for itself; when the
    count falls back from above FLOOD_HIGH to below FLOOD_LOW, glibc's malloc_trim returns them (elsewhere: no-op).
    """

    def __init__(self) -> None:
        self.risen = False

    def rise(self, connections: int) -> None:
        if connections > FLOOD_HIGH:
            self.risen = True

    def ebb(self, connections: int, loop: asyncio.AbstractEventLoop) -> None:
        if self.risen and connections < FLOOD_LOW:
            self.risen = False
            loop.call_soon(release_memory)


def release_memory() -> None:
    """Collect garbage and hand the allocator's free memory back to the system (glibc only)."""
    gc.collect()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return
    freed = trim(0)
    log.info("a flood of connections has passed; memory %s", "returned to the system" if freed else "kept")


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with request read deadlines and a connection cap (set up by `guarded_protocol`)."""

    limits: ConnectionLimits
    asking: dict[GuardedH11Protocol, None]
    flood: Flood
    warned_at = -WARN_EVERY

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.read_timer: asyncio.TimerHandle | None = None
        self.reading: str | None = None  # "headers" or "body" while a deadline runs

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.max_connections:
            evicted = self._evict_oldest_asking()
            self._warn_cap(evicted)
            if not evicted:
                transport.abort()
                return
        super().connection_made(transport)
        self.flood.rise(len(self.connections))
        self.asking[self] = None
        self._arm("headers", self.limits.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.transport is None:  # refused in connection_made
            return
        self._disarm()
        self.asking.pop(self, None)
        super().connection_lost(exc)
        self.flood.ebb(len(self.connections), self.loop)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow_request()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self.asking[self] = None  # kept alive until the next request (unless one was pipelined)

    def _follow_request(self) -> None:
        """Move the deadline along with h11's view of the request: headers, then body, then none."""
        state = self.conn.their_state
        if state is h11.IDLE:
            if self.reading != "headers" and not self.transport.is_closing():
                # The first bytes of a new request on a kept-alive connection (a request that arrives whole, the
                # usual case, never gets here and costs no timer), or the end of a body sent after its answer.
                self._arm("headers", self.limits.header_timeout)
        elif state is h11.SEND_BODY:
            if self.reading != "body":
                self._arm("body", self.limits.body_deadline(self._content_length()))
        else:
            self.asking.pop(self, None)
            self._disarm()  # read in full (or closing): answering is the route's business

    def _content_length(self) -> int | None:
        for name, value in self.headers or ():
            if name == b"content-length" and value.isdigit():
                return int(value)
        return None

    def _arm(self, reading: str, seconds: float) -> None:
        self._disarm()
        self.reading = reading
        self.read_timer = self.loop.call_later(seconds, self._read_timed_out)

    def _disarm(self) -> None:
        if self.read_timer is not None:
            self.read_timer.cancel()
        self.read_timer = None
        self.reading = None

    def _read_timed_out(self) -> None:
        self.read_timer = None
        if not self.transport.is_closing():
            self._close()

    def _close(self) -> None:
        self.asking.pop(self, None)
        self._disarm()
        self._unset_keepalive_if_required()
        self.transport.abort()  # nothing worth flushing: the client has not finished asking

    def _warn_cap(self, evicted: bool) -> None:
        now = time.monotonic()
        if now - GuardedH11Protocol.warned_at < WARN_EVERY:
            return
        GuardedH11Protocol.warned_at = now
        what = "closed the oldest idle or slow one" if evicted else "every one is busy: refused the new one"
        log.warning("%d connections open (max_connections); %s", self.limits.max_connections, what)

    def _evict_oldest_asking(self) -> bool:
        """Close the oldest connection that is idle or still sending its request; False when every one is busy."""
        for oldest in self.asking:
            oldest._close()
            # abort() calls connection_lost on the next loop turn; count the slot as free now.
            self.connections.discard(oldest)
            return True
        return False


def raise_open_file_limit(max_connections: int) -> int:
    """Raise RLIMIT_NOFILE's soft limit to the hard one when it is below what max_connections needs.

    Returns the number of connections the limit allows (max_connections, or fewer when even the hard limit is
    too low), and logs what it changed.
    """
    needed = max_connections + FD_RESERVE
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            log.info("open-file limit raised from %d to %d for max_connections = %d", soft, target, max_connections)
            soft = target
        except (ValueError, OSError) as exc:
            log.warning("cannot raise the open-file limit from %d: %s", soft, exc)
    if soft != resource.RLIM_INFINITY and soft < needed:
        allowed = max(soft - FD_RESERVE, 16)
        log.warning(
            "the open-file limit (%d) allows %d connections, not max_connections = %d; raise `ulimit -n`",
            soft,
            allowed,
            max_connections,
        )
        return allowed
    return max_connections
