"""Outbound HTTP (`wasmlet:function/outbound-http`), in the manner of urllib.

    from wasmlet import http

    res = http.request("POST", "https://hooks.example.com/x", headers={"content-type": "application/json"}, body=b"{}")
    if res.status != 202:
        ...
    with http.urlopen("https://api.example.com/v1/rates") as res:
        rates = res.json()

The host sends the request and returns once the whole response has arrived; the wait counts
against the invocation's deadline. Only the origins the manifest grants are reachable:
`allowed_outbound_hosts = ["https://api.example.com"]` (none by default). When no response comes
(the origin is not granted, the connection failed, a limit was hit), `HttpError` is raised with
the WIT error code in `code`. An HTTP error status (404, 503) is a response, not an exception,
unlike urllib.request.urlopen.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Union

from .body import REQUIRED, body_json, body_text
from .errors import HTTP_ERROR_CODES, HttpError
from .host import current_host

__all__ = ["request", "urlopen", "HttpResponse", "HttpError", "HTTP_ERROR_CODES"]

Headers = Union[Mapping[str, str], Iterable[Tuple[str, str]]]
Body = Union[bytes, bytearray, memoryview, str]


@dataclass(frozen=True)
class HttpResponse:
    """The whole response to an outbound request. Also usable as urllib's response is:
    `with urlopen(url) as res: res.read()`, `res.getcode()`, `res.getheader(name)`."""

    status: int
    #: (name, value) pairs; the host gives lower-case names, one pair per value.
    headers: List[Tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    #: The requested URL (the host follows redirects; the final URL is not reported).
    url: str = ""

    @property
    def ok(self) -> bool:
        """A 2xx status."""
        return 200 <= self.status <= 299

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of header `name` (case-insensitive), or `default` when absent."""
        values = self.header_values(name)
        return values[0] if values else default

    def header_values(self, name: str) -> List[str]:
        """Every value of header `name` (case-insensitive), in the order received."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes become U+FFFD)."""
        return body_text(self.body)

    def json(self, default: Any = REQUIRED) -> Any:
        """The body parsed as JSON; ValueError when it is not, unless `default` is given."""
        return body_json(self.body, default, "the response body")

    # urllib.response compatibility.
    def read(self) -> bytes:
        return self.body

    def getcode(self) -> int:
        return self.status

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """All values of `name` joined with ", " as http.client does, or `default`."""
        values = self.header_values(name)
        return ", ".join(values) if values else default

    def __enter__(self) -> "HttpResponse":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def request(method: str, url: str, headers: Optional[Headers] = None, body: Body = b"") -> HttpResponse:
    """Sends one request and returns the whole response.

    `headers` is a dict or (name, value) pairs of str, sent as given (the host adds `host` and
    `content-length`); `body` is bytes, or str sent as UTF-8. Redirects are followed by the host
    (at most 5, each checked against the grant). Raises HttpError when no response came, TypeError
    or ValueError for arguments it cannot send.
    """
    if not isinstance(method, str) or not method:
        raise TypeError(f"http.request: method must be a non-empty str, got {method!r}")
    if not isinstance(url, str):
        raise TypeError(f"http.request: url must be a str, got {url!r}")
    status, answer_headers, answer_body = current_host().http_send(method.upper(), url, header_list(headers), _body_bytes(body))
    return HttpResponse(status, answer_headers, answer_body, url)


def urlopen(url: Any, data: Optional[Body] = None, headers: Optional[Headers] = None) -> HttpResponse:
    """urllib.request.urlopen's shape: GET `url`, or POST `data` when given.

    `url` may also be a urllib.request.Request (its method, headers and data are used). HttpError
    replaces URLError; an HTTP error status is returned, not raised.
    """
    if isinstance(url, str):
        return request("GET" if data is None else "POST", url, headers, b"" if data is None else data)
    if hasattr(url, "full_url") and hasattr(url, "get_method"):  # a urllib.request.Request
        pairs = list(url.header_items()) + header_list(headers)
        sent = url.data if data is None else data
        return request(url.get_method(), url.full_url, pairs, b"" if sent is None else sent)
    raise TypeError(f"http.urlopen: url must be a str or a urllib.request.Request, got {url!r}")


def header_list(headers: Optional[Headers]) -> List[Tuple[str, str]]:
    """(name, value) pairs of str, from a dict or pairs; TypeError naming the bad entry."""
    if headers is None:
        return []
    entries = headers.items() if isinstance(headers, Mapping) else headers
    pairs: List[Tuple[str, str]] = []
    for i, entry in enumerate(entries):
        if isinstance(entry, (str, bytes)) or not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise TypeError(f"http.request: header #{i} must be a (name, value) pair, got {entry!r}")
        name, value = entry
        if not isinstance(name, str) or not name or not isinstance(value, str):
            raise TypeError(f"http.request: header #{i} must be a pair of str with a non-empty name, got {entry!r}")
        pairs.append((name, value))
    return pairs


def _body_bytes(body: Body) -> bytes:
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise TypeError(f"http.request: body must be bytes or str, got a {type(body).__name__} (json.dumps it for objects)")
