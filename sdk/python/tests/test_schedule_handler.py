import unittest
from datetime import datetime, timezone

from wasmlet import GuestError, ScheduleEvent
from wasmlet.testing import fake_host, run_schedule


class ScheduleTest(unittest.TestCase):
    def test_the_handler_gets_the_event(self):
        seen = []
        run_schedule(seen.append, "nightly", 1700000000123)
        self.assertEqual(seen, [ScheduleEvent("nightly", 1700000000123)])
        self.assertEqual(seen[0].scheduled_time(), datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=timezone.utc))

    def test_an_exception_is_err(self):
        def handle_schedule(event):
            raise RuntimeError(f"{event.name} failed")

        with fake_host() as host, self.assertRaises(GuestError) as caught:
            run_schedule(handle_schedule, "nightly")
        self.assertEqual(caught.exception.value, "RuntimeError: nightly failed")
        self.assertIn(", in handle_schedule", host.logs[0][1])

    def test_a_guest_error_keeps_its_message(self):
        def handle_schedule(event):
            raise GuestError("failing schedule")

        with self.assertRaises(GuestError) as caught:
            run_schedule(handle_schedule, "failing")
        self.assertEqual(caught.exception.value, "failing schedule")

    def test_returning_something_is_err(self):
        with fake_host(), self.assertRaisesRegex(GuestError, r"must return None \(raise to fail\), got a str"):
            run_schedule(lambda event: "done")


if __name__ == "__main__":
    unittest.main()
