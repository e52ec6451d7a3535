// A linear memory for native tests: 32-bit addresses into a byte array, a bump allocator that
// remembers what is live, and a loud failure on freeing anything it did not hand out.
using System;
using System.Collections.Generic;

namespace Wasmlet.Tests {
    sealed class FakeMemory : GuestMemory {
        readonly byte[] bytes = new byte[1 << 20];
        int next = 16;                                         // 0 stays unused: a null pointer
        public readonly Dictionary<int, int> Live = new Dictionary<int, int>();   // address -> size

        internal override int ReadInt32(int address) { return BitConverter.ToInt32(bytes, address); }
        internal override long ReadInt64(int address) { return BitConverter.ToInt64(bytes, address); }
        public void WriteInt64(int address, long value) { BitConverter.GetBytes(value).CopyTo(bytes, address); }
        internal override void WriteInt32(int address, int value) { BitConverter.GetBytes(value).CopyTo(bytes, address); }
        internal override byte[] ReadBytes(int address, int length) {
            var copy = new byte[length];
            Array.Copy(bytes, address, copy, 0, length);
            return copy;
        }
        internal override void WriteBytes(int address, byte[] data) { data.CopyTo(bytes, address); }
        internal override int Alloc(int size) {
            int address = next;
            next += (Math.Max(size, 1) + 7) & ~7;              // 8-aligned, like malloc
            Live[address] = size;
            return address;
        }
        internal override void Free(int address) {
            if (!Live.Remove(address)) throw new InvalidOperationException("free of " + address + ", which is not live");
        }

        /// <summary>What the host does for a string or list argument: cabi_realloc, then copy; (align, 0) when empty.</summary>
        public int[] Argument(byte[] data) {
            if (data.Length == 0) return new[] { 1, 0 };
            int address = Alloc(data.Length);
            WriteBytes(address, data);
            return new[] { address, data.Length };
        }

        public string String(int at) { return System.Text.Encoding.UTF8.GetString(ReadBytes(ReadInt32(at), ReadInt32(at + 4))); }
    }
}
