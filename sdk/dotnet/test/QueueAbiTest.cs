// The canonical-ABI lifting and lowering of queue-handler.handle, against a fake memory laid out as
// the host lays it out: every argument buffer freed once, every result record exact, the batch-level
// errors, and the per-message form's mapping of exceptions.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Wasmlet;

namespace Wasmlet.Tests {
    static class QueueAbiTest {
        sealed class Sent {
            public string Id, Body;
            public int Attempt;
            public long EnqueuedAt;
            public string[] Attributes = new string[0];
        }

        /// <summary>The four i32 parameters in a frame, as the glue writes them; returns the frame.</summary>
        static int Call(FakeMemory memory, string queue, params Sent[] batch) {
            int list = batch.Length > 0 ? memory.Alloc(QueueAbi.MessageSize * batch.Length) : 8;
            for (int i = 0; i < batch.Length; i++) {
                int at = list + QueueAbi.MessageSize * i;
                Sent m = batch[i];
                Write(memory, at, memory.Argument(Encoding.UTF8.GetBytes(m.Id)));
                Write(memory, at + 8, memory.Argument(Encoding.UTF8.GetBytes(m.Body)));
                memory.WriteInt32(at + 16, m.Attempt);
                memory.WriteInt32(at + 20, unchecked((int)0xdeadbeef));         // padding the host may leave dirty
                memory.WriteInt64(at + 24, m.EnqueuedAt);
                int pairs = m.Attributes.Length > 0 ? memory.Alloc(Abi.PairSize * m.Attributes.Length / 2) : 4;
                for (int k = 0; k < m.Attributes.Length; k++) Write(memory, pairs + 8 * k, memory.Argument(Encoding.UTF8.GetBytes(m.Attributes[k])));
                Write(memory, at + 32, new[] { pairs, m.Attributes.Length / 2 });
            }
            int frame = memory.Alloc(QueueAbi.FrameResultOffset + 4);
            Write(memory, frame, memory.Argument(Encoding.UTF8.GetBytes(queue)));
            Write(memory, frame + 8, new[] { list, batch.Length });
            return frame;
        }

        static void Write(FakeMemory memory, int at, int[] pointerAndLength) {
            memory.WriteInt32(at, pointerAndLength[0]);
            memory.WriteInt32(at + 4, pointerAndLength[1]);
        }

        static Sent M(string id, string body, int attempt = 1) { return new Sent { Id = id, Body = body, Attempt = attempt, EnqueuedAt = 1700000000123 }; }

        [Test] static void LiftsEveryFieldAndFreesEveryArgument() {
            var memory = new FakeMemory();
            int frame = Call(memory, "jobs",
                new Sent { Id = "m1", Body = "héllo", Attempt = 2, EnqueuedAt = (1L << 40) + 5, Attributes = new[] { "from", "http", "empty", "" } },
                M("m2", ""));
            List<Message> seen = null;
            string seenQueue = null;
            int result = QueueAbi.Invoke(memory, frame, (queue, messages) => { seenQueue = queue; seen = messages; return messages.Select(m => MessageResult.Ok); });
            Check.Equal("jobs", seenQueue);
            Check.Equal(2, seen.Count);
            Check.Equal("jobs", seen[0].Queue);
            Check.Equal("m1", seen[0].Id);
            Check.Equal("héllo", seen[0].BodyText);
            Check.Equal(2, seen[0].Attempt);
            Check.Equal((1L << 40) + 5, seen[0].EnqueuedAt);
            Check.Equal(2, seen[0].Attributes.Count);
            Check.Equal("http", seen[0].Attribute("from"));
            Check.Equal("", seen[0].Attribute("empty"));
            Check.Equal(null, seen[0].Attribute("From"), "names match exactly:");
            Check.Equal(0, seen[1].Body.Length);
            Check.Equal(0, seen[1].Attributes.Count);
            Check.True(memory.Live.Keys.All(a => a == frame || a >= result), "argument buffers still live: " + string.Join(",", memory.Live.Keys));
            Abi.Release(memory);
            Check.Equal(1, memory.Live.Count, "only the frame left after Post:");
        }

