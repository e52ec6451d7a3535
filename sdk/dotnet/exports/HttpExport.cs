// The C# end of the http-handler export. toolchains/dotnet/build.sh compiles this file only when
// the function's `Function` class defines Handle, so the component exports an HTTP handler
// exactly when there is one. Expected: public static Response Handle(Request req)
using System;

namespace Wasmlet.Exports {
    /// <summary>Called by the generated glue (toolchains/dotnet/lib/gen-glue.mjs), which finds Handle and Post by name.</summary>
    public static class HttpHandler {
        /// <summary>handle: the frame holds the ten i32 parameters; the result pointer goes at +40.</summary>
        public static void Handle(IntPtr frame) {
            Host.InComponent = true;
            int at = frame.ToInt32();
            LinearMemory.Instance.WriteInt32(at + HttpAbi.FrameResultOffset, HttpAbi.Invoke(LinearMemory.Instance, at, global::Function.Handle));
        }

        /// <summary>cabi_post_…#handle: the host has copied the result out.</summary>
        public static void Post(IntPtr resultArea) { Abi.Release(LinearMemory.Instance); }
    }
}
