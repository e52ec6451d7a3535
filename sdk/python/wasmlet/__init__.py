"""wasmlet's Python guest SDK: write `def handle(request) -> Response` and build it with
toolchains/python/build.sh. See sdk/python/README.md.

    from wasmlet import Request, Response, text

    def handle(request: Request) -> Response:
        return text(200, f"Hello, {request.query_param('name') or 'world'}!\\n")
"""
from .export import GuestError
from .host import config, log
from .request import Request
from .response import Response, html, json, response, text

__all__ = ["Request", "Response", "text", "json", "html", "response", "log", "config", "GuestError"]
