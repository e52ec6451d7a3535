// The canonical-ABI lifting and lowering of http-handler.handle, against a fake memory laid out as
// the host lays it out (sdk/wit/README.md): every argument buffer freed once, the result area exact,
// and everything the result used freed by Post.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Wasmlet;

namespace Wasmlet.Tests {
    static class HttpAbiTest {
        static byte[] Utf8(string s) { return Encoding.UTF8.GetBytes(s); }

        /// <summary>The ten i32 parameters in memory, as the glue's frame holds them; returns the frame.</summary>
        static int Call(FakeMemory memory, string method, string path, string query, string[] headers, byte[] body) {
            var header = new List<int>();
            for (int i = 0; i < headers.Length; i++) header.AddRange(memory.Argument(Utf8(headers[i])));
            int[] list = new[] { 1, 0 };
            if (headers.Length > 0) {
                list = new[] { memory.Alloc(Abi.PairSize * headers.Length / 2), headers.Length / 2 };
                for (int i = 0; i < header.Count; i++) memory.WriteInt32(list[0] + 4 * i, header[i]);
            }
            var parameters = memory.Argument(Utf8(method)).Concat(memory.Argument(Utf8(path))).Concat(memory.Argument(Utf8(query)))
                .Concat(list).Concat(memory.Argument(body)).ToArray();
            int frame = memory.Alloc(48);
            for (int i = 0; i < parameters.Length; i++) memory.WriteInt32(frame + 4 * i, parameters[i]);
            return frame;
        }

        static int Call(FakeMemory memory) {
            return Call(memory, "POST", "/greet", "name=Ada+L", new[] { "content-type", "application/json", "x-empty", "" }, Utf8("{\"a\":1}"));
        }

        [Test] static void LiftsEveryFieldAndFreesEveryArgument() {
            var memory = new FakeMemory();
            int frame = Call(memory);
            Request seen = null;
            int result = HttpAbi.Invoke(memory, frame, req => { seen = req; return new Response(); });
            Check.Equal("POST", seen.Method);
            Check.Equal("/greet", seen.Path);
            Check.Equal("name=Ada+L", seen.Query);
            Check.Equal("Ada L", seen.QueryParam("name"));
            Check.Equal(2, seen.Headers.Count);
            Check.Equal("application/json", seen.Header("Content-Type"));
            Check.Equal("", seen.Header("x-empty"));
            Check.Equal("{\"a\":1}", seen.BodyText);
            Check.True(memory.Live.Keys.All(a => a == frame || a >= result), "argument buffers still live: " + string.Join(",", memory.Live.Keys));
            Abi.Release(memory);
            Check.Equal(1, memory.Live.Count, "only the frame left after Post:");
        }

        [Test] static void EmptyArgumentsAreNotAllocationsAndAreNeverFreed() {
            var memory = new FakeMemory();
            int frame = Call(memory, "GET", "/", "", new string[0], new byte[0]);
            Request seen = null;
            HttpAbi.Invoke(memory, frame, req => { seen = req; return Response.Text("ok"); });   // FakeMemory throws on a bad free
            Check.Equal("", seen.Query);
            Check.Equal(0, seen.Headers.Count);
            Check.Equal(0, seen.Body.Length);
            Abi.Release(memory);
        }

        [Test] static void LowersAResponse() {
            var memory = new FakeMemory();
            int result = HttpAbi.Invoke(memory, Call(memory), req =>
                Response.Text("Zoë\n", 201).WithHeader("X-Trace", "t1"));
            Check.Equal(0, memory.ReadInt32(result) & 0xff, "tag:");
            Check.Equal(201, memory.ReadInt32(result + 4) & 0xffff, "status:");
            int headers = memory.ReadInt32(result + 8);
            Check.Equal(2, memory.ReadInt32(result + 12), "header count:");
            Check.Equal("content-type", memory.String(headers));
            Check.Equal("text/plain; charset=utf-8", memory.String(headers + 8));
            Check.Equal("x-trace", memory.String(headers + 16), "names are lower-cased:");
            Check.Equal("t1", memory.String(headers + 24));
            Check.Equal("Zoë\n", memory.String(result + 16));
            Check.Equal(5, memory.ReadInt32(result + 20), "body length in bytes:");
            Abi.Release(memory);
            Check.Equal(1, memory.Live.Count);
        }

        [Test] static void AnEmptyResponseHasNullLists() {
            var memory = new FakeMemory();
            int result = HttpAbi.Invoke(memory, Call(memory), req => new Response { Status = 204, Body = null });
            Check.Equal(204, memory.ReadInt32(result + 4));
            foreach (int offset in new[] { 8, 12, 16, 20 }) Check.Equal(0, memory.ReadInt32(result + offset), "offset " + offset + ":");
            Abi.Release(memory);
        }

        static string Error(Func<Request, Response> handler) {
            var memory = new FakeMemory();
            int result = HttpAbi.Invoke(memory, Call(memory), handler);
            Check.Equal(1, memory.ReadInt32(result) & 0xff, "tag:");
            string message = memory.String(result + 4);
            Abi.Release(memory);
            Check.Equal(1, memory.Live.Count, "only the frame left after Post:");
            return message;
        }

        [Test] static void GuestErrorIsErrWithItsMessage() {
            Check.Equal("name too long", Error(req => { throw new GuestError("name too long"); }));
        }

        [Test] static void AnyOtherExceptionIsErrNamedByTypeWithTheTraceOnStderr() {
            var stderr = new StringWriter();
            var saved = Console.Error;
            Console.SetError(stderr);
            string message;
            try {
                message = Error(req => int.Parse("x") == 0 ? null : new Response());
            } finally { Console.SetError(saved); }
            Check.True(message.StartsWith("FormatException: "), message);
            Check.True(stderr.ToString().Contains("System.FormatException") && stderr.ToString().Contains("at "), "trace: " + stderr);
        }

        [Test] static void BadResponsesAreErrNotHalfWritten() {
            Check.Equal("Function.Handle returned null", Error(req => null));
            Check.Equal("response status 70000 does not fit a u16", Error(req => new Response { Status = 70000 }));
            Check.Equal("response status -1 does not fit a u16", Error(req => new Response { Status = -1 }));
            Check.Equal("response header x-a has a null value", Error(req => new Response().WithHeader("x-a", null)));
            Check.Equal("response header (null name) has a null name", Error(req => new Response().WithHeader(null, "v")));
        }

        [Test] static void PostAfterEachInvocationKeepsMemoryFlat() {
            var memory = new FakeMemory();
            for (int i = 0; i < 3; i++) {
                int frame = Call(memory);
                HttpAbi.Invoke(memory, frame, req => Response.Text("x"));
                Abi.Release(memory);
                memory.Free(frame);
                Check.Equal(0, memory.Live.Count, "round " + i + ":");
            }
        }
    }
}
