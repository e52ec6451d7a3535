import unittest

from greeting import greeting


class GreetingTest(unittest.TestCase):
    def test_greets_by_name(self):
        self.assertEqual(greeting("ada"), "Hello, ada, from Python!\n")

    def test_greets_the_world_without_a_name(self):
        self.assertEqual(greeting(""), "Hello, world, from Python!\n")


if __name__ == "__main__":
    unittest.main()
