// Unit tests of Function.Handle, run natively with Mono by test.sh (outside the component,
// Host.Info writes to stderr and Host.GetConfig finds nothing, so "Hello" is the default).
using System;
using System.Collections.Generic;
using System.Text;
using Wasmlet;

static class FunctionTest {
    static int passed, failed;

    static void Greets(string what, Request req, string expected) {
        Response res = Function.Handle(req);
        string body = Encoding.UTF8.GetString(res.Body);
        bool ok = res.Status == 200 && body == expected && res.Headers.Count == 1
            && res.Headers[0].Key == "content-type" && res.Headers[0].Value == "text/plain; charset=utf-8";
        if (ok) passed++;
        else { failed++; Console.WriteLine("FAIL " + what + ": got " + res.Status + " \"" + body + "\", want 200 \"" + expected + "\""); }
    }

    static Request Post(string body, string query = "") {
        return new Request { Method = "POST", Query = query, Body = Encoding.UTF8.GetBytes(body) };
    }

    static int Main() {
        Console.SetError(System.IO.TextWriter.Null);   // Host.Info's native stand-in
        Greets("query", new Request { Query = "name=Ada+L" }, "Hello, Ada L, from C#!\n");
        Greets("direct invocation", Post("{ \"name\" : \"ada\" }"), "Hello, ada, from C#!\n");
        Greets("query wins over body", Post("{\"name\":\"b\"}", "name=q"), "Hello, q, from C#!\n");
        Greets("default", new Request(), "Hello, world, from C#!\n");
        Greets("empty name", new Request { Query = "name=" }, "Hello, world, from C#!\n");
        Greets("empty JSON name", Post("{\"name\":\"\"}"), "Hello, world, from C#!\n");
        Greets("not JSON", Post("name"), "Hello, world, from C#!\n");
        Greets("name not a string", Post("{\"name\":7}"), "Hello, world, from C#!\n");
        Greets("unterminated", Post("{\"name\":\"ada"), "Hello, world, from C#!\n");
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
