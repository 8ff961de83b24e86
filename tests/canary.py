"""Loopback canaries: listeners that only count who connected, for "this must never be reached".

with Canary() as canary:           # 127.0.0.2 and [::1], one port each
    canary.v4, canary.v4_port      # "127.0.0.2", 41234
    canary.hits                    # connections accepted so far, on any address

127.0.0.2 is loopback on Linux without any set-up, and it is not the 127.0.0.1 that SSRF tests
declare "public" through the fetcher's address policy, so a request that gets past the guard
lands here instead of on the fixture server.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType

_REPLY = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\ncanary"


class Canary:
    """Listeners on 127.0.0.2 and [::1] that record every connection and answer "canary"."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: list[tuple[str, bytes]] = []
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self.v4, self.v4_port = "127.0.0.2", self._listen(socket.AF_INET, "127.0.0.2")
        self.v6, self.v6_port = "::1", self._listen(socket.AF_INET6, "::1")

    def _listen(self, family: socket.AddressFamily, address: str) -> int:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, 0))
        sock.listen(16)
        sock.settimeout(0.05)
        self._sockets.append(sock)
        threading.Thread(target=self._accept, args=(sock, address), daemon=True).start()
        port: int = sock.getsockname()[1]
        return port

    def _accept(self, sock: socket.socket, address: str) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = sock.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(0.5)
                request = b""
                with contextlib.suppress(OSError):
                    request = conn.recv(4096)
                    conn.sendall(_REPLY)
            with self._lock:
                self._hits.append((address, request.split(b"\r\n", 1)[0]))

    @property
    def hits(self) -> list[tuple[str, bytes]]:
        """(listening address, request line) of every connection so far."""
        with self._lock:
            return list(self._hits)

    def close(self) -> None:
        self._stop.set()
        for sock in self._sockets:
            sock.close()

    def __enter__(self) -> Canary:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
