// The canonical-ABI lifting and lowering of schedule-handler.handle, against a fake memory.
using System;
using System.IO;
using System.Text;
using Wasmlet;

namespace Wasmlet.Tests {
    static class ScheduleAbiTest {
        static int Call(FakeMemory memory, string name, long scheduledAt) {
            int frame = memory.Alloc(ScheduleAbi.FrameResultOffset + 4);
            int[] arg = memory.Argument(Encoding.UTF8.GetBytes(name));
            memory.WriteInt32(frame, arg[0]);
            memory.WriteInt32(frame + 4, arg[1]);
            memory.WriteInt64(frame + 8, scheduledAt);
            return frame;
        }

        [Test] static void LiftsTheEventAndAnswersOk() {
            var memory = new FakeMemory();
            int frame = Call(memory, "nightly", long.MinValue + 7);   // u64 2^63 + 7 arrives as this long
            ScheduleEvent seen = null;
            int result = ScheduleAbi.Invoke(memory, frame, e => { seen = e; });
            Check.Equal("nightly", seen.Name);
            Check.Equal(long.MinValue + 7, seen.ScheduledAt);
            Check.Equal(0, memory.ReadInt32(result) & 0xff, "tag:");
            Abi.Release(memory);
            Check.Equal(1, memory.Live.Count, "only the frame left after Post:");
        }

        [Test] static void AnExceptionIsErr() {
            var memory = new FakeMemory();
            int result = ScheduleAbi.Invoke(memory, Call(memory, "failing", 1), e => { throw new GuestError("failing schedule"); });
            Check.Equal(1, memory.ReadInt32(result) & 0xff, "tag:");
            Check.Equal("failing schedule", memory.String(result + 4));
            Abi.Release(memory);
            Check.Equal(1, memory.Live.Count, "only the frame left after Post:");
        }
    }
}
