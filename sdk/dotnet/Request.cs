// The HTTP request a handler receives: what the host passed to `handle`, lifted into C# values.
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    /// <summary>An incoming request.</summary>
    /// <example><code>
    /// string name = req.QueryParam("name") ?? "world";   // "?name=Ada+L" -> "Ada L"
    /// string type = req.Header("Content-Type");           // null when absent
    /// </code></example>
    public sealed class Request {
        /// <summary>Upper-case: "GET", "POST", …</summary>
        public string Method = "GET";
        /// <summary>The path, without the query: "/hello".</summary>
        public string Path = "/";
        /// <summary>The raw query, without "?": "name=ada&amp;x=1"; "" when there is none.</summary>
        public string Query = "";
        /// <summary>In the order received; names are lower-case, a repeated header once per value.</summary>
        public List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
        public byte[] Body = new byte[0];

        /// <summary>The body as UTF-8; invalid bytes become U+FFFD.</summary>
        public string BodyText { get { return Encoding.UTF8.GetString(Body ?? new byte[0]); } }

        /// <summary>A direct invocation (`wasmlet invoke`): POST / with the payload as the body.</summary>
        public bool IsDirectInvocation { get { return Header(DirectInvocationHeader) == "direct"; } }
        internal const string DirectInvocationHeader = "x-wasmlet-invocation";

        /// <summary>The first value of a header, its name matched case-insensitively, or null.</summary>
        public string Header(string name) {
            foreach (var h in Headers) if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) return h.Value;
            return null;
        }

        /// <summary>Every value of a header, in order; empty when absent.</summary>
        public List<string> HeaderValues(string name) {
            var values = new List<string>();
            foreach (var h in Headers) if (string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) values.Add(h.Value);
            return values;
        }

        /// <summary>The first value of a query parameter, URL-decoded ("" for "?flag"), or null when absent.</summary>
        public string QueryParam(string name) { return QueryString.Param(Query, name); }
    }
}
