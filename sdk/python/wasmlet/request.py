"""Reading the `http-request` record the host passes to `handle`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import parse_qsl

from .body import REQUIRED, body_json, body_text

#: The header a direct invocation (`wasmlet invoke`, POST /v1/functions/{name}/invoke) carries.
DIRECT_INVOCATION_HEADER = "x-wasmlet-invocation"


@dataclass(frozen=True)
class Request:
    """One HTTP request, as `sdk/wit/function.wit` defines it.

    >>> r = Request(method="GET", path="/hi", query="name=ada&x=1&x=2")
    >>> r.query_param("name"), r.query_params()["x"]
    ('ada', ['1', '2'])
    """

    #: Upper-case method, e.g. "GET".
    method: str = "GET"
    #: Path without the query string, e.g. "/hello/python".
    path: str = "/"
    #: Raw query string without the leading "?" ("" when absent).
    query: str = ""
    #: (name, value) pairs; the host sends lower-case names, one pair per value.
    headers: Sequence[Tuple[str, str]] = ()
    body: bytes = b""

    def query_params(self) -> Dict[str, List[str]]:
        """Every query parameter with all its values, form-decoded ("+" is a space)."""
        params: Dict[str, List[str]] = {}
        for name, value in self._query_pairs():
            params.setdefault(name, []).append(value)
        return params

    def query_param(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of query parameter `name`, or `default` when it is absent.

        A parameter given without a value (`?name` or `?name=`) is "", not absent.
        """
        for key, value in self._query_pairs():
            if key == name:
                return value
        return default

    def header(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first value of header `name` (case-insensitive), or `default` when absent."""
        values = self.header_values(name)
        return values[0] if values else default

    def header_values(self, name: str) -> List[str]:
        """Every value of header `name` (case-insensitive), in request order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes become U+FFFD)."""
        return body_text(self.body)

    def json(self, default: Any = REQUIRED) -> Any:
        """The body parsed as JSON.

        An empty or invalid body raises ValueError (a guest error when left uncaught),
        unless `default` is given, which is then returned instead.
        """
        return body_json(self.body, default, "request body")

    @property
    def is_direct_invocation(self) -> bool:
        """True for `wasmlet invoke` calls, which arrive as POST / with the payload as the body."""
        return self.header(DIRECT_INVOCATION_HEADER) == "direct"

    def _query_pairs(self) -> List[Tuple[str, str]]:
        return parse_qsl(self.query.lstrip("?"), keep_blank_values=True)
