import types
import unittest

from wasmlet import Fail, GuestError, Message, Ok, Retry, send
from wasmlet.testing import deliver, fake_host


def _module(**handlers):
    return types.SimpleNamespace(**handlers)


class HandleMessageTest(unittest.TestCase):
    def test_return_values_and_raised_results(self):
        def handle_message(message):
            body = message.text()
            if body == "ok":
                return None
            if body == "explicit-ok":
                return Ok()
            if body == "retry":
                return Retry(10)
            if body == "raise-retry":
                raise Retry()
            if body == "raise-fail":
                raise Fail("nope")
            return Fail(body)

        results = deliver(_module(handle_message=handle_message), ["ok", "explicit-ok", "retry", "raise-retry", "raise-fail", "x"])
        self.assertEqual(results, [Ok(), Ok(), Retry(10), Retry(), Fail("nope"), Fail("x")])

    def test_messages_carry_their_queue_and_record_fields(self):
        seen = []
        message = Message(id="m9", body=b"b", attempt=3, enqueued_at=1700000000123, attributes=[("k", "v")])
        deliver(_module(handle_message=seen.append), [message, "second"], queue="jobs")
        self.assertEqual(seen[0], Message("m9", b"b", 3, 1700000000123, [("k", "v")], "jobs"))
        self.assertEqual((seen[1].id, seen[1].body, seen[1].attempt, seen[1].queue), ("2", b"second", 1, "jobs"))

    def test_an_unexpected_exception_retries_that_message_only(self):
        def handle_message(message):
            if message.text() == "bad":
                raise KeyError("missing")

        with fake_host() as host:
            self.assertEqual(deliver(_module(handle_message=handle_message), ["good", "bad", "good"]), [Ok(), Retry(), Ok()])
        [(level, line)] = host.logs
        self.assertEqual(level, "error")
        self.assertTrue(line.startswith("message 2: retrying after KeyError: 'missing'\nTraceback"), line)
        self.assertIn(", in handle_message", line)

    def test_a_wrong_return_value_retries_too(self):
        with fake_host() as host:
            self.assertEqual(deliver(_module(handle_message=lambda m: "done"), ["a"]), [Retry()])
        self.assertIn("handle_message must be Ok(), Retry(), Fail(reason) or None, got 'done'", host.logs[0][1])

    def test_a_guest_error_is_err_for_the_whole_batch(self):
        def handle_message(message):
            send("out", message.body)
            if message.text() == "stop":
                raise GuestError("database down")

        with fake_host() as host, self.assertRaises(GuestError) as caught:
            deliver(_module(handle_message=handle_message), ["a", "stop", "never"])
        self.assertEqual(caught.exception.value, "database down")
        self.assertEqual([m.body for m in host.sent], [b"a", b"stop"])  # the host drops them on err

    def test_system_exit_escapes(self):
        def handle_message(message):
            raise SystemExit("trap")

        with self.assertRaises(SystemExit):
            deliver(_module(handle_message=handle_message), ["a"])


class HandleBatchTest(unittest.TestCase):
    def test_one_result_per_message_none_meaning_ok(self):
        def handle_batch(queue, messages):
            return [None if m.text() == "ok" else Fail(f"{queue}:{m.id}") for m in messages]

        self.assertEqual(deliver(_module(handle_batch=handle_batch), ["ok", "no"], queue="q"), [Ok(), Fail("q:2")])

    def test_a_tuple_is_fine_too(self):
        self.assertEqual(deliver(_module(handle_batch=lambda q, ms: (Ok(),)), ["a"]), [Ok()])

    def test_a_raised_result_applies_to_every_message(self):
        def handle_batch(queue, messages):
            raise Retry(1000)

        self.assertEqual(deliver(_module(handle_batch=handle_batch), ["a", "b"]), [Retry(1000), Retry(1000)])

    def test_an_exception_is_err(self):
        def handle_batch(queue, messages):
            raise ValueError("boom")

        with fake_host() as host, self.assertRaises(GuestError) as caught:
            deliver(_module(handle_batch=handle_batch), ["a"])
        self.assertEqual(caught.exception.value, "ValueError: boom")
        self.assertIn(", in handle_batch", host.logs[0][1])

    def test_wrong_results_are_err(self):
        for returned, expected in (
            ([Ok()], "list of 2 results .* got a list of 1"),
            (None, "list of 2 results .* got None"),
            ([Ok(), "ok"], "result #1 must be Ok"),
            ({"a": Ok()}, "got a dict"),
        ):
            with self.subTest(returned=returned), fake_host(), self.assertRaisesRegex(GuestError, expected):
                deliver(_module(handle_batch=lambda q, ms, r=returned: r), ["a", "b"])

    def test_an_empty_batch(self):
        self.assertEqual(deliver(_module(handle_batch=lambda q, ms: []), []), [])
        self.assertEqual(deliver(_module(handle_message=lambda m: None), []), [])


if __name__ == "__main__":
    unittest.main()
