// An outbound request (the `request` record of wasmlet:function/outbound-http), built fluently.
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    /// <summary>What Http.Send sends. The host adds host and content-length.</summary>
    /// <example><code>
    /// var req = new HttpRequest("POST", "https://hooks.example.com/x").WithHeader("x-token", token).WithJson("{\"a\":1}");
    /// </code></example>
    public sealed class HttpRequest {
        /// <summary>Sent upper-cased; GET by default.</summary>
        public string Method = "GET";
        /// <summary>An absolute http:// or https:// URL whose origin the manifest grants.</summary>
        public string Url;
        /// <summary>Sent as given, in order.</summary>
        public List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
        public byte[] Body = new byte[0];

        public HttpRequest() { }

        public HttpRequest(string method, string url) {
            Method = method;
            Url = url;
        }

        /// <summary>Adds a header (never replaces one) and returns this request.</summary>
        public HttpRequest WithHeader(string name, string value) {
            Headers.Add(new KeyValuePair<string, string>(name, value));
            return this;
        }

        /// <summary>Sets the body and, unless null or empty, adds that content-type.</summary>
        public HttpRequest WithBody(byte[] body, string contentType) {
            Body = body ?? new byte[0];
            return string.IsNullOrEmpty(contentType) ? this : WithHeader("content-type", contentType);
        }

        /// <summary>`text` as UTF-8 with content-type text/plain; charset=utf-8.</summary>
        public HttpRequest WithText(string text) {
            return WithBody(Encoding.UTF8.GetBytes(text ?? ""), "text/plain; charset=utf-8");
        }

        /// <summary>`json` (already encoded: the SDK has no serializer) with content-type application/json.</summary>
        public HttpRequest WithJson(string json) {
            return WithBody(Encoding.UTF8.GetBytes(json ?? ""), "application/json");
        }
    }
}
