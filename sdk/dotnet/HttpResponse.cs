// The whole response to an outbound request (the `response` record of wasmlet:function/outbound-http).
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    /// <summary>What Http.Send returns: the whole response has arrived.</summary>
    public sealed class HttpResponse {
        public int Status;
        /// <summary>Lower-case names from the host; a repeated header appears once per value.</summary>
        public List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
        public byte[] Body = new byte[0];
        /// <summary>The requested URL (the host follows redirects; the final URL is not reported).</summary>
        public string Url;

        /// <summary>A 2xx status.</summary>
        public bool Ok { get { return Status >= 200 && Status <= 299; } }

        /// <summary>The body as UTF-8, invalid bytes replaced by U+FFFD.</summary>
        public string BodyText { get { return Encoding.UTF8.GetString(Body); } }

        /// <summary>The first value of a header (name matched case-insensitively), or null.</summary>
        public string Header(string name) {
            foreach (var h in Headers) if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
            return null;
        }

        /// <summary>Every value of a header, in the order received.</summary>
        public List<string> HeaderValues(string name) {
            var values = new List<string>();
            foreach (var h in Headers) if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) values.Add(h.Value);
            return values;
        }
    }
}
