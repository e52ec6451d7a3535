// The C# end of the queue-handler export, for a batch handler. toolchains/dotnet/build.sh compiles
// this file only when the function's `Function` class defines HandleQueue. Expected:
//   public static IEnumerable<MessageResult> HandleQueue(string queue, List<Message> messages)
// (any return type that is an IEnumerable<MessageResult>: a List or an array; the messages may be
// taken as IList<Message>, IReadOnlyList<Message> or IEnumerable<Message>).
using System;

namespace Wasmlet.Exports {
    /// <summary>Called by the generated glue (toolchains/dotnet/lib/gen-glue.mjs), which finds Handle and Post by name.</summary>
    public static class QueueHandler {
        /// <summary>handle: the frame holds the four i32 parameters; the result pointer goes at +16.</summary>
        public static void Handle(IntPtr frame) {
            Host.InComponent = true;
            int at = frame.ToInt32();
            LinearMemory.Instance.WriteInt32(at + QueueAbi.FrameResultOffset, QueueAbi.Invoke(LinearMemory.Instance, at, global::Function.HandleQueue));
        }

        /// <summary>cabi_post_…#handle: the host has copied the result out.</summary>
        public static void Post(IntPtr resultArea) { Abi.Release(LinearMemory.Instance); }
    }
}
