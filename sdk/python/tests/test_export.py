import sys
import types
import unittest

from wasmlet import GuestError, Request, log, text
from wasmlet.export import LogStream, export_handler, format_traceback
from wasmlet.testing import RequestRecord, call, fake_host, invoke


def _module(handle):
    module = types.ModuleType("handler")
    module.handle = handle
    return module


class ExportHandlerTest(unittest.TestCase):
    def test_the_exported_class_calls_handle_with_a_request(self):
        seen = []

        def handle(request):
            seen.append(request)
            return text(200, "ok")

        handler = export_handler(_module(handle))()
        out = handler.handle(RequestRecord("GET", "/p", "a=1", [("host", "h")], b"body"))
        self.assertEqual((out.status, out.headers, out.body), (200, [("content-type", "text/plain; charset=utf-8")], b"ok"))
        self.assertEqual(seen, [Request("GET", "/p", "a=1", [("host", "h")], b"body")])

    def test_a_module_without_handle_fails_at_build_time(self):
        with self.assertRaisesRegex(TypeError, "must define `def handle"):
            export_handler(types.ModuleType("handler"))

    def test_stdio_must_be_known(self):
        with self.assertRaises(ValueError):
            export_handler(_module(lambda r: "x"), stdio="files")


class ErrorsTest(unittest.TestCase):
    def test_an_exception_is_a_guest_error_and_its_traceback_a_log_line(self):
        def handle(request):
            raise KeyError("nope")

        with fake_host() as host, self.assertRaises(GuestError) as caught:
            call(handle)
        self.assertEqual(caught.exception.value, "KeyError: 'nope'")
        [(level, message)] = host.logs
        self.assertEqual(level, "error")
        self.assertIn("Traceback (most recent call last):", message)
        self.assertIn(", in handle", message)
        self.assertNotIn("call_handle", message)  # the adapter's frame is left out

    def test_a_bad_return_value_is_a_guest_error(self):
        with fake_host(), self.assertRaisesRegex(GuestError, "TypeError: handle must return a Response"):
            call(lambda request: 42)

    def test_chained_exceptions_are_printed_oldest_first(self):
        try:
            try:
                raise KeyError("inner")
            except KeyError as inner:
                raise RuntimeError("outer") from inner
        except RuntimeError as err:
            text_ = format_traceback(err)
        self.assertLess(text_.index("KeyError: 'inner'"), text_.index("direct cause"))
        self.assertLess(text_.index("direct cause"), text_.index("RuntimeError: outer"))

    def test_implicit_context_and_suppression(self):
        try:
            try:
                raise KeyError("first")
            except KeyError:
                raise ValueError("second")
        except ValueError as err:
            self.assertIn("During handling of the above exception", format_traceback(err))
            err.__suppress_context__ = True
            self.assertNotIn("first", format_traceback(err))


class StdioTest(unittest.TestCase):
    def test_log_stream_sends_one_line_per_line(self):
        stream = LogStream("info")
        with fake_host() as host:
            print("a", 1, file=stream)
            stream.write("b\nc")
            stream.write("d")
            stream.flush()
        self.assertEqual(host.logs, [("info", "a 1"), ("info", "b"), ("info", "cd")])

    def test_stdio_log_redirects_print_and_flushes_after_each_call(self):
        saved = sys.stdout, sys.stderr
        try:
            handler = export_handler(_module(lambda r: (print("partial", end=""), "ok")[1]), stdio="log")()
            with fake_host() as host:
                handler.handle(RequestRecord("GET", "/", "", [], b""))
            self.assertEqual(host.logs, [("info", "partial")])
        finally:
            sys.stdout, sys.stderr = saved


class TestingHelpersTest(unittest.TestCase):
    def test_invoke_is_a_direct_post_with_a_json_body(self):
        def handle(request):
            log.info("direct" if request.is_direct_invocation else "http")
            return text(200, request.json()["name"])

        with fake_host() as host:
            res = invoke(handle, {"name": "ada"})
        self.assertEqual((res.status, res.text(), host.logs), (200, "ada", [("info", "direct")]))


if __name__ == "__main__":
    unittest.main()
