import unittest

from wasmlet import SendError, send, send_json
from wasmlet.testing import SentMessage, fake_host


class SendTest(unittest.TestCase):
    def test_str_body_dict_attributes_and_delay(self):
        with fake_host() as host:
            self.assertEqual(send("emails", "héllo", {"kind": "welcome"}, delay_ms=60_000), "msg-1")
            self.assertEqual(send("emails", bytearray(b"\x00")), "msg-2")
        self.assertEqual(
            host.sent,
            [
                SentMessage("emails", "héllo".encode(), [("kind", "welcome")], 60_000, "msg-1"),
                SentMessage("emails", b"\x00", [], 0, "msg-2"),
            ],
        )

    def test_send_json_adds_the_content_type_unless_given(self):
        with fake_host() as host:
            send_json("orders", {"id": 7, "name": "é"})
            send_json("orders", [], [("content-type", "application/vnd.x+json")])
        self.assertEqual(host.sent[0].json(), {"id": 7, "name": "é"})
        self.assertEqual(host.sent[0].attributes, [("content-type", "application/json")])
        self.assertEqual(host.sent[1].attributes, [("content-type", "application/vnd.x+json")])

    def test_a_refused_queue_raises_send_error_with_the_reason(self):
        with fake_host(publish=["emails"]) as host, self.assertRaises(SendError) as caught:
            send("orders", "x")
        self.assertIn('"orders"', caught.exception.reason)
        self.assertEqual(host.sent, [])

    def test_arguments_it_cannot_carry(self):
        with fake_host():
            for args, kwargs, error in (
                (("q", {"a": 1}), {}, TypeError),
                (("q", "x", [("a",)]), {}, TypeError),
                (("q", "x", {"a": 1}), {}, TypeError),
                (("q", "x"), {"delay_ms": -1}, ValueError),
                (("q", "x"), {"delay_ms": 2**32}, ValueError),
                (("q", "x"), {"delay_ms": True}, ValueError),
                ((None, "x"), {}, TypeError),
            ):
                with self.subTest(args=args, kwargs=kwargs), self.assertRaises(error):
                    send(*args, **kwargs)


if __name__ == "__main__":
    unittest.main()
