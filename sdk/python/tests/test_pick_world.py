"""toolchains/python/pick_world.py: the world a build picks from handler.py's source."""
import importlib.util
import shutil
import sys
import tempfile
import unittest
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[3] / "toolchains" / "python" / "pick_world.py"
_spec = importlib.util.spec_from_file_location("pick_world", _SCRIPT)
pick_world = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = pick_world
_spec.loader.exec_module(pick_world)


class PickWorldTest(unittest.TestCase):
    def test_always_a_generated_world_with_exactly_what_the_function_uses(self):
        # The named worlds import every gated interface (outbound-http, objects), which the host
        # refuses without their grants, so no function is built against them.
        def picked(source):
            return pick_world.pick_world(source, outbound_http=True)

        self.assertEqual(picked("def handle(request): ..."), ["generated-function", "http-handler"])
        self.assertEqual(picked("def handle_message(m): ..."), ["generated-function", "queue-handler"])
        every = "def handle(r): ...\ndef handle_message(m): ...\ndef handle_schedule(e): ..."
        self.assertEqual(picked(every), ["generated-function", "http-handler", "queue-handler", "schedule-handler"])
        self.assertEqual(pick_world.world_imports(True), ["host", "publisher", "outbound-http"])

    def test_a_function_that_does_not_send_gets_the_generated_world_without_outbound_http(self):
        self.assertEqual(pick_world.pick_world("def handle(request): ..."), ["generated-function", "http-handler"])
        self.assertEqual(pick_world.world_imports(False), ["host", "publisher"])

    def test_other_combinations_get_the_generated_world(self):
        for outbound_http in (False, True):
            self.assertEqual(
                pick_world.pick_world("def handle_schedule(e): ...\ndef handle(r): ...", outbound_http),
                ["generated-function", "http-handler", "schedule-handler"],
            )

    def test_no_handler(self):
        self.assertEqual(pick_world.pick_world("def handler(r): ...\nhandle_later = 1"), [])

    def test_every_way_of_binding_a_name_at_the_top_level(self):
        source = """
import os, jobs.handle_batch
from jobs import handle_message as handle_message
from web import (
    handle,
)
async def unused(): ...
class Thing: ...
handle_schedule: object = jobs.tick
if os.environ:
    x = 1
try:
    y = 2
except ImportError:
    z = 3
"""
        self.assertEqual(
            pick_world.top_level_names(source) & {"handle", "handle_message", "handle_batch", "handle_schedule", "jobs", "x", "z"},
            {"handle", "handle_message", "handle_schedule", "jobs", "x", "z"},
        )

    def test_names_inside_functions_and_classes_do_not_count(self):
        source = "def outer():\n    def handle(r): ...\nclass C:\n    def handle_schedule(self, e): ..."
        self.assertEqual(pick_world.pick_world(source), [])

    def test_syntax_newer_than_this_python_falls_back_to_a_line_scan(self):
        source = "type Id = str\nfrom jobs import handle_batch\ndef handle(r): ...\nhandle_schedule = 1\n"
        self.assertEqual(pick_world.top_level_names(source + "def (:"), {"handle", "handle_batch", "handle_schedule"})


class UsesOutboundHttpTest(unittest.TestCase):
    """uses_outbound_http: handler.py and the modules of its folder it imports, read, never run."""

    def folder(self, files):
        root = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, root)
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        return root / "handler.py"

    def uses(self, files):
        return pick_world.uses_outbound_http(self.folder(files))

    def test_every_way_of_reaching_wasmlet_http(self):
        for source in (
            "from wasmlet import Request, http\n",
            "from wasmlet import (\n    text,\n    http as outbound,\n)\n",
            "import wasmlet.http\n",
            "from wasmlet.http import request\n",
            "from wasmlet import *\n",
            "import wasmlet as w\ndef handle(r):\n    return w.http.urlopen('http://x/')\n",
            "def handle(r):\n    from wasmlet import http\n",
            "import importlib\nmod = importlib.import_module('wasmlet.http')\n",
        ):
            with self.subTest(source=source):
                self.assertTrue(self.uses({"handler.py": source}))

    def test_the_rest_of_the_sdk_is_not_outbound_http(self):
        for source in (
            "from wasmlet import HttpError, Request, send, text\n",
            "import wasmlet\ndef handle(r):\n    return wasmlet.text(200, 'http')\n",
            "import http.client\nfrom http import HTTPStatus\n",  # the standard library's http
            "# from wasmlet import http\nx = 'wasmlet http'\n",
        ):
            with self.subTest(source=source):
                self.assertFalse(self.uses({"handler.py": source}))

    def test_modules_of_the_folder_are_followed(self):
        relay = "from wasmlet import http\n"
        self.assertTrue(self.uses({"handler.py": "from relay import forward\n", "relay.py": relay}))
        self.assertTrue(self.uses({"handler.py": "import app.relay\n", "app/__init__.py": "", "app/relay.py": relay}))
        self.assertTrue(self.uses({"handler.py": "from app import relay\n", "app/__init__.py": "", "app/relay.py": relay}))
        self.assertTrue(
            self.uses({"handler.py": "from app import main\n", "app/__init__.py": "", "app/main.py": "from . import relay\n", "app/relay.py": relay})
        )
        # A cycle ends; a module nothing imports (a test, say) does not count.
        self.assertFalse(self.uses({"handler.py": "import a\n", "a.py": "import handler\n", "test_handler.py": relay}))

    def test_syntax_newer_than_this_python_falls_back_to_a_text_scan(self):
        newer = "type Id = str\ndef (:\n"
        self.assertTrue(self.uses({"handler.py": newer + "from wasmlet import text, http\n"}))
        self.assertTrue(self.uses({"handler.py": newer + "from wasmlet import *\n"}))
        self.assertFalse(self.uses({"handler.py": newer + "from wasmlet import text\n"}))


if __name__ == "__main__":
    unittest.main()
