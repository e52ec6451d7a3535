using System.Collections.Generic;
using System.Text;
using Wasmlet;

namespace Wasmlet.Tests {
    static class RequestTest {
        static Request WithHeaders(params string[] pairs) {
            var req = new Request();
            for (int i = 0; i < pairs.Length; i += 2) req.Headers.Add(new KeyValuePair<string, string>(pairs[i], pairs[i + 1]));
            return req;
        }

        [Test] static void HeaderNamesMatchCaseInsensitively() {
            var req = WithHeaders("content-type", "text/plain", "accept", "a", "accept", "b");
            Check.Equal("text/plain", req.Header("Content-Type"));
            Check.Equal("a", req.Header("ACCEPT"), "first value:");
            Check.Equal(null, req.Header("x-missing"));
            Check.Equal("a,b", string.Join(",", req.HeaderValues("Accept")));
            Check.Equal(0, req.HeaderValues("x-missing").Count);
        }

        [Test] static void DirectInvocation() {
            Check.True(WithHeaders("x-wasmlet-invocation", "direct").IsDirectInvocation, "marked as direct");
            Check.True(!WithHeaders("x-other", "direct").IsDirectInvocation, "an HTTP request is not direct");
        }

        [Test] static void BodyTextIsUtf8WithReplacement() {
            Check.Equal("Zoë", new Request { Body = Encoding.UTF8.GetBytes("Zoë") }.BodyText);
            Check.Equal("a\ufffd", new Request { Body = new byte[] { 0x61, 0xff } }.BodyText);
            Check.Equal("", new Request().BodyText);
        }

        [Test] static void Defaults() {
            var req = new Request();
            Check.Equal("GET", req.Method);
            Check.Equal("/", req.Path);
            Check.Equal(null, req.QueryParam("name"));
        }
    }
}
