// The .NET probe guest: defines all three handlers and behaves as the cross-language end-to-end
// script expects (HTTP sends on ?send=<queue> and relays a GET of ?outbound=<url>; queue messages
// say what to do with themselves; the "failing" schedule fails).
using System;
using System.Collections.Generic;
using System.Globalization;
using Wasmlet;

public static class Function {
    /// <summary>Receives what the probe did, for the test to read back.</summary>
    const string OutQueue = "probe-out";

    /// <summary>
    /// GETs ?outbound=<url> (200 "status=… body=…", 502 "error=<code> <message>"), sends the body to
    /// the queue named by ?send=, or says which probe this is.
    /// </summary>
    public static Response Handle(Request req) {
        string outbound = req.QueryParam("outbound");
        if (outbound != null) return Relay(outbound);
        string target = req.QueryParam("send");
        if (target == null) return Response.Text("probe dotnet");
        try {
            string id = Publisher.Send(target, req.Body, new Dictionary<string, string> { { "from", "http" } });
            return Response.Text(id, 202);
        } catch (SendError refused) {
            return Response.Text(refused.Reason, 400);
        }
    }

    static Response Relay(string url) {
        try {
            HttpResponse res = Http.Get(url, new Dictionary<string, string> { { "x-probe", "dotnet" } });
            return Response.Text("status=" + res.Status.ToString(CultureInfo.InvariantCulture) + " body=" + res.BodyText);
        } catch (HttpException failed) {
            return Response.Text("error=" + failed.CodeName + " " + failed.Reason, 502);
        }
    }

    /// <summary>Settles the batch-wide commands first, so that nothing is sent for a batch that fails or traps.</summary>
    public static List<MessageResult> HandleQueue(string queue, List<Message> messages) {
        foreach (var m in messages) {
            if (m.BodyText == "batch-error") throw new GuestError("batch-error requested");
            // An exception would become err: FailFast ends the runtime, which the host sees as a trap.
            if (m.BodyText == "trap") Environment.FailFast("trap requested");
        }
        var results = new List<MessageResult>(messages.Count);
        foreach (var m in messages) results.Add(Settle(queue, m));
        return results;
    }

    static MessageResult Settle(string queue, Message m) {
        string body = m.BodyText;
        uint n;
        if (body.StartsWith("fail:", StringComparison.Ordinal)) return MessageResult.Fail(body.Substring("fail:".Length));
        if (body == "retry") return MessageResult.Retry();
        if (NumberAfter(body, "retry:", out n)) return MessageResult.Retry((int)Math.Min(n, int.MaxValue));
        if (NumberAfter(body, "retry-until:", out n) && m.Attempt < n) return MessageResult.Retry(0);
        string report = queue + " " + m.Id + " " + m.Attempt.ToString(CultureInfo.InvariantCulture) + " " + body;
        Publisher.Send(OutQueue, report, new Dictionary<string, string> { { "enqueued-at", m.EnqueuedAt.ToString(CultureInfo.InvariantCulture) } });
        return MessageResult.Ok;
    }

    /// <summary>The u32 after `prefix` in `body` ("retry:250" gives 250).</summary>
    static bool NumberAfter(string body, string prefix, out uint n) {
        n = 0;
        return body.StartsWith(prefix, StringComparison.Ordinal)
            && uint.TryParse(body.Substring(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out n);
    }

    public static void HandleSchedule(ScheduleEvent e) {
        if (e.Name == "failing") throw new GuestError("failing schedule");
        Publisher.Send(OutQueue, "schedule " + e.Name + " " + ((ulong)e.ScheduledAt).ToString(CultureInfo.InvariantCulture));
    }
}
