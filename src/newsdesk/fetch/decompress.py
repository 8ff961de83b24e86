"""Streaming Content-Encoding decoders that never produce more than one small piece at a time.

Output is bounded per call so a decompression bomb is stopped by the caller's size cap long
before it is expanded in memory.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Protocol

import brotli

from newsdesk.fetch.errors import ProtocolError

PIECE = 64 * 1024


class Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def finish(self) -> Iterator[bytes]: ...


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip (possibly multi-member) or deflate, zlib-wrapped or raw as servers actually send it."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._obj: zlib._Decompress | None = None

    def _new(self, first: bytes) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        zlib_wrapped = (
            len(first) >= 2 and (first[0] & 0x0F) == 8 and (first[0] << 8 | first[1]) % 31 == 0
        )
        return zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            while data:
                if self._obj is None:
                    self._obj = self._new(data)
                obj = self._obj
                while True:
                    out = obj.decompress(data, PIECE)
                    data = obj.unconsumed_tail
                    if out:
                        yield out
                    if not data and len(out) < PIECE:
                        break
                data = obj.unused_data if obj.eof and self._gzip else b""
                if obj.eof and self._gzip:
                    self._obj = None
        except zlib.error as exc:
            kind = "gzip" if self._gzip else "deflate"
            raise ProtocolError(f"invalid {kind} data: {exc}") from exc

    def finish(self) -> Iterator[bytes]:
        # Truncated streams are common in the wild; keep what was decoded.
        return iter(())


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._obj.process(data, output_buffer_limit=PIECE)
            if out:
                yield out
            while not self._obj.can_accept_more_data():
                out = self._obj.process(b"", output_buffer_limit=PIECE)
                if out:
                    yield out
        except brotli.error as exc:
            raise ProtocolError(f"invalid brotli data: {exc}") from exc

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Chain:
    """Several codings applied in order, e.g. ``Content-Encoding: deflate, gzip``."""

    def __init__(self, decoders: list[Decoder]) -> None:
        self._decoders = decoders

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._decoders):
            yield data
            return
        for piece in self._decoders[index].feed(data):
            yield from self._through(index + 1, piece)

    def finish(self) -> Iterator[bytes]:
        for index, decoder in enumerate(self._decoders):
            for piece in decoder.finish():
                yield from self._through(index + 1, piece)


def _single(coding: str) -> Decoder:
    if coding in ("gzip", "x-gzip"):
        return _Zlib(gzip=True)
    if coding == "deflate":
        return _Zlib(gzip=False)
    if coding == "br":
        return _Brotli()
    if coding in ("identity", ""):
        return _Identity()
    raise ProtocolError(f"unsupported Content-Encoding: {coding}")


def decoder_for(content_encoding: str) -> Decoder:
    """Return a streaming decoder for a Content-Encoding header value."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if not codings:
        return _Identity()
    if len(codings) == 1:
        return _single(codings[0])
    return _Chain([_single(c) for c in reversed(codings)])
