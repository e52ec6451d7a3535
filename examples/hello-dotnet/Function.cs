// GET /hello/dotnet?name=ada -> "Hello, ada, from C#!"
// A direct invocation arrives as POST with a JSON body such as {"name":"ada"}.
using Wasmlet;

public static class Function {
    public static Response Handle(Request req) {
        string name = req.QueryParam("name");
        if (string.IsNullOrEmpty(name)) name = NameFromJson(req.BodyText);
        if (string.IsNullOrEmpty(name)) name = "world";
        string greeting = Host.GetConfig("greeting") ?? "Hello";   // [config] in wasmlet.toml
        Host.Info("greeted " + name);
        return Response.Text(greeting + ", " + name + ", from C#!\n");
    }

    /// The string value of "name" in a body such as {"name":"ada"}, or null: a tiny scan is enough
    /// for a greeting (escapes are kept as written), and the SDK's .NET Framework profile has no
    /// System.Text.Json to compile against.
    internal static string NameFromJson(string body) {
        int at = body.IndexOf("\"name\"", System.StringComparison.Ordinal);
        if (at < 0) return null;
        at = SkipSpace(body, at + 6);
        if (at >= body.Length || body[at] != ':') return null;
        at = SkipSpace(body, at + 1);
        if (at >= body.Length || body[at] != '"') return null;
        int end = body.IndexOf('"', at + 1);
        return end < 0 ? null : body.Substring(at + 1, end - at - 1);
    }

    static int SkipSpace(string s, int at) {
        while (at < s.Length && (s[at] == ' ' || s[at] == '\t' || s[at] == '\r' || s[at] == '\n')) at++;
        return at;
    }
}
