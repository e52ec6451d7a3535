// The canonical-ABI side of `handle` (sdk/wit/README.md has the layout): lifts the ten parameters
// into a Request, calls Function.Handle, lowers the Response (or the error) into the result area.
using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;

namespace Wasmlet {
    /// <summary>
    /// Called by the glue (toolchains/dotnet/lib/gen-glue.mjs), which finds Handle and Post by name
    /// with one argument each. The function itself is `public static class Function` with
    /// `public static Response Handle(Request req)`; a missing one is a compile error here.
    /// </summary>
    public static class Abi {
        /// <summary>Bytes of one tuple&lt;string, string&gt; in a header list.</summary>
        internal const int HeaderSize = 16;
        /// <summary>Bytes of the result area: tag, then http-response or the error string.</summary>
        internal const int ResultSize = 24;
        /// <summary>Where in the glue's frame the ten i32 parameters end and the result pointer goes.</summary>
        internal const int FrameResultOffset = 40;

        /// <summary>What this invocation allocated for its result; freed by Post once the host has copied it.</summary>
        internal static readonly List<int> live = new List<int>();

        /// <summary>The component's `handle`: frame holds the ten i32 parameters; the result pointer goes at +40.</summary>
        public static void Handle(IntPtr frame) {
            Host.InComponent = true;
            int at = frame.ToInt32();
            LinearMemory.Instance.WriteInt32(at + FrameResultOffset, Invoke(LinearMemory.Instance, at, global::Function.Handle));
        }

        /// <summary>The component's `cabi_post_…#handle`.</summary>
        public static void Post(IntPtr resultArea) { Release(LinearMemory.Instance); }

        /// <summary>Runs `handler` on the request at `parameters` and returns the result area's address.</summary>
        internal static int Invoke(GuestMemory memory, int parameters, Func<Request, Response> handler) {
            int result = Keep(memory, ResultSize);
            try {
                Response response = handler(Lift(memory, parameters));
                if (response == null) throw new GuestError("Function.Handle returned null");
                LowerOk(memory, result, response);
            } catch (Exception thrown) {
                Exception e = thrown is TargetInvocationException && thrown.InnerException != null ? thrown.InnerException : thrown;
                if (!(e is GuestError)) Console.Error.WriteLine(e.ToString());
                memory.WriteInt32(result, 1);                                   // tag err (u8, padded)
                PutBytes(memory, result + 4, Encoding.UTF8.GetBytes(e is GuestError ? e.Message : e.GetType().Name + ": " + e.Message));
            }
            return result;
        }

        /// <summary>Frees what Invoke kept for the result.</summary>
        internal static void Release(GuestMemory memory) {
            foreach (int address in live) memory.Free(address);
            live.Clear();
        }

        /// <summary>The request; every argument buffer is the callee's, so each is freed once read.</summary>
        internal static Request Lift(GuestMemory memory, int parameters) {
            var request = new Request();
            request.Method = TakeString(memory, parameters);
            request.Path = TakeString(memory, parameters + 8);
            request.Query = TakeString(memory, parameters + 16);
            int headers = memory.ReadInt32(parameters + 24), count = memory.ReadInt32(parameters + 28);
            for (int i = 0; i < count; i++) {
                int entry = headers + HeaderSize * i;
                request.Headers.Add(new KeyValuePair<string, string>(TakeString(memory, entry), TakeString(memory, entry + 8)));
            }
            FreeArgument(memory, headers, count);
            request.Body = TakeBytes(memory, parameters + 32);
            return request;
        }

        /// <summary>Checks the response first, so that a bad one becomes err(message) with nothing half-written.</summary>
        static void LowerOk(GuestMemory memory, int result, Response response) {
            if (response.Status < 0 || response.Status > 0xffff) throw new GuestError("response status " + response.Status + " does not fit a u16");
            var headers = response.Headers ?? new List<KeyValuePair<string, string>>();
            var encoded = new List<byte[]>(2 * headers.Count);
            foreach (var h in headers) {
                if (h.Key == null || h.Value == null) throw new GuestError("response header " + (h.Key ?? "(null name)") + " has a null " + (h.Key == null ? "name" : "value"));
                encoded.Add(Encoding.UTF8.GetBytes(h.Key.ToLowerInvariant()));
                encoded.Add(Encoding.UTF8.GetBytes(h.Value));
            }
            memory.WriteInt32(result, 0);                                       // tag ok (u8, padded)
            memory.WriteInt32(result + 4, response.Status);                    // u16, padded
            int list = headers.Count > 0 ? Keep(memory, HeaderSize * headers.Count) : 0;
            for (int i = 0; i < headers.Count; i++) {
                PutBytes(memory, list + HeaderSize * i, encoded[2 * i]);
                PutBytes(memory, list + HeaderSize * i + 8, encoded[2 * i + 1]);
            }
            memory.WriteInt32(result + 8, list);
            memory.WriteInt32(result + 12, headers.Count);
            PutBytes(memory, result + 16, response.Body ?? new byte[0]);
        }

        static string TakeString(GuestMemory memory, int at) { return Encoding.UTF8.GetString(TakeBytes(memory, at)); }

        static byte[] TakeBytes(GuestMemory memory, int at) {
            int address = memory.ReadInt32(at), length = memory.ReadInt32(at + 4);
            byte[] bytes = memory.ReadBytes(address, length);
            FreeArgument(memory, address, length);
            return bytes;
        }

        /// <summary>An empty list's pointer is the alignment cabi_realloc was asked for, not an allocation.</summary>
        static void FreeArgument(GuestMemory memory, int address, int length) {
            if (length > 0) memory.Free(address);
        }

        static int Keep(GuestMemory memory, int bytes) {
            int address = memory.Alloc(bytes);
            live.Add(address);
            return address;
        }

        /// <summary>Writes (ptr, len) at `at`, copying `bytes` into a kept buffer; an empty one is (0, 0).</summary>
        static void PutBytes(GuestMemory memory, int at, byte[] bytes) {
            int address = 0;
            if (bytes.Length > 0) {
                address = Keep(memory, bytes.Length);
                memory.WriteBytes(address, bytes);
            }
            memory.WriteInt32(at, address);
            memory.WriteInt32(at + 4, bytes.Length);
        }
    }
}
