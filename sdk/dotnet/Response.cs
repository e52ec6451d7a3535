// The HTTP response a handler returns, and the helpers that build the common ones.
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    /// <summary>What the handler answers. Build one with a helper, or set the fields yourself.</summary>
    /// <example><code>
    /// return Response.Text("Hello\n");                                     // 200, text/plain; charset=utf-8
    /// return Response.Json("{\"ok\":true}", 201).WithHeader("cache-control", "no-store");
    /// return new Response { Status = 204 };
    /// </code></example>
    public sealed class Response {
        /// <summary>200 to 599; the host answers anything else with 502 response_invalid.</summary>
        public int Status = 200;
        /// <summary>Sent in order; names are lower-cased on the way out.</summary>
        public List<KeyValuePair<string, string>> Headers = new List<KeyValuePair<string, string>>();
        public byte[] Body = new byte[0];

        /// <summary>`text` as UTF-8 with content-type text/plain; charset=utf-8.</summary>
        public static Response Text(string text, int status = 200) {
            return Bytes(Encoding.UTF8.GetBytes(text ?? ""), "text/plain; charset=utf-8", status);
        }

        /// <summary>`json` (already encoded: the SDK has no serializer) with content-type application/json.</summary>
        public static Response Json(string json, int status = 200) {
            return Bytes(Encoding.UTF8.GetBytes(json ?? ""), "application/json", status);
        }

        /// <summary>Any body; a null or empty `contentType` sends no content-type header.</summary>
        public static Response Bytes(byte[] body, string contentType, int status = 200) {
            var response = new Response { Status = status, Body = body ?? new byte[0] };
            if (!string.IsNullOrEmpty(contentType)) response.WithHeader("content-type", contentType);
            return response;
        }

        /// <summary>Adds a header (never replaces one) and returns this response.</summary>
        public Response WithHeader(string name, string value) {
            Headers.Add(new KeyValuePair<string, string>(name, value));
            return this;
        }
    }
}
