// Linear memory as the canonical ABI addresses it (32-bit offsets), behind a seam so that the ABI
// code runs natively under test against a fake (test/FakeMemory.cs) as well as in the component.
using System;
using System.Runtime.InteropServices;

namespace Wasmlet {
    internal abstract class GuestMemory {
        internal abstract int ReadInt32(int address);
        internal abstract long ReadInt64(int address);
        internal abstract void WriteInt32(int address, int value);
        internal abstract byte[] ReadBytes(int address, int length);
        internal abstract void WriteBytes(int address, byte[] bytes);
        /// <summary>The allocator behind cabi_realloc, so the host and the guest free each other's buffers.</summary>
        internal abstract int Alloc(int bytes);
        internal abstract void Free(int address);
    }

    /// <summary>The component's own memory: Marshal over the runtime's malloc, which the glue's cabi_realloc also uses.</summary>
    internal sealed class LinearMemory : GuestMemory {
        internal static readonly LinearMemory Instance = new LinearMemory();

        internal override int ReadInt32(int address) { return Marshal.ReadInt32(new IntPtr(address)); }
        internal override long ReadInt64(int address) { return Marshal.ReadInt64(new IntPtr(address)); }
        internal override void WriteInt32(int address, int value) { Marshal.WriteInt32(new IntPtr(address), value); }
        internal override byte[] ReadBytes(int address, int length) {
            var bytes = new byte[length];
            if (length > 0) Marshal.Copy(new IntPtr(address), bytes, 0, length);
            return bytes;
        }
        internal override void WriteBytes(int address, byte[] bytes) {
            if (bytes.Length > 0) Marshal.Copy(bytes, 0, new IntPtr(address), bytes.Length);
        }
        internal override int Alloc(int bytes) { return Marshal.AllocHGlobal(bytes == 0 ? 1 : bytes).ToInt32(); }
        internal override void Free(int address) { Marshal.FreeHGlobal(new IntPtr(address)); }
    }
}
