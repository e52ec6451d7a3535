"""Runs natively: python3 -m unittest -v (from this folder)."""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "sdk" / "python"))

from wasmlet.testing import call, fake_host, invoke  # noqa: E402

from handler import handle  # noqa: E402


class HelloPythonTest(unittest.TestCase):
    def test_greets_by_query_name(self):
        with fake_host() as host:
            res = call(handle, path="/hello/python", query="name=ada")
        self.assertEqual(res.status, 200)
        self.assertEqual(res.text(), "Hello, ada, from Python!\n")
        self.assertEqual(res.header("content-type"), "text/plain; charset=utf-8")
        self.assertEqual(host.logs, [("info", "greeted ada")])

    def test_greets_the_world_by_default(self):
        with fake_host():
            self.assertEqual(call(handle, path="/hello/python").text(), "Hello, world, from Python!\n")

    def test_direct_invocation_reads_the_json_body(self):
        with fake_host():
            self.assertEqual(invoke(handle, {"name": "ada"}).text(), "Hello, ada, from Python!\n")

    def test_post_without_json_greets_the_world(self):
        with fake_host():
            self.assertEqual(invoke(handle, "not json").text(), "Hello, world, from Python!\n")
            self.assertEqual(invoke(handle, {"name": 7}).text(), "Hello, world, from Python!\n")


if __name__ == "__main__":
    unittest.main()
