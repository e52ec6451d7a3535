// Several messages into one JetStream stream as one atomic batch (nats-server 2.12+, stream config
// `allow_atomic`): every message carries `Nats-Batch-Id` and `Nats-Batch-Sequence`, the last one
// `Nats-Batch-Commit: 1`, and the server stores all of them or none (a limit refused by discard-new,
// a duplicate id, a batch over its size limit: nothing is stored).
//
// De-duplication inside an atomic batch is all or none too: one `Nats-Msg-Id` the stream still
// remembers refuses the whole batch (10201), without saying which. A queue send must drop only the
// repeated ids (as the embedded store does), so on that refusal each id is probed: a one-message
// batch with the id and a `Nats-Stream-Source` header, which the server checks right after the
// duplicate check and refuses for a message that is not sourced (10227). Either way the probe
// stores nothing: 10201 says "remembered", 10227 "new". The new ones are then sent again as one batch.
import { headers as natsHeaders, nuid, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import { setTimeout as delay } from 'node:timers/promises';
import { isNoResponders, noResponderDelaysMs } from './jetstream-clients.js';

/** The server's `jetstream.limits.batch.max_msgs` default: the most messages one atomic batch holds. */
export const maxAtomicBatchMessages = 1000;

export interface BatchMessage {
  readonly body: Uint8Array;
  /** The message's own headers (not the batch's; they are added to a copy). */
  readonly headers: MsgHdrs;
  /** Its `Nats-Msg-Id`: the stream drops an id it has seen within its duplicate window. */
  readonly msgId: string;
}

/** The JetStream API error that refused a batch (its `err_code` says why). */
export class BatchRefusedError extends Error {
  constructor(readonly code: number, readonly errCode: number, description: string) {
    super(description);
    this.name = 'BatchRefusedError';
  }
}

export const batchErrors = {
  atomicDisabled: 10174,
  tooLarge: 10199,
  containsDuplicate: 10201,
  duplicateInProcess: 10158,
  tooManyInflight: 10210,
  sourceHeaderNotAllowed: 10227,
} as const;

export interface AtomicBatchOptions {
  readonly nc: NatsConnection;
  readonly subject: string;
  readonly stream: string;
  /** How long the commit waits for the stream's answer. */
  readonly timeoutMs: number;
}

// A stream holds at most 50 unfinished batches (max_inflight_per_stream): more sends at once wait.
const inflightDelaysMs = [10, 25, 50, 100, 250, 500, 1000];
/** Rounds of "drop the remembered ids, send the rest": each round only meets ids sent meanwhile by someone else. */
const duplicateRounds = 5;
const probeWindow = 32;
/** What the probe's source header says (any value: a message that is not sourced may not carry one). */
const probeSource = 'wasmlet-duplicate-probe';

/**
 * Stores `messages` (≤ maxAtomicBatchMessages) in the stream all at once, dropping those whose id the
 * stream still remembers; returns how many were dropped so. Throws BatchRefusedError when the stream
 * refused the batch (nothing of it stored), or the connection's error.
 */
export async function publishAtomicBatch(options: AtomicBatchOptions, messages: readonly BatchMessage[]): Promise<{ duplicates: number }> {
  // An id twice in one batch refuses it (10201) like a remembered one: the first is kept, as a stream would.
  const seen = new Set<string>();
  let pending = messages.filter((m) => !seen.has(m.msgId) && seen.add(m.msgId));
  for (let round = 0; ; round++) {
    if (pending.length === 0) return { duplicates: messages.length };
    try {
      await commitBatch(options, pending);
      return { duplicates: messages.length - pending.length };
    } catch (err) {
      if (!isDuplicateRefusal(err) || round >= duplicateRounds) throw err;
      const remembered: boolean[] = [];
      // A window of probes at once: each is a batch, and a stream holds at most 50 unfinished ones.
      for (let start = 0; start < pending.length; start += probeWindow) {
        remembered.push(...await Promise.all(pending.slice(start, start + probeWindow).map((m) => isRemembered(options, m.msgId))));
      }
      pending = pending.filter((_, i) => !remembered[i]);
    }
  }
}

async function commitBatch(options: AtomicBatchOptions, messages: readonly BatchMessage[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await sendBatch(options, messages);
      return;
    } catch (err) {
      if (isNoResponders(err) && attempt < noResponderDelaysMs.length) {
        await delay(noResponderDelaysMs[attempt]!);
        continue;
      }
      if (err instanceof BatchRefusedError && err.errCode === batchErrors.tooManyInflight && attempt < inflightDelaysMs.length) {
        await delay(inflightDelaysMs[attempt]!);
        continue;
      }
      throw err;
    }
  }
}

/** The first message asks for an answer (a missing stream shows at once), the middle ones do not, the commit does. */
async function sendBatch({ nc, subject, stream, timeoutMs }: AtomicBatchOptions, messages: readonly BatchMessage[]): Promise<void> {
  const id = nuid.next();
  const last = messages.length;
  for (let seq = 1; seq <= last; seq++) {
    const m = messages[seq - 1]!;
    const h = copyHeaders(m.headers);
    h.set('Nats-Msg-Id', m.msgId);
    h.set('Nats-Expected-Stream', stream);
    h.set('Nats-Batch-Id', id);
    h.set('Nats-Batch-Sequence', String(seq));
    if (seq === last) {
      h.set('Nats-Batch-Commit', '1');
      const ack = parseAnswer(await nc.request(subject, m.body, { headers: h, timeout: timeoutMs }));
      if (ack?.count !== last) throw new Error(`the stream stored a batch of ${String(ack?.count)} messages, not ${last}`);
    } else if (seq === 1) {
      parseAnswer(await nc.request(subject, m.body, { headers: h, timeout: timeoutMs }));
    } else {
      nc.publish(subject, m.body, { headers: h });
    }
  }
}

/** Whether the stream remembers `msgId` (within its duplicate window); stores nothing. */
async function isRemembered(options: AtomicBatchOptions, msgId: string): Promise<boolean> {
  const h = natsHeaders();
  h.set('Nats-Stream-Source', probeSource);
  try {
    await commitBatch(options, [{ body: new Uint8Array(), headers: h, msgId }]);
  } catch (err) {
    if (isDuplicateRefusal(err)) return true;
    if (err instanceof BatchRefusedError && err.errCode === batchErrors.sourceHeaderNotAllowed) return false;
    throw err;
  }
  throw new Error(`the duplicate probe of message id ${msgId} was stored: this nats-server checks batches differently`);
}

function isDuplicateRefusal(err: unknown): boolean {
  return err instanceof BatchRefusedError && (err.errCode === batchErrors.containsDuplicate || err.errCode === batchErrors.duplicateInProcess);
}

interface BatchAnswer {
  readonly count?: number;
  readonly error?: { code: number; err_code: number; description: string };
}

/** An empty answer acknowledges a message inside the batch; JSON answers the commit or refuses. */
function parseAnswer(msg: { data: Uint8Array; string(): string }): BatchAnswer | undefined {
  if (msg.data.length === 0) return undefined;
  const answer = JSON.parse(msg.string()) as BatchAnswer;
  if (answer.error) throw new BatchRefusedError(answer.error.code, answer.error.err_code, answer.error.description);
  return answer;
}

function copyHeaders(from: MsgHdrs): MsgHdrs {
  const h = natsHeaders();
  for (const [key, values] of from) for (const value of values) h.append(key, value);
  return h;
}

