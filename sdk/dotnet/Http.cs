// Outbound HTTP: the contract's outbound-http interface, to the origins the manifest grants.
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    /// <summary>
    /// Sends HTTP requests through the host, to the origins the manifest lists in
    /// allowed_outbound_hosts = [...] (none by default). A call returns once the whole response has
    /// arrived; the wait counts against the invocation's deadline. Redirects are followed by the
    /// host (at most 5, each checked against the grant). When no response comes, HttpException says
    /// why (Code: Denied, Timeout, ConnectionRefused, ...); an HTTP error status is a response.
    /// Outside the component (a native test) requests go to OutsideComponent.
    /// </summary>
    /// <example><code>
    /// HttpResponse res = Http.Get("https://api.example.com/v1/rates", new Dictionary&lt;string, string&gt; { { "accept", "application/json" } });
    /// if (!res.Ok) return Response.Text("rates: " + res.Status, 502);
    /// Http.Send(new HttpRequest("POST", "https://hooks.example.com/x").WithJson("{\"text\":\"hi\"}"));
    /// </code></example>
    public static class Http {
        /// <summary>The glue's InvokeJSImportST handle for outbound-http.send(method, url, headers, body, ret); frame = 9 x i32.</summary>
        const int SendImport = 4;

        /// <summary>
        /// What Send does outside the component, for native tests: answers each request (throw an
        /// HttpException to simulate a failure). When null, every request fails with Denied.
        /// </summary>
        public static Func<HttpRequest, HttpResponse> OutsideComponent;

        /// <summary>Sends `request` and returns the whole response; throws HttpException when none came.</summary>
        public static HttpResponse Send(HttpRequest request) {
            if (request == null) throw new ArgumentNullException("request");
            if (string.IsNullOrEmpty(request.Method)) throw new ArgumentException("the request has no Method", "request");
            if (request.Url == null) throw new ArgumentException("the request has no Url", "request");
            string method = request.Method.ToUpperInvariant();
            var headers = new List<KeyValuePair<string, string>>(request.Headers ?? new List<KeyValuePair<string, string>>());
            byte[] body = request.Body ?? new byte[0];
            if (!Host.InComponent) {
                if (OutsideComponent == null) throw new HttpException(HttpErrorCode.Denied, "no outbound HTTP outside the component; in tests, set Http.OutsideComponent", method, request.Url);
                var sent = new HttpRequest(method, request.Url) { Headers = headers, Body = body };
                HttpResponse answer = OutsideComponent(sent);
                if (answer != null && answer.Url == null) answer.Url = request.Url;
                return answer;
            }
            return OutboundHttpAbi.Send(LinearMemory.Instance, method, request.Url, headers, body, frame => Host.CallImport(SendImport, new IntPtr(frame)));
        }

        /// <summary>GET `url` with the given headers (a Dictionary will do).</summary>
        public static HttpResponse Get(string url, IEnumerable<KeyValuePair<string, string>> headers = null) {
            return Send(WithHeaders(new HttpRequest("GET", url), headers));
        }

        /// <summary>POST `body` with that content-type (none when null or empty).</summary>
        public static HttpResponse Post(string url, byte[] body, string contentType, IEnumerable<KeyValuePair<string, string>> headers = null) {
            return Send(WithHeaders(new HttpRequest("POST", url), headers).WithBody(body, contentType));
        }

        /// <summary>POST `body` as UTF-8 with that content-type (text/plain; charset=utf-8 by default).</summary>
        public static HttpResponse Post(string url, string body, string contentType = "text/plain; charset=utf-8", IEnumerable<KeyValuePair<string, string>> headers = null) {
            return Post(url, Encoding.UTF8.GetBytes(body ?? ""), contentType, headers);
        }

        static HttpRequest WithHeaders(HttpRequest request, IEnumerable<KeyValuePair<string, string>> headers) {
            if (headers != null) request.Headers.AddRange(headers);
            return request;
        }
    }
}
