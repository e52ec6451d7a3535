declare module 'wasmlet:function/queue-handler@0.1.0' {
  /**
   * One result per message, in the order given (a batch may partly fail). `err(message)` (or a
   * trap, or a timeout) retries the whole batch.
   */
  export function handle(queue: string, messages: Array<Message>): Array<MessageResult>;
  export interface Message {
    /**
     * Unique within its queue; the same on every redelivery (deduplicate with it).
     */
    id: string,
    body: Uint8Array,
    /**
     * 1 on the first delivery, 2 on the first redelivery, ...
     */
    attempt: number,
    /**
     * When the message was first sent, in milliseconds since the Unix epoch.
     */
    enqueuedAt: bigint,
    attributes: Array<[string, string]>,
  }
  export type MessageResult = MessageResultOk | MessageResultRetry | MessageResultFail;
  /**
   * Done: the message is deleted.
   */
  export interface MessageResultOk {
    tag: 'ok',
  }
  /**
   * Deliver again after this many milliseconds, or after the trigger's backoff when none.
   * After `max_attempts` deliveries the message goes to the dead-letter queue instead.
   */
  export interface MessageResultRetry {
    tag: 'retry',
    val: number | undefined,
  }
  /**
   * Permanent failure: the message goes to the dead-letter queue now, with this reason.
   */
  export interface MessageResultFail {
    tag: 'fail',
    val: string,
  }
}
