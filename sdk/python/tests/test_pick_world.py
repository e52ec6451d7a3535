"""toolchains/python/pick_world.py: the world a build picks from handler.py's source."""
import importlib.util
import sys
import unittest
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[3] / "toolchains" / "python" / "pick_world.py"
_spec = importlib.util.spec_from_file_location("pick_world", _SCRIPT)
pick_world = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = pick_world
_spec.loader.exec_module(pick_world)


class PickWorldTest(unittest.TestCase):
    def test_named_worlds(self):
        self.assertEqual(pick_world.pick_world("def handle(request): ..."), ["http-function", "http-handler"])
        self.assertEqual(pick_world.pick_world("def handle_message(m): ..."), ["queue-function", "queue-handler"])
        self.assertEqual(pick_world.pick_world("def handle_batch(q, ms): ..."), ["queue-function", "queue-handler"])
        self.assertEqual(pick_world.pick_world("def handle_schedule(e): ..."), ["schedule-function", "schedule-handler"])
        every = "def handle(r): ...\ndef handle_message(m): ...\ndef handle_schedule(e): ..."
        self.assertEqual(
            pick_world.pick_world(every), ["function", "http-handler", "queue-handler", "schedule-handler"]
        )

    def test_other_combinations_get_the_generated_world(self):
        self.assertEqual(
            pick_world.pick_world("def handle_schedule(e): ...\ndef handle(r): ..."),
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


if __name__ == "__main__":
    unittest.main()
