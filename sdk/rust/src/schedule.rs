//! What a schedule handler receives: `schedule-event` from the contract.

/// One tick of a `[[schedule]]` trigger, delivered at least once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScheduleEvent {
    /// The schedule's name from the manifest.
    pub name: String,
    /// The tick this event is for (not when it runs), in milliseconds since the Unix epoch.
    pub scheduled_at: u64,
}
