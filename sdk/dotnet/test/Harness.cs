// A tiny test runner (no NUnit on this machine): runs every [Test] method, prints one line per
// failure and the total "N passed, N failed" last; the exit status is 1 on any failure.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace Wasmlet.Tests {
    [AttributeUsage(AttributeTargets.Method)]
    sealed class TestAttribute : Attribute { }

    sealed class AssertionFailed : Exception { public AssertionFailed(string message) : base(message) { } }

    static class Check {
        public static void Equal<T>(T expected, T actual, string what = "") {
            if (!EqualityComparer<T>.Default.Equals(expected, actual)) throw new AssertionFailed(what + " expected " + Show(expected) + ", got " + Show(actual));
        }
        public static void Bytes(byte[] expected, byte[] actual, string what = "") {
            if (!expected.SequenceEqual(actual)) throw new AssertionFailed(what + " expected [" + string.Join(" ", expected) + "], got [" + string.Join(" ", actual) + "]");
        }
        public static void True(bool condition, string what) { if (!condition) throw new AssertionFailed(what); }
        static string Show(object value) { return value == null ? "null" : value is string ? "\"" + value + "\"" : value.ToString(); }
    }

    static class Runner {
        static int Main() {
            int passed = 0, failed = 0;
            var tests = typeof(Runner).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                .Where(m => m.GetCustomAttributes(typeof(TestAttribute), false).Length > 0)
                .OrderBy(m => m.DeclaringType.Name + "." + m.Name);
            foreach (var test in tests) {
                string name = test.DeclaringType.Name + "." + test.Name;
                try {
                    test.Invoke(null, null);
                    passed++;
                } catch (TargetInvocationException e) {
                    failed++;
                    var inner = e.InnerException;
                    Console.WriteLine("FAIL " + name + ": " + (inner is AssertionFailed ? inner.Message : inner.ToString()));
                }
                Abi.live.Clear();   // a failed test may leave its result unreleased: do not let it fail the next

            }
            Console.WriteLine(passed + " passed, " + failed + " failed");
            return failed == 0 ? 0 : 1;
        }
    }
}
