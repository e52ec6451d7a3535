// What a JetStream delivery tells: the ack subject's delivery count and stream sequence, the
// receipt handle a lease is given as, and the name a settlement's published messages derive their
// message ids from.
import { createHash } from 'node:crypto';

/** A lease as this host holds it: the delivery's ack subject, and when this host stops counting on it. */
export interface Lease {
  readonly reply: string;
  readonly expiresAt: number;
}

export function receiptHandleOf(lease: Lease): string {
  return `${lease.reply}|${lease.expiresAt}`;
}

/** `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<ns>.<pending>`, or the 12-token form with domain and account. */
export function parseAckSubject(subject: string): { readonly delivered: number; readonly streamSeq: number } {
  const tokens = subject.split('.');
  const offset = tokens.length === 9 ? 2 : 4;
  return { delivered: Number(tokens[offset + 2]), streamSeq: Number(tokens[offset + 3]) };
}

export function streamOfAck(subject: string): string | undefined {
  const tokens = subject.split('.');
  return tokens[tokens.length === 9 ? 2 : 4];
}

export function parseReceiptHandle(handle: unknown): Lease | undefined {
  if (typeof handle !== 'string') return undefined;
  const bar = handle.lastIndexOf('|');
  if (bar < 0 || !handle.startsWith('$JS.ACK.')) return undefined;
  const expiresAt = Number(handle.slice(bar + 1));
  return Number.isFinite(expiresAt) ? { reply: handle.slice(0, bar), expiresAt } : undefined;
}

/**
 * The batch a settlement settles, as a stable name: its handles' stream sequences (the same on a
 * redelivery of the same messages). The handler's published messages get `<origin>.<index>` as
 * their Nats-Msg-Id, so publishing them again after a crash is a duplicate the stream drops.
 */
export function outboxOrigin(handles: readonly string[]): string | undefined {
  const seqs = handles.map((h) => parseReceiptHandle(h)).filter((l): l is Lease => l !== undefined).map((l) => parseAckSubject(l.reply).streamSeq);
  if (seqs.length === 0) return undefined;
  return `outbox-${createHash('sha256').update([...seqs].sort((a, b) => a - b).join(',')).digest('hex').slice(0, 32)}`;
}
