"""What a successful fetch returns."""

from __future__ import annotations

from dataclasses import dataclass

from newsdesk.fetch.decode import decode_body


@dataclass(frozen=True)
class FetchResult:
    """A 2xx or 304 response; ``body`` is decompressed and ``b""`` on 304."""

    url: str
    status: int
    body: bytes
    content_type: str = ""
    charset: str = ""
    etag: str = ""
    last_modified: str = ""
    # Reached through redirects that were all permanent (301, 308): the URL asked for has
    # moved to `url` for good, and a subscription should follow it.
    moved: bool = False

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 to a conditional request."""
        return self.status == 304

    def text(self) -> str:
        """Return the body as text; never raises."""
        return decode_body(self.body, self.charset)
