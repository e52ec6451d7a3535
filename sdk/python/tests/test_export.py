import sys
import types
import unittest
from dataclasses import dataclass

from wasmlet import Fail, GuestError, Ok, Request, Retry, text
from wasmlet.bindings import Bindings
from wasmlet.export import export_handlers, message_result_record
from wasmlet.testing import RequestRecord, fake_host


def _module(**handlers):
    module = types.ModuleType("handler")
    for name, fn in handlers.items():
        setattr(module, name, fn)
    return module


class FakeErr(Exception):
    """Shaped like componentize_py_types.Err."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


@dataclass
class HttpResponse:
    status: int
    headers: list
    body: bytes


@dataclass
class MessageResult_Ok:
    pass


@dataclass
class MessageResult_Retry:
    value: object


@dataclass
class MessageResult_Fail:
    value: str


@dataclass
class MessageRecord:
    """Shaped like the generated queue_handler.Message."""

    id: str
    body: bytes
    attempt: int
    enqueued_at: int
    attributes: list


@dataclass
class ScheduleEventRecord:
    name: str
    scheduled_at: int


#: Stand-ins for the generated bindings: the classes export_handlers builds use them as they would
#: componentize-py's.
BINDINGS = Bindings(
    Err=FakeErr,
    http_handler=types.SimpleNamespace(HttpResponse=HttpResponse),
    queue_handler=types.SimpleNamespace(
        MessageResult_Ok=MessageResult_Ok, MessageResult_Retry=MessageResult_Retry, MessageResult_Fail=MessageResult_Fail
    ),
)


class ExportHandlersTest(unittest.TestCase):
    def test_one_class_per_interface_named_as_componentize_py_expects(self):
        module = _module(handle=lambda r: "x", handle_batch=lambda q, ms: [], handle_schedule=lambda e: None)
        classes = export_handlers(module, ["http-handler", "queue-handler", "schedule-handler"], bindings=BINDINGS)
        self.assertEqual(list(classes), ["HttpHandler", "QueueHandler", "ScheduleHandler"])

    def test_the_http_class_calls_handle_with_a_request(self):
        seen = []

        def handle(request):
            seen.append(request)
            return text(200, "ok")

        handler = export_handlers(_module(handle=handle), ["http-handler"], bindings=BINDINGS)["HttpHandler"]()
        out = handler.handle(RequestRecord("GET", "/p", "a=1", [("host", "h")], b"body"))
        self.assertEqual(out, HttpResponse(200, [("content-type", "text/plain; charset=utf-8")], b"ok"))
        self.assertEqual(seen, [Request("GET", "/p", "a=1", [("host", "h")], b"body")])

    def test_a_guest_error_becomes_the_bindings_err(self):
        def handle(request):
            raise KeyError("nope")

        handler = export_handlers(_module(handle=handle), ["http-handler"], bindings=BINDINGS)["HttpHandler"]()
        with fake_host(), self.assertRaises(FakeErr) as caught:
            handler.handle(RequestRecord("GET", "/", "", [], b""))
        self.assertEqual(caught.exception.value, "KeyError: 'nope'")

    def test_the_queue_class_returns_the_generated_variant_cases(self):
        def handle_message(message):
            return {"a": None, "b": Retry(5), "c": Fail("bad")}[message.text()]

        handler = export_handlers(_module(handle_message=handle_message), ["queue-handler"], bindings=BINDINGS)
        records = [MessageRecord(str(i), body, 1, 0, []) for i, body in enumerate([b"a", b"b", b"c"])]
        self.assertEqual(
            handler["QueueHandler"]().handle("jobs", records),
            [MessageResult_Ok(), MessageResult_Retry(5), MessageResult_Fail("bad")],
        )

    def test_a_queue_err_is_the_bindings_err(self):
        def handle_message(message):
            raise GuestError("database down")

        handler = export_handlers(_module(handle_message=handle_message), ["queue-handler"], bindings=BINDINGS)
        with self.assertRaises(FakeErr) as caught:
            handler["QueueHandler"]().handle("jobs", [MessageRecord("1", b"", 1, 0, [])])
        self.assertEqual(caught.exception.value, "database down")

    def test_the_schedule_class_returns_none_or_raises_err(self):
        ticks = []

        def handle_schedule(event):
            ticks.append(event)
            if event.name == "failing":
                raise RuntimeError("no")

        handler = export_handlers(_module(handle_schedule=handle_schedule), ["schedule-handler"], bindings=BINDINGS)
        instance = handler["ScheduleHandler"]()
        self.assertIsNone(instance.handle(ScheduleEventRecord("nightly", 7)))
        with fake_host(), self.assertRaises(FakeErr) as caught:
            instance.handle(ScheduleEventRecord("failing", 8))
        self.assertEqual(caught.exception.value, "RuntimeError: no")
        self.assertEqual([(t.name, t.scheduled_at) for t in ticks], [("nightly", 7), ("failing", 8)])

    def test_message_result_records(self):
        types_ = BINDINGS.queue_handler
        self.assertEqual(message_result_record(Ok(), types_), MessageResult_Ok())
        self.assertEqual(message_result_record(Retry(), types_), MessageResult_Retry(None))
        self.assertEqual(message_result_record(Retry(0), types_), MessageResult_Retry(0))
        self.assertEqual(message_result_record(Fail("why"), types_), MessageResult_Fail("why"))


class BuildTimeChecksTest(unittest.TestCase):
    """What fails the build (componentize-py shows the message), rather than the first invocation."""

    def test_a_module_without_handlers(self):
        with self.assertRaisesRegex(TypeError, "defines no handler.*`def handle"):
            export_handlers(types.ModuleType("handler"), ["http-handler"])

    def test_handlers_the_world_does_not_export(self):
        module = _module(handle=lambda r: "x", handle_schedule=lambda e: None)
        with self.assertRaisesRegex(TypeError, "implements http-handler, schedule-handler, but the build picked .* http-handler"):
            export_handlers(module, ["http-handler"])

    def test_a_handler_that_is_not_callable(self):
        with self.assertRaisesRegex(TypeError, "handler.handle_schedule must be a function"):
            export_handlers(_module(handle_schedule="nightly"), ["schedule-handler"])

    def test_both_queue_forms(self):
        module = _module(handle_message=lambda m: None, handle_batch=lambda q, ms: [])
        with self.assertRaisesRegex(TypeError, "not both"):
            export_handlers(module, ["queue-handler"])

    def test_stdio_must_be_known(self):
        with self.assertRaises(ValueError):
            export_handlers(_module(handle=lambda r: "x"), ["http-handler"], stdio="files")

    def test_stdio_log_redirects_print_and_flushes_after_each_call(self):
        saved = sys.stdout, sys.stderr
        try:
            module = _module(handle=lambda r: (print("partial", end=""), "ok")[1])
            handler = export_handlers(module, ["http-handler"], stdio="log", bindings=BINDINGS)["HttpHandler"]()
            with fake_host() as host:
                handler.handle(RequestRecord("GET", "/", "", [], b""))
            self.assertEqual(host.logs, [("info", "partial")])
        finally:
            sys.stdout, sys.stderr = saved


if __name__ == "__main__":
    unittest.main()
