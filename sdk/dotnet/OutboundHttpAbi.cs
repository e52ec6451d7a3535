// The canonical-ABI side of outbound-http.send (sdk/wit/README.md has the layout): lowers the
// request into guest memory (the host copies it), lifts result<response, http-error>.
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    internal static class OutboundHttpAbi {
        /// <summary>method, url, headers, body (ptr, len each) and ret: nine i32.</summary>
        internal const int FrameSize = 36;
        /// <summary>The result area: a u8 tag, then status + headers + body, or code + message.</summary>
        internal const int ResultSize = 24;
        /// <summary>
        /// Written as the tag before the call: still there after it means no host import answered,
        /// because the glue was generated without outbound-http (toolchains/dotnet/lib/outbound.mjs
        /// saw no call to Wasmlet.Http in the function's code).
        /// </summary>
        const int Unanswered = 0xff;

        /// <summary>Calls `import` with the frame's address; returns the response or throws HttpException.</summary>
        internal static HttpResponse Send(GuestMemory memory, string method, string url, List<KeyValuePair<string, string>> headers, byte[] body, Action<int> import) {
            var owned = new List<int>();   // the arguments stay the guest's: all freed after the call
            Func<int, int> alloc = bytes => { int a = memory.Alloc(bytes); owned.Add(a); return a; };
            try {
                int frame = alloc(FrameSize), ret = alloc(ResultSize);
                Abi.PutArgument(memory, alloc, frame, Encoding.UTF8.GetBytes(method));
                Abi.PutArgument(memory, alloc, frame + 8, Encoding.UTF8.GetBytes(url));
                Abi.PutPairsArgument(memory, alloc, frame + 16, headers, "header");
                Abi.PutArgument(memory, alloc, frame + 24, body);
                memory.WriteInt32(frame + 32, ret);
                memory.WriteInt32(ret, Unanswered);
                import(frame);
                int tag = memory.ReadInt32(ret) & 0xff;
                if (tag == Unanswered) {
                    throw new HttpException(HttpErrorCode.Denied, "this component does not import wasmlet:function/outbound-http: its build saw no call to Wasmlet.Http", method, url);
                }
                // Every string and list of the result came from cabi_realloc: Abi.Take* frees them.
                if (tag == 0) {
                    return new HttpResponse {
                        Status = memory.ReadInt32(ret + 4) & 0xffff,
                        Headers = Abi.TakePairs(memory, ret + 8),
                        Body = Abi.TakeBytes(memory, ret + 16),
                        Url = url,
                    };
                }
                var code = (HttpErrorCode)(memory.ReadInt32(ret + 4) & 0xff);
                throw new HttpException(code, Abi.TakeString(memory, ret + 8), method, url);
            } finally {
                foreach (int address in owned) memory.Free(address);
            }
        }
    }
}
