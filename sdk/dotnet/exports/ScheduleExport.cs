// The C# end of the schedule-handler export. toolchains/dotnet/build.sh compiles this file only
// when the function's `Function` class defines HandleSchedule. Expected:
//   public static void HandleSchedule(ScheduleEvent e)
using System;

namespace Wasmlet.Exports {
    /// <summary>Called by the generated glue (toolchains/dotnet/lib/gen-glue.mjs), which finds Handle and Post by name.</summary>
    public static class ScheduleHandler {
        /// <summary>handle: the frame holds name (ptr, len) and scheduled-at (i64 at +8); the result pointer goes at +16.</summary>
        public static void Handle(IntPtr frame) {
            Host.InComponent = true;
            int at = frame.ToInt32();
            LinearMemory.Instance.WriteInt32(at + ScheduleAbi.FrameResultOffset, ScheduleAbi.Invoke(LinearMemory.Instance, at, global::Function.HandleSchedule));
        }

        /// <summary>cabi_post_…#handle: the host has copied the result out.</summary>
        public static void Post(IntPtr resultArea) { Abi.Release(LinearMemory.Instance); }
    }
}
