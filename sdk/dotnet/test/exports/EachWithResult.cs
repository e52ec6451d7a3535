// A per-message handler that returns its result (test/run.sh compiles it with exports/QueueEachExport.cs).
using Wasmlet;

public static class Function {
    public static MessageResult HandleMessage(Message message) { return MessageResult.Ok; }
}
