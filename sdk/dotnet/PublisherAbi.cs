// The canonical-ABI side of publisher.send (sdk/wit/README.md has the layout): lowers the
// arguments into guest memory (the host copies them), lifts result<string, string>.
using System;
using System.Collections.Generic;
using System.Text;

namespace Wasmlet {
    internal static class PublisherAbi {
        /// <summary>queue (ptr, len), body (ptr, len), attributes (ptr, len), delay-ms, ret: eight i32.</summary>
        internal const int FrameSize = 32;

        /// <summary>Calls `import` with the frame's address; returns the message id or throws SendError.</summary>
        internal static string Send(GuestMemory memory, string queue, byte[] body, List<KeyValuePair<string, string>> attributes, int delayMs, Action<int> import) {
            var owned = new List<int>();   // the arguments stay the guest's: all freed after the call
            Func<int, int> alloc = bytes => { int a = memory.Alloc(bytes); owned.Add(a); return a; };
            try {
                int frame = alloc(FrameSize), ret = alloc(Abi.SmallResultSize);
                Abi.PutArgument(memory, alloc, frame, Encoding.UTF8.GetBytes(queue));
                Abi.PutArgument(memory, alloc, frame + 8, body);
                Abi.PutPairsArgument(memory, alloc, frame + 16, attributes, "attribute");
                memory.WriteInt32(frame + 24, delayMs);
                memory.WriteInt32(frame + 28, ret);
                memory.WriteInt32(ret, 0);
                import(frame);
                bool ok = (memory.ReadInt32(ret) & 0xff) == 0;
                // The host allocated the string with cabi_realloc: ours to free (Abi.TakeString does).
                string text = Abi.TakeString(memory, ret + 4);
                if (ok) return text;
                throw new SendError(queue, text.Length > 0 ? text : "the host refused the message without a reason");
            } finally {
                foreach (int address in owned) memory.Free(address);
            }
        }
    }
}
