// Sending messages to durable queues: the contract's publisher interface.
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    /// <summary>
    /// Sends messages to the queues the manifest lists in publish = [...]. A message is buffered and
    /// published when the invocation returns (after a queue batch, together with its results); an
    /// invocation that traps or times out publishes nothing. Outside the component (a native test)
    /// a message is written to stderr and every send succeeds.
    /// </summary>
    /// <example><code>
    /// string id = Publisher.Send("signups", req.Body, new Dictionary&lt;string, string&gt; { { "content-type", "application/json" } });
    /// Publisher.Send("reminders", "call ada", delayMs: 60000);
    /// </code></example>
    public static class Publisher {
        /// <summary>The glue's InvokeJSImportST handle for send(queue, body, attributes, delay-ms, ret); frame = 8 x i32.</summary>
        const int SendImport = 3;
        static int nativeSends;

        /// <summary>Buffers a message for `queue` and returns its id; throws SendError when the host refuses it.</summary>
        /// <param name="attributes">routing metadata, at most 32 pairs (a Dictionary will do)</param>
        /// <param name="delayMs">hidden from consumers for this long after publishing; 0 for none</param>
        public static string Send(string queue, byte[] body, IEnumerable<KeyValuePair<string, string>> attributes = null, int delayMs = 0) {
            if (queue == null) throw new ArgumentNullException("queue");
            if (delayMs < 0) throw new ArgumentOutOfRangeException("delayMs", delayMs, "a delay is at least 0 ms");
            body = body ?? new byte[0];
            var pairs = new List<KeyValuePair<string, string>>(attributes ?? new KeyValuePair<string, string>[0]);
            if (!Host.InComponent) {
                Console.Error.WriteLine("[send] " + queue + ": " + body.Length + " bytes");
                return "native-" + ++nativeSends;
            }
            return PublisherAbi.Send(LinearMemory.Instance, queue, body, pairs, delayMs, frame => Host.CallImport(SendImport, new IntPtr(frame)));
        }

        /// <summary>Send with a text body, as UTF-8.</summary>
        public static string Send(string queue, string body, IEnumerable<KeyValuePair<string, string>> attributes = null, int delayMs = 0) {
            return Send(queue, Encoding.UTF8.GetBytes(body ?? ""), attributes, delayMs);
        }
    }

    /// <summary>The host refused a message: the queue is not in publish, or the message is too large or malformed.</summary>
    public class SendError : Exception {
        public readonly string Queue;
        /// <summary>The host's own words.</summary>
        public readonly string Reason;

        public SendError(string queue, string reason) : base("send to queue " + queue + ": " + reason) {
            Queue = queue;
            Reason = reason;
        }
    }
}
