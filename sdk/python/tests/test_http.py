import enum
import unittest
import urllib.request
from dataclasses import dataclass

from wasmlet import HttpError, http
from wasmlet.bindings import Bindings
from wasmlet.errors import HTTP_ERROR_CODES
from wasmlet.host import ComponentHost, NativeHost
from wasmlet.http import HttpResponse
from wasmlet.testing import SentRequest, fake_host


class FakeErr(Exception):
    """Shaped like componentize_py_types.Err."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class FakeOutboundBindings:
    """Shaped like componentize-py's wit_world.imports.outbound_http: send returns a Response
    record or raises Err(HttpError(code: ErrorCode, message))."""

    ErrorCode = enum.Enum("ErrorCode", [name.upper().replace("-", "_") for name in HTTP_ERROR_CODES])

    @dataclass
    class Request:
        method: str
        url: str
        headers: list
        body: bytes

    @dataclass
    class Response:
        status: int
        headers: list
        body: bytes

    @dataclass
    class HttpError:
        code: object
        message: str

    def __init__(self):
        self.calls = []

    def send(self, request):
        self.calls.append(request)
        if "refused" in request.url:
            raise FakeErr(self.HttpError(self.ErrorCode.CONNECTION_REFUSED, "connect ECONNREFUSED"))
        return self.Response(503, [("retry-after", "5")], b"busy")


class RequestTest(unittest.TestCase):
    def test_request_sends_the_record_and_returns_the_whole_response(self):
        answers = [(201, {"Content-Type": "application/json", "X-A": "1"}, '{"id": 7}')]
        with fake_host(http=lambda req: answers.pop()) as host:
            res = http.request("post", "https://api.example.com/orders", {"content-type": "application/json"}, '{"n": "é"}')
        self.assertEqual(host.requests, [SentRequest("POST", "https://api.example.com/orders", [("content-type", "application/json")], '{"n": "é"}'.encode())])
        self.assertEqual((res.status, res.ok, res.url), (201, True, "https://api.example.com/orders"))
        self.assertEqual(res.headers, [("content-type", "application/json"), ("x-a", "1")])
        self.assertEqual(res.header("Content-Type"), "application/json")
        self.assertIsNone(res.header("missing"))
        self.assertEqual(res.json(), {"id": 7})
        self.assertEqual(res.text(), '{"id": 7}')

    def test_an_error_status_is_a_response_not_an_exception(self):
        with fake_host(http=lambda req: HttpResponse(404, [("a", "1"), ("a", "2")], b"nope")):
            res = http.request("GET", "http://127.0.0.1:9/x")
        self.assertEqual((res.status, res.ok, res.read(), res.getcode()), (404, False, b"nope", 404))
        self.assertEqual(res.header_values("A"), ["1", "2"])
        self.assertEqual(res.getheader("a"), "1, 2")
        self.assertEqual(res.json(default=None), None)
        with self.assertRaisesRegex(ValueError, "the response body is not valid JSON"):
            res.json()

    def test_urlopen_gets_or_posts_like_urllib_and_takes_a_urllib_request(self):
        with fake_host(http=lambda req: (200, b"ok")) as host:
            with http.urlopen("http://h/a") as res:
                self.assertEqual(res.read(), b"ok")
            http.urlopen("http://h/b", data=b"x=1", headers=[("x-probe", "python")])
            http.urlopen(urllib.request.Request("http://h/c", data=b"{}", headers={"Content-Type": "application/json"}, method="PUT"))
        self.assertEqual(
            [(r.method, r.url, r.headers, r.body) for r in host.requests],
            [
                ("GET", "http://h/a", [], b""),
                ("POST", "http://h/b", [("x-probe", "python")], b"x=1"),
                ("PUT", "http://h/c", [("Content-type", "application/json")], b"{}"),
            ],
        )

    def test_a_failure_is_an_http_error_with_the_wit_code(self):
        def refuse(req):
            raise HttpError("denied", "http://10.0.0.1 is not in allowed_outbound_hosts")

        with fake_host(http=refuse), self.assertRaises(HttpError) as caught:
            http.urlopen("http://10.0.0.1/")
        error = caught.exception
        self.assertIsInstance(error, OSError)
        self.assertEqual((error.code, error.reason, error.method, error.url), ("denied", "http://10.0.0.1 is not in allowed_outbound_hosts", "GET", "http://10.0.0.1/"))
        self.assertEqual(str(error), "GET http://10.0.0.1/ failed: denied (http://10.0.0.1 is not in allowed_outbound_hosts)")

    def test_without_an_answer_function_every_request_is_denied(self):
        with fake_host() as host, self.assertRaises(HttpError) as caught:
            http.request("GET", "http://h/")
        self.assertEqual(caught.exception.code, "denied")
        self.assertEqual(len(host.requests), 1)

    def test_arguments_it_cannot_send(self):
        with fake_host(http=lambda req: (200, b"")) as host:
            for args, kwargs in (
                (("", "http://h/"), {}),
                ((None, "http://h/"), {}),
                (("GET", b"http://h/"), {}),
                (("GET", "http://h/"), {"headers": [("a",)]}),
                (("GET", "http://h/"), {"headers": {"a": 1}}),
                (("GET", "http://h/"), {"headers": {"": "x"}}),
                (("POST", "http://h/"), {"body": {"a": 1}}),
            ):
                with self.subTest(args=args, kwargs=kwargs), self.assertRaises(TypeError):
                    http.request(*args, **kwargs)
            with self.assertRaises(TypeError):
                http.urlopen(42)
        self.assertEqual(host.requests, [])


class ComponentHostTest(unittest.TestCase):
    def test_send_builds_the_request_record_and_lifts_the_response(self):
        outbound = FakeOutboundBindings()
        host = ComponentHost(Bindings(Err=FakeErr, host=_Levels(), outbound_http=outbound))
        self.assertEqual(host.http_send("GET", "http://h/", [("x-probe", "python")], b""), (503, [("retry-after", "5")], b"busy"))
        self.assertEqual(outbound.calls, [FakeOutboundBindings.Request("GET", "http://h/", [("x-probe", "python")], b"")])

    def test_err_becomes_http_error_with_the_wit_name_of_the_code(self):
        host = ComponentHost(Bindings(Err=FakeErr, host=_Levels(), outbound_http=FakeOutboundBindings()))
        with self.assertRaises(HttpError) as caught:
            host.http_send("GET", "http://127.0.0.1:1/refused", [], b"")
        self.assertEqual((caught.exception.code, caught.exception.reason), ("connection-refused", "connect ECONNREFUSED"))

    def test_a_world_without_the_import_denies(self):
        host = ComponentHost(Bindings(Err=FakeErr, host=_Levels()))
        with self.assertRaisesRegex(HttpError, "does not import wasmlet:function/outbound-http"):
            host.http_send("GET", "http://h/", [], b"")

    def test_outside_a_component_requests_are_denied(self):
        with self.assertRaisesRegex(HttpError, "outside a component") as caught:
            NativeHost().http_send("GET", "http://h/", [], b"")
        self.assertEqual(caught.exception.code, "denied")


class _Levels:
    class LogLevel:
        DEBUG, INFO, WARN, ERROR = "D", "I", "W", "E"


if __name__ == "__main__":
    unittest.main()
