using System.Text;
using Wasmlet;

namespace Wasmlet.Tests {
    static class ResponseTest {
        [Test] static void TextIsUtf8PlainText() {
            var res = Response.Text("Zoë\n");
            Check.Equal(200, res.Status);
            Check.Equal(1, res.Headers.Count);
            Check.Equal("content-type", res.Headers[0].Key);
            Check.Equal("text/plain; charset=utf-8", res.Headers[0].Value);
            Check.Bytes(Encoding.UTF8.GetBytes("Zoë\n"), res.Body);
            Check.Equal(404, Response.Text("no", 404).Status);
            Check.Equal(0, Response.Text(null).Body.Length);
        }

        [Test] static void JsonAndBytes() {
            var json = Response.Json("{\"ok\":true}", 201);
            Check.Equal(201, json.Status);
            Check.Equal("application/json", json.Headers[0].Value);
            Check.Equal("{\"ok\":true}", Encoding.UTF8.GetString(json.Body));
            var png = Response.Bytes(new byte[] { 0x89, 0x50 }, "image/png");
            Check.Equal("image/png", png.Headers[0].Value);
            Check.Equal(0, Response.Bytes(new byte[0], null).Headers.Count, "no content-type:");
            Check.Equal(0, Response.Bytes(null, "").Body.Length);
        }

        [Test] static void WithHeaderAppends() {
            var res = Response.Text("x").WithHeader("set-cookie", "a=1").WithHeader("set-cookie", "b=2");
            Check.Equal(3, res.Headers.Count);
            Check.Equal("b=2", res.Headers[2].Value);
        }

        [Test] static void DefaultIsAnEmpty200() {
            var res = new Response();
            Check.Equal(200, res.Status);
            Check.Equal(0, res.Headers.Count);
            Check.Equal(0, res.Body.Length);
        }
    }
}
