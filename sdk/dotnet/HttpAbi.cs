// The canonical-ABI side of http-handler.handle (sdk/wit/README.md has the layout): lifts the ten
// parameters into a Request, calls the handler, lowers the Response (or the error) into the result area.
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    internal static class HttpAbi {
        /// <summary>Bytes of the result area: tag, then http-response or the error string.</summary>
        internal const int ResultSize = 24;
        /// <summary>Where in the glue's frame the ten i32 parameters end and the result pointer goes.</summary>
        internal const int FrameResultOffset = 40;

        /// <summary>Runs `handler` on the request at `parameters` and returns the result area's address.</summary>
        internal static int Invoke(GuestMemory memory, int parameters, Func<Request, Response> handler) {
            int result = Abi.Keep(memory, ResultSize);
            try {
                Response response = handler(Lift(memory, parameters));
                if (response == null) throw new GuestError("Function.Handle returned null");
                LowerOk(memory, result, response);
            } catch (Exception thrown) {
                Abi.LowerErr(memory, result, Abi.Describe(thrown));
            }
            return result;
        }

        /// <summary>The request; every argument buffer is the callee's, so each is freed once read.</summary>
        internal static Request Lift(GuestMemory memory, int parameters) {
            var request = new Request();
            request.Method = Abi.TakeString(memory, parameters);
            request.Path = Abi.TakeString(memory, parameters + 8);
            request.Query = Abi.TakeString(memory, parameters + 16);
            request.Headers = Abi.TakePairs(memory, parameters + 24);
            request.Body = Abi.TakeBytes(memory, parameters + 32);
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
            int list = headers.Count > 0 ? Abi.Keep(memory, Abi.PairSize * headers.Count) : 0;
            for (int i = 0; i < headers.Count; i++) {
                Abi.PutBytes(memory, list + Abi.PairSize * i, encoded[2 * i]);
                Abi.PutBytes(memory, list + Abi.PairSize * i + 8, encoded[2 * i + 1]);
            }
            memory.WriteInt32(result + 8, list);
            memory.WriteInt32(result + 12, headers.Count);
            Abi.PutBytes(memory, result + 16, response.Body ?? new byte[0]);
        }
    }
}