        [Test] static void LowersOneRecordPerResult() {
            var memory = new FakeMemory();
            int frame = Call(memory, "jobs", M("a", "1"), M("b", "2"), M("c", "3"), M("d", "4"), M("e", "5"));
            int result = QueueAbi.Invoke(memory, frame, (queue, messages) => new[] {
                MessageResult.Ok, MessageResult.Retry(), MessageResult.Retry(250), MessageResult.Retry(0), MessageResult.Fail("no góod") });
            Check.Equal(0, memory.ReadInt32(result) & 0xff, "tag:");
            int list = memory.ReadInt32(result + 4);
            Check.Equal(5, memory.ReadInt32(result + 8), "count:");
            int[][] words = Enumerable.Range(0, 4).Select(i => new[] { memory.ReadInt32(list + 12 * i), memory.ReadInt32(list + 12 * i + 4), memory.ReadInt32(list + 12 * i + 8) }).ToArray();
            Check.Equal("0 0 0", string.Join(" ", words[0]), "ok:");
            Check.Equal("1 0 0", string.Join(" ", words[1]), "retry:");
            Check.Equal("1 1 250", string.Join(" ", words[2]), "retry(250):");
            Check.Equal("1 1 0", string.Join(" ", words[3]), "retry(0):");
            Check.Equal(2, memory.ReadInt32(list + 48), "fail tag:");
            Check.Equal("no góod", memory.String(list + 52));
            Abi.Release(memory);
            Check.Equal(1, memory.Live.Count, "only the frame left after Post:");
        }

        [Test] static void AnEmptyBatchIsOkOfAnEmptyList() {
            var memory = new FakeMemory();
            int result = QueueAbi.Invoke(memory, Call(memory, "jobs"), (queue, messages) => new List<MessageResult>());
            Check.Equal(0, memory.ReadInt32(result) & 0xff, "tag:");
            Check.Equal(0, memory.ReadInt32(result + 8), "count:");
            Abi.Release(memory);
        }

        static string BatchError(Func<string, List<Message>, IEnumerable<MessageResult>> handler) {
            var memory = new FakeMemory();
            int result = QueueAbi.Invoke(memory, Call(memory, "jobs", M("a", "1"), M("b", "2")), handler);
            Check.Equal(1, memory.ReadInt32(result) & 0xff, "tag:");
            string message = memory.String(result + 4);
            Abi.Release(memory);
            Check.Equal(1, memory.Live.Count, "only the frame left after Post:");
            return message;
        }

        [Test] static void BatchLevelFailuresAreErr() {
            Check.Equal("database down", BatchError((q, ms) => { throw new GuestError("database down"); }));
            Check.Equal("Function.HandleQueue returned null", BatchError((q, ms) => null));
            Check.Equal("Function.HandleQueue returned 1 results for 2 messages", BatchError((q, ms) => new[] { MessageResult.Ok }));
            Check.Equal("Function.HandleQueue returned 3 results for 2 messages", BatchError((q, ms) => new[] { MessageResult.Ok, MessageResult.Ok, MessageResult.Ok }));
            Check.Equal("Function.HandleQueue returned a null result", BatchError((q, ms) => new[] { MessageResult.Ok, null }));
            var saved = Console.Error;
            Console.SetError(new StringWriter());
            try {
                Check.True(BatchError((q, ms) => { throw new InvalidOperationException("boom"); }) == "InvalidOperationException: boom", "other exceptions are named by type");
            } finally { Console.SetError(saved); }
        }

        [Test] static void PerMessageFormMapsReturnsAndExceptions() {
            var stderr = new StringWriter();
            var saved = Console.Error;
            Console.SetError(stderr);
            List<MessageResult> results;
            try {
                var batch = QueueAbi.Each(m => {
                    if (m.Id == "guest") throw new GuestError("not an order");
                    if (m.Id == "bug") throw new NullReferenceException();
                    if (m.Id == "null") return null;
                    return m.Attempt > 1 ? MessageResult.Retry(5) : MessageResult.Ok;
                });
                var messages = new[] { "ok", "guest", "bug", "null" }.Select(id => new Message { Id = id }).ToList();
                messages.Add(new Message { Id = "again", Attempt = 2 });
                results = batch("jobs", messages).ToList();
            } finally { Console.SetError(saved); }
            Check.Equal("ok|fail: not an order|retry|fail: Function.HandleMessage returned null|retry after 5 ms", string.Join("|", results));
            Check.True(stderr.ToString().Contains("message bug will be retried: System.NullReferenceException"), "trace: " + stderr);
        }

        [Test] static void PerMessageFormWithoutAResultIsOkUnlessItThrows() {
            var done = new List<string>();
            var batch = QueueAbi.Each((Message m) => {
                if (m.Id == "x") throw new GuestError("bad");
                done.Add(m.Id);
            });
            var results = batch("jobs", new List<Message> { new Message { Id = "a" }, new Message { Id = "x" } }).ToList();
            Check.Equal("ok|fail: bad", string.Join("|", results));
            Check.Equal("a", string.Join(",", done));
        }
    }
}
