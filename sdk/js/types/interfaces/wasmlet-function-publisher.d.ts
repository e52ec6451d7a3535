declare module 'wasmlet:function/publisher@0.1.0' {
  /**
   * The new message's id; `err(reason)` when the queue is not in `publish`, or the message is
   * too large or malformed. Nothing is sent until the invocation returns.
   */
  export function send(queue: string, message: OutgoingMessage): string;
  export interface OutgoingMessage {
    body: Uint8Array,
    /**
     * Routing metadata, e.g. ("content-type", "application/json"); at most 32 pairs.
     */
    attributes: Array<[string, string]>,
    /**
     * Hidden from consumers for this many milliseconds after publishing; 0 for none.
     */
    delayMs: number,
  }
}
