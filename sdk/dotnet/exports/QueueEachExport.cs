// The C# end of the queue-handler export, for a per-message handler. toolchains/dotnet/build.sh
// compiles this file only when the function's `Function` class defines HandleMessage. Expected:
//   public static MessageResult HandleMessage(Message message)    or    public static void HandleMessage(Message message)
using System;

namespace Wasmlet.Exports {
    /// <summary>Called by the generated glue (toolchains/dotnet/lib/gen-glue.mjs), which finds Handle and Post by name.</summary>
    public static class QueueHandler {
        /// <summary>handle: the frame holds the four i32 parameters; the result pointer goes at +16.</summary>
        public static void Handle(IntPtr frame) {
            Host.InComponent = true;
            int at = frame.ToInt32();
            // Overload resolution picks QueueAbi.Each(Func<…>) or Each(Action<…>) by HandleMessage's return type.
            LinearMemory.Instance.WriteInt32(at + QueueAbi.FrameResultOffset, QueueAbi.Invoke(LinearMemory.Instance, at, QueueAbi.Each(global::Function.HandleMessage)));
        }

        /// <summary>cabi_post_…#handle: the host has copied the result out.</summary>
        public static void Post(IntPtr resultArea) { Abi.Release(LinearMemory.Instance); }
    }
}
