// outbound-http.send's arguments as the host reads them, its result as the host writes it, and the
// native stand-in.
using System;
using System.Collections.Generic;
using System.Text;
using Wasmlet;

namespace Wasmlet.Tests {
    static class OutboundHttpTest {
        static List<KeyValuePair<string, string>> Pairs(params string[] nameValues) {
            var pairs = new List<KeyValuePair<string, string>>();
            for (int i = 0; i < nameValues.Length; i += 2) pairs.Add(new KeyValuePair<string, string>(nameValues[i], nameValues[i + 1]));
            return pairs;
        }

        /// <summary>Reads the frame like the host: "METHOD|url|name=value;...|body".</summary>
        static string Seen(FakeMemory memory, int frame) {
            string headers = "";
            int list = memory.ReadInt32(frame + 16);
            for (int i = 0; i < memory.ReadInt32(frame + 20); i++) headers += memory.String(list + 16 * i) + "=" + memory.String(list + 16 * i + 8) + ";";
            return memory.String(frame) + "|" + memory.String(frame + 8) + "|" + headers + "|" + memory.String(frame + 24);
        }

        /// <summary>A fake send import answering ok(response), every buffer cabi_realloc'd as the host does.</summary>
        static Action<int> Answer(FakeMemory memory, List<string> seen, int status, List<KeyValuePair<string, string>> headers, string body) {
            return frame => {
                seen.Add(Seen(memory, frame));
                int ret = memory.ReadInt32(frame + 32);
                int list = headers.Count > 0 ? memory.Alloc(16 * headers.Count) : 8;
                for (int i = 0; i < headers.Count; i++) {
                    int[] name = memory.Argument(Encoding.UTF8.GetBytes(headers[i].Key)), value = memory.Argument(Encoding.UTF8.GetBytes(headers[i].Value));
                    memory.WriteInt32(list + 16 * i, name[0]); memory.WriteInt32(list + 16 * i + 4, name[1]);
                    memory.WriteInt32(list + 16 * i + 8, value[0]); memory.WriteInt32(list + 16 * i + 12, value[1]);
                }
                int[] bytes = memory.Argument(Encoding.UTF8.GetBytes(body));
                memory.WriteInt32(ret, 0);
                memory.WriteInt32(ret + 4, status);
                memory.WriteInt32(ret + 8, list); memory.WriteInt32(ret + 12, headers.Count);
                memory.WriteInt32(ret + 16, bytes[0]); memory.WriteInt32(ret + 20, bytes[1]);
            };
        }

        /// <summary>A fake send import answering err(http-error { code, message }).</summary>
        static Action<int> Fail(FakeMemory memory, int code, string message) {
            return frame => {
                int ret = memory.ReadInt32(frame + 32);
                int[] text = memory.Argument(Encoding.UTF8.GetBytes(message));
                memory.WriteInt32(ret, 0x3301);             // tag err, garbage in the padding
                memory.WriteInt32(ret + 4, 0x7700 | code);  // u8 code, garbage above it
                memory.WriteInt32(ret + 8, text[0]);
                memory.WriteInt32(ret + 12, text[1]);
            };
        }

        [Test] static void SendLowersTheRequestAndLiftsTheWholeResponseFreeingEverything() {
            var memory = new FakeMemory();
            var seen = new List<string>();
            HttpResponse res = OutboundHttpAbi.Send(memory, "POST", "http://127.0.0.1:9/x?a=1", Pairs("x-probe", "dotnet", "content-type", "application/json"), Encoding.UTF8.GetBytes("{\"é\":1}"),
                Answer(memory, seen, 201, Pairs("content-type", "text/plain", "x-a", "1", "x-a", "2"), "héllo"));
            Check.Equal("POST|http://127.0.0.1:9/x?a=1|x-probe=dotnet;content-type=application/json;|{\"é\":1}", seen[0]);
            Check.Equal(201, res.Status);
            Check.True(res.Ok, "201 is ok");
            Check.Equal("héllo", res.BodyText);
            Check.Equal("text/plain", res.Header("Content-Type"));
            Check.Equal("1,2", string.Join(",", res.HeaderValues("x-a")));
            Check.Equal(null, res.Header("missing"));
            Check.Equal("http://127.0.0.1:9/x?a=1", res.Url);
            Check.Equal(0, memory.Live.Count, "nothing left allocated:");
        }

