// What the host asks a guest to do: one call of one of its handlers. Plain data: it crosses threads.
import type { GuestRequest, Header } from './outcome.js';

/** A queue message as the guest sees it (wasmlet:function/queue-handler.message). */
export interface GuestMessage {
  readonly id: string;
  readonly body: Uint8Array;
  readonly attempt: number;
  /** Epoch ms of the original send. */
  readonly enqueuedAt: number;
  readonly attributes: readonly Header[];
}

/** wasmlet:function/schedule-handler.schedule-event. */
export interface ScheduleEvent {
  readonly name: string;
  /** Epoch ms of the tick this event is for. */
  readonly scheduledAt: number;
}

export type GuestCall =
  /** `streamResponse`: a wasi:http guest's response goes to the caller as it is written (HTTP routes); otherwise it is returned whole. */
  | { readonly kind: 'http'; readonly request: GuestRequest; readonly streamResponse?: boolean }
  | { readonly kind: 'queue'; readonly queue: string; readonly messages: readonly GuestMessage[] }
  | { readonly kind: 'schedule'; readonly event: ScheduleEvent };

/** The guest's verdict on one message (wasmlet:function/queue-handler.message-result). */
export type MessageResult =
  | { readonly kind: 'ok' }
  /** `delayMs` undefined: the trigger's backoff decides. */
  | { readonly kind: 'retry'; readonly delayMs: number | undefined }
  | { readonly kind: 'fail'; readonly reason: string };
