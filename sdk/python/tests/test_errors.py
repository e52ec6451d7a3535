import os
import unittest

from wasmlet.errors import describe_exception, format_traceback


def _raise_in_here():
    raise ValueError("deep")


class FormatTracebackTest(unittest.TestCase):
    def test_chained_exceptions_are_printed_oldest_first(self):
        try:
            try:
                raise KeyError("inner")
            except KeyError as inner:
                raise RuntimeError("outer") from inner
        except RuntimeError as err:
            text_ = format_traceback(err)
        self.assertLess(text_.index("KeyError: 'inner'"), text_.index("direct cause"))
        self.assertLess(text_.index("direct cause"), text_.index("RuntimeError: outer"))

    def test_implicit_context_and_suppression(self):
        try:
            try:
                raise KeyError("first")
            except KeyError:
                raise ValueError("second")
        except ValueError as err:
            self.assertIn("During handling of the above exception", format_traceback(err))
            err.__suppress_context__ = True
            self.assertNotIn("first", format_traceback(err))

    def test_leading_frames_of_a_folder_are_left_out(self):
        try:
            _raise_in_here()
        except ValueError as err:
            here = os.path.dirname(os.path.abspath(__file__)) + os.sep
            self.assertIn("in _raise_in_here", format_traceback(err))
            self.assertEqual(format_traceback(err, skip_leading_in=here), "ValueError: deep")

    def test_describe(self):
        self.assertEqual(describe_exception(KeyError("k")), "KeyError: 'k'")
        self.assertEqual(describe_exception(RuntimeError()), "RuntimeError")


if __name__ == "__main__":
    unittest.main()
