import unittest

from wasmlet import GuestError, log, text
from wasmlet.testing import call, fake_host, invoke


class HttpErrorsTest(unittest.TestCase):
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
        self.assertNotIn("call_guest", message)  # the SDK's frames are left out
        self.assertNotIn("call_http", message)

    def test_a_guest_error_keeps_its_message_and_logs_nothing(self):
        def handle(request):
            raise GuestError("out of stock")

        with fake_host() as host, self.assertRaises(GuestError) as caught:
            call(handle)
        self.assertEqual((caught.exception.value, host.logs), ("out of stock", []))

    def test_a_bad_return_value_is_a_guest_error(self):
        with fake_host() as host, self.assertRaisesRegex(GuestError, "TypeError: handle must return a Response"):
            call(lambda request: 42)
        self.assertEqual(host.logs, [("error", "TypeError: handle must return a Response such as text(200, \"hi\"), got 42")])

    def test_system_exit_is_not_caught(self):
        def handle(request):
            raise SystemExit(3)

        with fake_host(), self.assertRaises(SystemExit):
            call(handle)


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
