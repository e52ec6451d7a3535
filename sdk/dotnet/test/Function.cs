// The `Function` class Abi.Handle names; Abi.Invoke takes the handler as an argument, so tests pass their own.
using Wasmlet;

public static class Function {
    public static Response Handle(Request req) { return Response.Text("unused in tests\n"); }
}
