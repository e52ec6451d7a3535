// The canonical-ABI pieces every export shares (sdk/wit/README.md has the layouts): taking the
// host's argument buffers, keeping the result's buffers until post-return, and turning an
// exception into err(message).
using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;

namespace Wasmlet {
    internal static class Abi {
        /// <summary>Bytes of one tuple&lt;string, string&gt; in a list (headers, attributes).</summary>
        internal const int PairSize = 16;
        /// <summary>Bytes of a result&lt;_, string&gt; or result&lt;list, string&gt; area: a u8 tag (padded), then ptr, len.</summary>
        internal const int SmallResultSize = 12;

        /// <summary>What this invocation allocated for its result; freed by Release once the host has copied it.</summary>
        internal static readonly List<int> live = new List<int>();

        /// <summary>Frees what the last invocation kept for its result (the exports' cabi_post_…).</summary>
        internal static void Release(GuestMemory memory) {
            foreach (int address in live) memory.Free(address);
            live.Clear();
        }

        /// <summary>
        /// The err(message) text for an exception a handler threw: a GuestError's message as written;
        /// any other exception as "TypeName: message", with its stack trace on stderr (both reach the log).
        /// </summary>
        internal static string Describe(Exception thrown) {
            Exception e = Unwrap(thrown);
            if (e is GuestError) return e.Message;
            Console.Error.WriteLine(e.ToString());
            return e.GetType().Name + ": " + e.Message;
        }

        /// <summary>A handler reached through reflection throws its exception wrapped: the inner one is the handler's.</summary>
        internal static Exception Unwrap(Exception thrown) {
            return thrown is TargetInvocationException && thrown.InnerException != null ? thrown.InnerException : thrown;
        }

        /// <summary>Writes err(message) into a result area whose payload starts at +4 (every result in the contract).</summary>
        internal static void LowerErr(GuestMemory memory, int result, string message) {
            memory.WriteInt32(result, 1);                                       // tag err (u8, padded)
            PutBytes(memory, result + 4, Encoding.UTF8.GetBytes(message));
        }

        internal static string TakeString(GuestMemory memory, int at) { return Encoding.UTF8.GetString(TakeBytes(memory, at)); }

        /// <summary>The list&lt;u8&gt; whose (ptr, len) is at `at`; the callee owns it, so it is freed once read.</summary>
        internal static byte[] TakeBytes(GuestMemory memory, int at) {
            int address = memory.ReadInt32(at), length = memory.ReadInt32(at + 4);
            byte[] bytes = memory.ReadBytes(address, length);
            FreeArgument(memory, address, length);
            return bytes;
        }

        /// <summary>The list&lt;tuple&lt;string, string&gt;&gt; whose (ptr, len) is at `at`, every buffer freed once read.</summary>
        internal static List<KeyValuePair<string, string>> TakePairs(GuestMemory memory, int at) {
            int list = memory.ReadInt32(at), count = memory.ReadInt32(at + 4);
            var pairs = new List<KeyValuePair<string, string>>(count);
            for (int i = 0; i < count; i++) {
                int entry = list + PairSize * i;
                pairs.Add(new KeyValuePair<string, string>(TakeString(memory, entry), TakeString(memory, entry + 8)));
            }
            FreeArgument(memory, list, count);
            return pairs;
        }

        /// <summary>An empty list's pointer is the alignment cabi_realloc was asked for, not an allocation.</summary>
        internal static void FreeArgument(GuestMemory memory, int address, int length) {
            if (length > 0) memory.Free(address);
        }

        /// <summary>
        /// Writes (ptr, len) of a copy of `bytes` at `at` for an import's argument, allocated with
        /// `alloc` (the caller frees it after the call: the host copies arguments); an empty one is (0, 0).
        /// </summary>
        internal static void PutArgument(GuestMemory memory, Func<int, int> alloc, int at, byte[] bytes) {
            int address = bytes.Length > 0 ? alloc(bytes.Length) : 0;
            if (bytes.Length > 0) memory.WriteBytes(address, bytes);
            memory.WriteInt32(at, address);
            memory.WriteInt32(at + 4, bytes.Length);
        }

        /// <summary>Writes (ptr, len) of a list&lt;tuple&lt;string, string&gt;&gt; argument at `at`, as PutArgument; `what` names a pair in errors.</summary>
        internal static void PutPairsArgument(GuestMemory memory, Func<int, int> alloc, int at, List<KeyValuePair<string, string>> pairs, string what) {
            int list = pairs.Count > 0 ? alloc(PairSize * pairs.Count) : 0;
            for (int i = 0; i < pairs.Count; i++) {
                var p = pairs[i];
                if (p.Key == null || p.Value == null) throw new ArgumentException(what + " " + (p.Key ?? "(null name)") + " has a null " + (p.Key == null ? "name" : "value"));
                PutArgument(memory, alloc, list + PairSize * i, Encoding.UTF8.GetBytes(p.Key));
                PutArgument(memory, alloc, list + PairSize * i + 8, Encoding.UTF8.GetBytes(p.Value));
            }
            memory.WriteInt32(at, list);
            memory.WriteInt32(at + 4, pairs.Count);
        }

        /// <summary>Allocates `bytes` for the result, freed by Release.</summary>
        internal static int Keep(GuestMemory memory, int bytes) {
            int address = memory.Alloc(bytes);
            live.Add(address);
            return address;
        }

        /// <summary>Writes (ptr, len) at `at`, copying `bytes` into a kept buffer; an empty one is (0, 0).</summary>
        internal static void PutBytes(GuestMemory memory, int at, byte[] bytes) {
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
