"""A TCP relay in front of the real server: the station's weak link, which can drop in the middle of a download.

Once told to, it forwards a response on the connection whose request names `marker` only up to `cut_after`
bytes, then closes that connection and stops listening, so the station sees a server that went away mid-file.
It also keeps every request head it forwarded, so tests can see the Range headers the station sent.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any


class Relay:
    def __init__(self, upstream: str, *, marker: bytes | None = None, cut_after: int = 0) -> None:
        host, _, port = upstream.removeprefix("http://").partition(":")
        self.upstream = (host, int(port))
        self.marker = marker
        self.cut_after = cut_after
        self.requests: list[str] = []
        self.dropped = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []

    def start(self) -> None:
        self._spawn(self._accept)

    def _stop_listening(self) -> None:
        # shutdown, not only close: close leaves a listener that a thread is blocked accepting on still listening.
        _close(self._listener)

    def close(self) -> None:
        self._stop_listening()
        for sock in self._sockets:
            _close(sock)
        for thread in self._threads:
            thread.join(5)

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed: the server is "down"
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                _close(client)
                continue
            self._sockets += [client, server]
            marked = threading.Event()
            self._spawn(self._requests, client, server, marked)
            self._spawn(self._responses, server, client, marked)

    def _requests(self, client: socket.socket, server: socket.socket, marked: threading.Event) -> None:
        while data := _recv(client):
            self.requests.append(data.decode("latin-1"))
            if self.marker is not None and self.marker in data:
                marked.set()
            server.sendall(data)
        _close(server)

    def _responses(self, server: socket.socket, client: socket.socket, marked: threading.Event) -> None:
        sent = 0
        while data := _recv(server):
            if marked.is_set() and not self.dropped.is_set():
                room = self.cut_after - sent
                if len(data) >= room:
                    client.sendall(data[:room])
                    self.dropped.set()
                    self._stop_listening()
                    break
                sent += len(data)
            client.sendall(data)
        _close(client)
        _close(server)


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _close(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@contextmanager
def relay(upstream: str, **options: Any) -> Iterator[Relay]:
    link = Relay(upstream, **options)
    link.start()
    try:
        yield link
    finally:
        link.close()
