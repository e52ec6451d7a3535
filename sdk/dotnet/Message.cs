// A message from a durable queue, as the queue handler receives it: queue-handler's message record.
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    /// <summary>One delivery of a queued message. Delivery is at least once: deduplicate with Id.</summary>
    /// <example><code>
    /// if (message.Attribute("content-type") != "application/json") return MessageResult.Fail("not json");
    /// Host.Info(message.Id + " attempt " + message.Attempt + ": " + message.BodyText);
    /// </code></example>
    public sealed class Message {
        /// <summary>The queue it came from (the same for the whole batch).</summary>
        public string Queue = "";
        /// <summary>Unique within its queue, and the same on every redelivery.</summary>
        public string Id = "";
        public byte[] Body = new byte[0];
        /// <summary>1 on the first delivery, 2 on the first redelivery, …</summary>
        public int Attempt = 1;
        /// <summary>When the message was first sent, in milliseconds since the Unix epoch.</summary>
        public long EnqueuedAt;
        /// <summary>Routing metadata, in the order sent; a name may repeat.</summary>
        public List<KeyValuePair<string, string>> Attributes = new List<KeyValuePair<string, string>>();

        /// <summary>The body as UTF-8; invalid bytes become U+FFFD.</summary>
        public string BodyText { get { return Encoding.UTF8.GetString(Body ?? new byte[0]); } }

        /// <summary>The value of the first attribute with exactly this name, or null.</summary>
        public string Attribute(string name) {
            foreach (var a in Attributes) if (string.Equals(a.Key, name, StringComparison.Ordinal)) return a.Value;
            return null;
        }
    }
}
