// Unit tests, run natively with Mono by test.sh. Outside the component the SDK's Host.Info writes
// "[info] …" to stderr and Host.GetConfig finds no key, so Function.Handle runs as it is.
using System;
using System.Text;
using Wasmlet;

static class GreetingTest {
    static int passed, failed;

    static void Equal(string what, string expected, string actual) {
        if (expected == actual) { passed++; return; }
        failed++;
        Console.WriteLine("FAIL " + what + ": expected \"" + expected + "\", got \"" + actual + "\"");
    }

    static int Main() {
        Equal("greeting ada", "Hello, ada, from C#!\n", Greeting.For("ada"));
        Equal("greeting nobody", "Hello, world, from C#!\n", Greeting.For(""));
        Equal("greeting null", "Hello, world, from C#!\n", Greeting.For(null));

        Response res = Function.Handle(new Request { Method = "GET", Query = "name=Ada+L" });
        Equal("handle status", "200", res.Status.ToString());
        Equal("handle body", "Hello, Ada L, from C#!\n", Encoding.UTF8.GetString(res.Body));
        Equal("handle content-type", "text/plain; charset=utf-8", res.Headers[0].Value);

        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
