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
                Put(memory, alloc, frame, Encoding.UTF8.GetBytes(queue));
                Put(memory, alloc, frame + 8, body);
                int list = attributes.Count > 0 ? alloc(Abi.PairSize * attributes.Count) : 0;
                for (int i = 0; i < attributes.Count; i++) {
                    var a = attributes[i];
                    if (a.Key == null || a.Value == null) throw new ArgumentException("attribute " + (a.Key ?? "(null name)") + " has a null " + (a.Key == null ? "name" : "value"));
                    Put(memory, alloc, list + Abi.PairSize * i, Encoding.UTF8.GetBytes(a.Key));
                    Put(memory, alloc, list + Abi.PairSize * i + 8, Encoding.UTF8.GetBytes(a.Value));
                }
                memory.WriteInt32(frame + 16, list);
                memory.WriteInt32(frame + 20, attributes.Count);
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

        /// <summary>Writes (ptr, len) of a copy of `bytes` at `at`; an empty one is (0, 0).</summary>
        static void Put(GuestMemory memory, Func<int, int> alloc, int at, byte[] bytes) {
            int address = bytes.Length > 0 ? alloc(bytes.Length) : 0;
            if (bytes.Length > 0) memory.WriteBytes(address, bytes);
            memory.WriteInt32(at, address);
            memory.WriteInt32(at + 4, bytes.Length);
        }
    }
}
