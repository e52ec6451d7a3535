import unittest

from wasmlet import Fail, Message, Ok, Retry


class MessageTest(unittest.TestCase):
    def test_attributes(self):
        m = Message(id="1", body=b"", attributes=[("k", "a"), ("K", "b"), ("k", "c")])
        self.assertEqual(m.attribute("k"), "a")
        self.assertEqual(m.attribute("K"), "b")  # case-sensitive, unlike HTTP headers
        self.assertIsNone(m.attribute("missing"))
        self.assertEqual(m.attribute("missing", "d"), "d")
        self.assertEqual(m.attribute_values("k"), ["a", "c"])

    def test_body(self):
        self.assertEqual(Message(id="1", body="é".encode() + b"\xff").text(), "é\ufffd")
        self.assertEqual(Message(id="1", body=b'{"n": 1}').json(), {"n": 1})
        with self.assertRaisesRegex(ValueError, "message 7 body is not valid JSON"):
            Message(id="7", body=b"nope").json()
        self.assertIsNone(Message(id="1", body=b"").json(default=None))


class ResultTest(unittest.TestCase):
    def test_equality_and_repr(self):
        self.assertEqual(Retry(5), Retry(5))
        self.assertNotEqual(Retry(5), Retry())
        self.assertNotEqual(Ok(), Retry())
        self.assertEqual(Fail("x"), Fail("x"))
        self.assertEqual(len({Ok(), Ok(), Retry(), Retry(None)}), 2)
        self.assertEqual(repr(Retry(5)), "Retry(5)")
        self.assertEqual(repr(Fail("x")), "Fail('x')")
        self.assertEqual(repr(Ok()), "Ok()")

    def test_checked_fields(self):
        for delay in (-1, 2**32, True, 1.5, "5"):
            with self.subTest(delay=delay), self.assertRaises(ValueError):
                Retry(delay)
        self.assertEqual(Retry(0).delay_ms, 0)
        self.assertEqual(Retry(2**32 - 1).delay_ms, 2**32 - 1)
        with self.assertRaises(TypeError):
            Fail(None)


if __name__ == "__main__":
    unittest.main()
