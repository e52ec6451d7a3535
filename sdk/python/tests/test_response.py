import unittest

from wasmlet import Response, html, json, response, text
from wasmlet.response import to_record_fields


class BuildersTest(unittest.TestCase):
    def test_text(self):
        self.assertEqual(
            to_record_fields(text(200, "héllo")),
            (200, [("content-type", "text/plain; charset=utf-8")], "héllo".encode()),
        )

    def test_html_keeps_extra_headers(self):
        status, headers, _ = to_record_fields(html(201, "<p>", {"X-Id": "7"}))
        self.assertEqual(status, 201)
        self.assertEqual(headers, [("content-type", "text/html; charset=utf-8"), ("x-id", "7")])

    def test_json_adds_a_newline_and_keeps_unicode(self):
        self.assertEqual(to_record_fields(json(200, {"a": "é"}))[2], '{"a": "é"}\n'.encode())

    def test_json_content_type_can_be_overridden(self):
        _, headers, _ = to_record_fields(json(200, [], [("Content-Type", "application/problem+json")]))
        self.assertEqual(headers, [("content-type", "application/problem+json")])

    def test_json_refuses_what_it_cannot_serialize(self):
        with self.assertRaises(TypeError):
            json(200, object())

    def test_response_adds_no_content_type(self):
        self.assertEqual(to_record_fields(response(204)), (204, [], b""))
        self.assertEqual(to_record_fields(response(200, bytearray(b"\x00\x01"))), (200, [], b"\x00\x01"))


class CheckTest(unittest.TestCase):
    def test_a_bare_string_is_200_text(self):
        self.assertEqual(to_record_fields("hi")[0:3:2], (200, b"hi"))

    def test_plain_response_with_dict_headers_and_no_body(self):
        self.assertEqual(to_record_fields(Response(302, {"Location": "/x"}, None)), (302, [("location", "/x")], b""))

    def test_wrong_return_type(self):
        with self.assertRaisesRegex(TypeError, "must return a Response"):
            to_record_fields({"status": 200})
        with self.assertRaisesRegex(TypeError, "must return a Response"):
            to_record_fields(None)

    def test_status_range(self):
        for status in (99, 101, 600, True, 200.0, "200"):
            with self.subTest(status=status), self.assertRaisesRegex(ValueError, "200-599"):
                to_record_fields(Response(status))

    def test_bad_headers(self):
        for headers in (["x"], [("a",)], [("", "v")], [(1, "v")], [("a", None)], [("a", b"v")]):
            with self.subTest(headers=headers), self.assertRaises(TypeError):
                to_record_fields(Response(200, headers))

    def test_bad_body(self):
        with self.assertRaisesRegex(TypeError, "use json"):
            to_record_fields(Response(200, [], {"a": 1}))


if __name__ == "__main__":
    unittest.main()
