// publisher.send's arguments as the host reads them, its result as the host writes it, and the
// native stand-in.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Wasmlet;

namespace Wasmlet.Tests {
    static class PublisherTest {
        /// <summary>A fake send import: reads the frame like the host, answers with `answer` (tag, text).</summary>
        static Action<int> Host(FakeMemory memory, List<string> seen, int tag, string answer) {
            return frame => {
                string attributes = "";
                int list = memory.ReadInt32(frame + 16);
                for (int i = 0; i < memory.ReadInt32(frame + 20); i++) attributes += memory.String(list + 16 * i) + "=" + memory.String(list + 16 * i + 8) + ";";
                seen.Add(memory.String(frame) + "|" + memory.String(frame + 8) + "|" + attributes + "|" + memory.ReadInt32(frame + 24));
                int ret = memory.ReadInt32(frame + 28);
                int[] text = memory.Argument(Encoding.UTF8.GetBytes(answer));   // cabi_realloc'd by the host
                memory.WriteInt32(ret, tag);
                memory.WriteInt32(ret + 4, text[0]);
                memory.WriteInt32(ret + 8, text[1]);
            };
        }

        [Test] static void SendLowersEveryArgumentAndFreesEverything() {
            var memory = new FakeMemory();
            var seen = new List<string>();
            var attributes = new List<KeyValuePair<string, string>> { new KeyValuePair<string, string>("from", "http"), new KeyValuePair<string, string>("e", "") };
            string id = PublisherAbi.Send(memory, "jobs", Encoding.UTF8.GetBytes("héllo"), attributes, 250, Host(memory, seen, 0, "01HV-7"));
            Check.Equal("01HV-7", id);
            Check.Equal("jobs|héllo|from=http;e=;|250", seen[0]);
            Check.Equal(0, memory.Live.Count, "nothing left allocated:");
        }

        [Test] static void AnEmptyMessageSendsEmptyLists() {
            var memory = new FakeMemory();
            var seen = new List<string>();
            PublisherAbi.Send(memory, "jobs", new byte[0], new List<KeyValuePair<string, string>>(), 0, Host(memory, seen, 0, "id"));
            Check.Equal("jobs|||0", seen[0]);
            Check.Equal(0, memory.Live.Count, "nothing left allocated:");
        }

        [Test] static void ARefusalIsASendErrorWithTheHostsReason() {
            var memory = new FakeMemory();
            try {
                PublisherAbi.Send(memory, "nope", new byte[] { 1 }, new List<KeyValuePair<string, string>>(), 0, Host(memory, new List<string>(), 0x7f01, "queue \"nope\" is not in publish"));
                throw new AssertionFailed("no SendError");
            } catch (SendError e) {
                Check.Equal("nope", e.Queue);
                Check.Equal("queue \"nope\" is not in publish", e.Reason);
                Check.Equal("send to queue nope: queue \"nope\" is not in publish", e.Message);
            }
            Check.Equal(0, memory.Live.Count, "nothing left allocated:");
        }

        [Test] static void NativelyASendIsLoggedAndSucceeds() {
            var stderr = new StringWriter();
            var saved = Console.Error;
            Console.SetError(stderr);
            string a, b;
            try {
                a = Publisher.Send("jobs", "hi", new Dictionary<string, string> { { "k", "v" } });
                b = Publisher.Send("jobs", new byte[3], delayMs: 10);
            } finally { Console.SetError(saved); }
            Check.True(a.StartsWith("native-") && a != b, a + " " + b);
            Check.Equal("[send] jobs: 2 bytes\n[send] jobs: 3 bytes\n", stderr.ToString().Replace("\r\n", "\n"));
        }
    }
}
