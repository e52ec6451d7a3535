// A Function with every handler, in the shapes the exports accept (test/run.sh compiles it with
// sdk/dotnet/exports/: the signatures must keep compiling).
using System.Collections.Generic;
using Wasmlet;

public static class Function {
    public static Response Handle(Request req) { return Response.Text("ok"); }
    public static MessageResult[] HandleQueue(string queue, IReadOnlyList<Message> messages) { return new MessageResult[messages.Count]; }
    public static void HandleSchedule(ScheduleEvent e) { }
}
