import unittest
from contextlib import redirect_stderr
from dataclasses import dataclass
from io import StringIO

from wasmlet import SendError, config, log
from wasmlet.bindings import Bindings
from wasmlet.host import ComponentHost, NativeHost, current_host
from wasmlet.testing import fake_host


class FakeErr(Exception):
    """Shaped like componentize_py_types.Err."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class FakeHostBindings:
    """Shaped like componentize-py's generated wit_world.imports.host."""

    class LogLevel:
        DEBUG, INFO, WARN, ERROR = "D", "I", "W", "E"

    def __init__(self):
        self.calls = []

    def log(self, level, message):
        self.calls.append((level, message))

    def get_config(self, key):
        return {"colour": "blue"}.get(key)


class FakePublisherBindings:
    """Shaped like wit_world.imports.publisher: send returns the id or raises Err(reason)."""

    @dataclass
    class OutgoingMessage:
        body: bytes
        attributes: list
        delay_ms: int

    def __init__(self):
        self.calls = []

    def send(self, queue, message):
        if queue != "emails":
            raise FakeErr(f"{queue} is not in publish")
        self.calls.append((queue, message))
        return "id-1"


class HostTest(unittest.TestCase):
    def test_log_joins_arguments_like_print(self):
        with fake_host() as host:
            log.debug("a", 1, None)
            log.info("b")
            log.warn("c")
            log.warning("d")
            log.error("e", {"k": 1})
        self.assertEqual(
            host.logs,
            [("debug", "a 1 None"), ("info", "b"), ("warn", "c"), ("warn", "d"), ("error", "e {'k': 1}")],
        )

    def test_config(self):
        with fake_host({"colour": "blue"}):
            self.assertEqual(config("colour"), "blue")
            self.assertIsNone(config("size"))
            self.assertEqual(config("size", "M"), "M")

    def test_fake_host_is_removed_afterwards(self):
        before = current_host()
        with fake_host():
            self.assertIsNot(current_host(), before)
        self.assertIs(current_host(), before)

    def test_component_host_maps_levels_to_the_bindings(self):
        bindings = FakeHostBindings()
        host = ComponentHost(Bindings(Err=FakeErr, host=bindings))
        host.log("warn", "careful")
        self.assertEqual(bindings.calls, [("W", "careful")])
        self.assertEqual(host.get_config("colour"), "blue")
        self.assertIsNone(host.get_config("size"))

    def test_component_host_sends_an_outgoing_message_record(self):
        publisher = FakePublisherBindings()
        host = ComponentHost(Bindings(Err=FakeErr, host=FakeHostBindings(), publisher=publisher))
        self.assertEqual(host.send("emails", b"hi", [("k", "v")], 5), "id-1")
        self.assertEqual(publisher.calls, [("emails", FakePublisherBindings.OutgoingMessage(b"hi", [("k", "v")], 5))])

    def test_component_host_turns_err_into_send_error(self):
        host = ComponentHost(Bindings(Err=FakeErr, host=FakeHostBindings(), publisher=FakePublisherBindings()))
        with self.assertRaises(SendError) as caught:
            host.send("orders", b"", [], 0)
        self.assertEqual(caught.exception.reason, "orders is not in publish")

    def test_outside_a_component_logs_go_to_stderr(self):
        err = StringIO()
        with redirect_stderr(err):
            NativeHost().log("info", "hello")
        self.assertEqual(err.getvalue(), "[info] hello\n")
        self.assertIsNone(NativeHost().get_config("anything"))
        with self.assertRaisesRegex(SendError, "outside a component"):
            NativeHost().send("emails", b"", [], 0)


if __name__ == "__main__":
    unittest.main()
