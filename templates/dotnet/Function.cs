// GET /<route>?name=ada -> "Hello, ada, from C#!"
using Wasmlet;

// The entry point the SDK calls: a public static class Function with this exact Handle.
public static class Function {
    // Every request runs on a fresh instance. Throwing GuestError("why") (or any exception) is a
    // guest error: the host answers 500 and logs the message.
    public static Response Handle(Request req) {
        Host.Info("greeted someone");
        return Response.Text(Greeting.For(req.QueryParam("name")));
    }
}
