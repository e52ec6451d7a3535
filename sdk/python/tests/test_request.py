import unittest

from wasmlet import Request


class QueryTest(unittest.TestCase):
    def test_first_value_and_all_values(self):
        r = Request(query="name=ada&tag=a&tag=b")
        self.assertEqual(r.query_param("name"), "ada")
        self.assertEqual(r.query_param("tag"), "a")
        self.assertEqual(r.query_params(), {"name": ["ada"], "tag": ["a", "b"]})

    def test_absent_is_default_and_blank_is_empty(self):
        r = Request(query="flag&empty=")
        self.assertIsNone(r.query_param("missing"))
        self.assertEqual(r.query_param("missing", "x"), "x")
        self.assertEqual(r.query_param("flag"), "")
        self.assertEqual(r.query_param("empty"), "")

    def test_form_decoding(self):
        r = Request(query="q=a+b%20c&caf%C3%A9=%E2%9C%93&bad=%zz")
        self.assertEqual(r.query_param("q"), "a b c")
        self.assertEqual(r.query_param("café"), "✓")
        self.assertEqual(r.query_param("bad"), "%zz")

    def test_empty_query(self):
        self.assertEqual(Request().query_params(), {})


class HeaderTest(unittest.TestCase):
    def test_case_insensitive_and_repeated(self):
        r = Request(headers=[("accept", "a"), ("x-tag", "1"), ("X-Tag", "2")])
        self.assertEqual(r.header("Accept"), "a")
        self.assertEqual(r.header_values("x-tag"), ["1", "2"])
        self.assertIsNone(r.header("missing"))
        self.assertEqual(r.header("missing", "d"), "d")

    def test_direct_invocation(self):
        self.assertTrue(Request(method="POST", headers=[("x-wasmlet-invocation", "direct")]).is_direct_invocation)
        self.assertFalse(Request().is_direct_invocation)


class BodyTest(unittest.TestCase):
    def test_text_replaces_invalid_utf8(self):
        self.assertEqual(Request(body="é".encode() + b"\xff").text(), "é\ufffd")

    def test_json(self):
        self.assertEqual(Request(body=b'{"name": "ada"}').json(), {"name": "ada"})

    def test_invalid_json_raises_unless_default(self):
        with self.assertRaisesRegex(ValueError, "request body is not valid JSON"):
            Request(body=b"nope").json()
        with self.assertRaises(ValueError):
            Request().json()
        self.assertEqual(Request(body=b"nope").json(default={}), {})
        self.assertIsNone(Request().json(default=None))


if __name__ == "__main__":
    unittest.main()
