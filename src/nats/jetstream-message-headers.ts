// What a queue message carries in its NATS headers besides its body (jetstream-queue-store.ts): its id,
// when it was first enqueued, its attributes, when it may be delivered, and what a dead-lettered or
// redriven copy carries over (deliveries before, the last error).
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { ParsedMessage } from '../queue/queue-input.js';

/** Headers a message carries besides its body. */
export const header = {
  id: 'Wasmlet-Id',
  enqueuedAt: 'Wasmlet-Enqueued-At',
  attributes: 'Wasmlet-Attributes',
  notBefore: 'Wasmlet-Not-Before',
  /** Deliveries before this stream's (a dead-lettered message keeps its count; a redrive resets it). */
  priorAttempts: 'Wasmlet-Prior-Attempts',
  lastError: 'Wasmlet-Last-Error',
} as const;

export interface Carried {
  readonly enqueuedAt: number;
  readonly priorAttempts: number;
  readonly lastError: string | null;
}

/** What a stored message carries besides its body (Nats-Msg-Id is the publisher's). */
export function headersOf(m: ParsedMessage, now: number, carried: Carried): MsgHdrs {
  const h = natsHeaders();
  h.set(header.id, m.id);
  h.set(header.enqueuedAt, String(carried.enqueuedAt));
  if (m.attributesJson !== '{}') h.set(header.attributes, m.attributesJson);
  if (m.delayMs > 0) h.set(header.notBefore, String(now + m.delayMs));
  if (carried.priorAttempts > 0) h.set(header.priorAttempts, String(carried.priorAttempts));
  if (carried.lastError !== null) h.set(header.lastError, headerSafe(carried.lastError));
  return h;
}

export function parseAttributes(h: MsgHdrs | undefined): Record<string, string> {
  const json = h?.get(header.attributes);
  return json ? (JSON.parse(json) as Record<string, string>) : {};
}

/** Header values are one line. */
function headerSafe(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
