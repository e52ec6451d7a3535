// The canonical-ABI side of schedule-handler.handle (sdk/wit/README.md has the layout): lifts the
// event, calls the handler, lowers result<_, string>.
using System;

namespace Wasmlet {
    internal static class ScheduleAbi {
        /// <summary>The frame holds name (ptr, len) at 0 and 4 and scheduled-at (i64) at 8; the result pointer goes here.</summary>
        internal const int FrameResultOffset = 16;

        /// <summary>Runs `handler` on the event at `parameters` and returns the result area's address.</summary>
        internal static int Invoke(GuestMemory memory, int parameters, Action<ScheduleEvent> handler) {
            int result = Abi.Keep(memory, Abi.SmallResultSize);
            try {
                handler(Lift(memory, parameters));
                memory.WriteInt32(result, 0);                                   // tag ok (u8, padded)
            } catch (Exception thrown) {
                Abi.LowerErr(memory, result, Abi.Describe(thrown));
            }
            return result;
        }

        internal static ScheduleEvent Lift(GuestMemory memory, int parameters) {
            return new ScheduleEvent { Name = Abi.TakeString(memory, parameters), ScheduledAt = memory.ReadInt64(parameters + 8) };
        }
    }
}
