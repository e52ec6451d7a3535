// One tick of a schedule, as the schedule handler receives it: schedule-handler's schedule-event record.
namespace Wasmlet {
    /// <summary>A schedule's tick. Delivery is at least once: the same tick (Name, ScheduledAt) may come twice.</summary>
    /// <example><code>
    /// var tick = DateTimeOffset.FromUnixTimeMilliseconds(e.ScheduledAt);   // the tick, not when it runs
    /// </code></example>
    public sealed class ScheduleEvent {
        /// <summary>The schedule's name from the manifest.</summary>
        public string Name = "";
        /// <summary>The tick this event is for, in milliseconds since the Unix epoch.</summary>
        public long ScheduledAt;
    }
}
