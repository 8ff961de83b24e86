"""The only network I/O of newsdesk: a safe, polite HTTP fetcher."""

from newsdesk.fetch.client import Fetcher, parse_retry_after
from newsdesk.fetch.errors import (
    BlockedAddressError,
    ConnectError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    ProtocolError,
    RobotsDisallowedError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from newsdesk.fetch.result import FetchResult
from newsdesk.fetch.safety import is_public_address

__all__ = [
    "BlockedAddressError",
    "ConnectError",
    "FetchError",
    "FetchResult",
    "FetchTimeoutError",
    "Fetcher",
    "HTTPStatusError",
    "ProtocolError",
    "RobotsDisallowedError",
    "TooLargeError",
    "TooManyRedirectsError",
    "UnsupportedSchemeError",
    "is_public_address",
    "parse_retry_after",
]
