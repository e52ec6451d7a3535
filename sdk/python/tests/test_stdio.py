import unittest

from wasmlet.stdio import LogStream
from wasmlet.testing import fake_host


class LogStreamTest(unittest.TestCase):
    def test_one_log_line_per_line(self):
        stream = LogStream("info")
        with fake_host() as host:
            print("a", 1, file=stream)
            stream.write("b\nc")
            stream.write("d")
            stream.flush()
        self.assertEqual(host.logs, [("info", "a 1"), ("info", "b"), ("info", "cd")])


if __name__ == "__main__":
    unittest.main()
