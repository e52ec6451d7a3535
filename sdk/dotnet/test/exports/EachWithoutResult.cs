// A per-message handler that returns nothing (test/run.sh compiles it with exports/QueueEachExport.cs).
using Wasmlet;

public static class Function {
    public static void HandleMessage(Message message) { }
}
