declare module 'wasmlet:function/schedule-handler@0.1.0' {
  /**
   * `err(message)` (or a trap, or a timeout) retries the event with the schedule's backoff.
   */
  export function handle(event: ScheduleEvent): void;
  export interface ScheduleEvent {
    /**
     * The schedule's name from the manifest.
     */
    name: string,
    /**
     * The tick this event is for, in milliseconds since the Unix epoch (not when it runs).
     */
    scheduledAt: bigint,
  }
}
