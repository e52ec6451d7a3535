using System;
using Wasmlet;

public static class Function {
    public static Response Handle(Request req) {
        string name = req.QueryParam("name") ?? "world";
        if (name == "boom") throw new GuestError("boom requested");
        Host.Log(LogLevel.Info, "hello-dotnet called with name=" + name);
        string greeting = Host.GetConfig("greeting") ?? "Hello";
        Console.WriteLine("stdout from C#: " + req.Method + " " + req.Path);
        return Response.Text(greeting + ", " + name + ", from C# (.NET " + Environment.Version + ")!\n");
    }
}
