"""Every way a fetch can fail, as one exception family with a one-line human reason."""

from __future__ import annotations


class FetchError(Exception):
    """A fetch failed; ``str(error)`` says why in one line."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class BlockedAddressError(FetchError):
    """The destination resolves to a loopback, private or otherwise non-public address."""


class UnsupportedSchemeError(FetchError):
    """The URL (or a redirect) is not http or https."""


class TooManyRedirectsError(FetchError):
    """The redirect chain is longer than ``max_redirects`` or loops."""


class TooLargeError(FetchError):
    """The decompressed body exceeds ``max_body_bytes``."""


class FetchTimeoutError(FetchError):
    """The connection or the whole fetch took longer than allowed."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx, 5xx or an unexpected one)."""


class RobotsDisallowedError(FetchError):
    """robots.txt forbids fetching this URL."""


class ConnectError(FetchError):
    """The host could not be resolved or reached, or the connection broke."""


class ProtocolError(FetchError):
    """The server sent a malformed response or undecodable content."""