        [Test] static void AnEmptyRequestAndAnEmptyResponseAllocateNothing() {
            var memory = new FakeMemory();
            var seen = new List<string>();
            HttpResponse res = OutboundHttpAbi.Send(memory, "GET", "http://h/", Pairs(), new byte[0], Answer(memory, seen, 404, Pairs(), ""));
            Check.Equal("GET|http://h/||", seen[0]);
            Check.Equal(404, res.Status);
            Check.True(!res.Ok, "404 is not ok");
            Check.Equal(0, res.Body.Length);
            Check.Equal(0, memory.Live.Count, "nothing left allocated:");
        }

        [Test] static void AnErrIsAnHttpExceptionWithTheWitCode() {
            var memory = new FakeMemory();
            try {
                OutboundHttpAbi.Send(memory, "GET", "http://10.0.0.1/", Pairs(), new byte[0], Fail(memory, 3, "connect ECONNREFUSED"));
                throw new AssertionFailed("no HttpException");
            } catch (HttpException e) {
                Check.Equal(HttpErrorCode.ConnectionRefused, e.Code);
                Check.Equal("connection-refused", e.CodeName);
                Check.Equal("connect ECONNREFUSED", e.Reason);
                Check.Equal("GET", e.Method);
                Check.Equal("http://10.0.0.1/", e.Url);
                Check.Equal("GET http://10.0.0.1/ failed: connection-refused (connect ECONNREFUSED)", e.Message);
            }
            Check.Equal(0, memory.Live.Count, "nothing left allocated:");
        }

        [Test] static void EveryCodeHasItsWitName() {
            var names = new List<string>();
            foreach (HttpErrorCode code in Enum.GetValues(typeof(HttpErrorCode))) names.Add(HttpException.NameOf(code));
            Check.Equal("denied invalid-request dns-error connection-refused connection-timeout timeout tls-error response-too-large too-many-requests protocol-error", string.Join(" ", names));
        }

        [Test] static void WithoutTheImportInTheGlueTheCallIsDenied() {
            var memory = new FakeMemory();
            try {
                OutboundHttpAbi.Send(memory, "GET", "http://h/", Pairs(), new byte[0], frame => { });
                throw new AssertionFailed("no HttpException");
            } catch (HttpException e) {
                Check.Equal(HttpErrorCode.Denied, e.Code);
                Check.True(e.Reason.Contains("does not import wasmlet:function/outbound-http"), e.Reason);
            }
            Check.Equal(0, memory.Live.Count, "nothing left allocated:");
        }

        [Test] static void ANullHeaderIsAnArgumentErrorBeforeTheHostIsCalled() {
            var memory = new FakeMemory();
            bool called = false;
            try {
                OutboundHttpAbi.Send(memory, "GET", "http://h/", Pairs("x", null), new byte[0], frame => { called = true; });
                throw new AssertionFailed("no ArgumentException");
            } catch (ArgumentException e) {
                Check.Equal("header x has a null value", e.Message);
            }
            Check.True(!called, "the host was not called");
            Check.Equal(0, memory.Live.Count, "nothing left allocated:");
        }

        [Test] static void NativelyRequestsGoToOutsideComponentOrAreDenied() {
            var saved = Http.OutsideComponent;
            try {
                Http.OutsideComponent = null;
                try {
                    Http.Get("http://h/");
                    throw new AssertionFailed("no HttpException");
                } catch (HttpException e) {
                    Check.Equal(HttpErrorCode.Denied, e.Code);
                }
                var sent = new List<HttpRequest>();
                Http.OutsideComponent = req => { sent.Add(req); return new HttpResponse { Status = 202 }; };
                HttpResponse a = Http.Get("http://h/a", new Dictionary<string, string> { { "x-probe", "dotnet" } });
                Http.Post("http://h/b", "{}", "application/json");
                Http.Send(new HttpRequest("put", "http://h/c").WithText("hi"));
                Check.Equal(202, a.Status);
                Check.Equal("http://h/a", a.Url);
                Check.Equal("GET http://h/a x-probe=dotnet ", Show(sent[0]));
                Check.Equal("POST http://h/b content-type=application/json {}", Show(sent[1]));
                Check.Equal("PUT http://h/c content-type=text/plain; charset=utf-8 hi", Show(sent[2]));
            } finally { Http.OutsideComponent = saved; }
        }

        static string Show(HttpRequest r) {
            string headers = "";
            foreach (var h in r.Headers) headers += h.Key + "=" + h.Value;
            return r.Method + " " + r.Url + " " + headers + " " + Encoding.UTF8.GetString(r.Body);
        }
    }
}
