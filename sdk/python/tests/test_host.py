import unittest
from contextlib import redirect_stderr
from io import StringIO

from wasmlet import config, log
from wasmlet.host import ComponentHost, NativeHost, current_host
from wasmlet.testing import fake_host


class FakeBindings:
    """Shaped like componentize-py's generated wit_world.imports.host."""

    class LogLevel:
        DEBUG, INFO, WARN, ERROR = "D", "I", "W", "E"

    def __init__(self):
        self.calls = []

    def log(self, level, message):
        self.calls.append((level, message))

    def get_config(self, key):
        return {"colour": "blue"}.get(key)


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
        bindings = FakeBindings()
        host = ComponentHost(bindings)
        host.log("warn", "careful")
        self.assertEqual(bindings.calls, [("W", "careful")])
        self.assertEqual(host.get_config("colour"), "blue")
        self.assertIsNone(host.get_config("size"))

    def test_outside_a_component_logs_go_to_stderr(self):
        err = StringIO()
        with redirect_stderr(err):
            NativeHost().log("info", "hello")
        self.assertEqual(err.getvalue(), "[info] hello\n")
        self.assertIsNone(NativeHost().get_config("anything"))


if __name__ == "__main__":
    unittest.main()
