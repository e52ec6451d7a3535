// A `[[queue]]` trigger: turns a leased batch into one guest call and the guest's per-message
// results into one settlement (acks, retries with backoff, dead letters, published messages).
// A batch that fails as a whole (trap, timeout, err) is split in halves and retried at once, so one
// poison message is cornered in a few calls and ends in the DLQ alone instead of taking its batch along.
import { randomUUID } from 'node:crypto';
import type { QueueTriggerSpec } from '../../manifest/manifest.js';
import type { LeasedMessage, Settlement } from '../../queue/queue-store.js';
import type { ActiveFunction } from '../../registry/registry.js';
import type { PublishedMessage } from '../../capabilities/publisher-interface.js';
import type { GuestMessage, MessageResult } from '../../runtime/guest-call.js';
import { failureText } from '../../runtime/outcome-status.js';
import { retryDelayMs } from './backoff.js';
import type { BatchHandler } from './queue-poller.js';
import type { TriggerDeps } from './trigger-deps.js';
import { BatchTrace } from '../../tracing/trace-messages.js';

/** The verdict on one message: the guest's own, or the failure of the call it was part of. */
type Verdict = MessageResult | { readonly kind: 'error'; readonly message: string };

interface Judged {
  readonly verdicts: ReadonlyMap<LeasedMessage, Verdict>;
  readonly published: readonly PublishedMessage[];
}

export function queueTriggerHandler(deps: TriggerDeps, functionName: string, spec: QueueTriggerSpec): BatchHandler {
  return async (messages) => {
    const fn = deps.functions(functionName);
    if (!fn) {
      // Deleted while the batch was being leased: give the messages back untouched for whoever consumes next.
      await deps.store.settle(spec.queue, { retry: messages.map((m) => ({ receiptHandle: m.receiptHandle, delayMs: 0 })) });
      return;
    }
    const batch = deps.tracer ? new BatchTrace(deps.tracer, spec.queue, messages) : undefined;
    const judged = await judge(deps, fn, spec.queue, messages, batch);
    await deps.store.settle(spec.queue, settlementOf(deps, spec, judged));
    if (batch) for (const [message, verdict] of judged.verdicts) batch.end(message, verdict.kind, failureOf(verdict));
  };
}

async function judge(deps: TriggerDeps, fn: ActiveFunction, queue: string, messages: LeasedMessage[], batch: BatchTrace<LeasedMessage> | undefined): Promise<Judged> {
  const result = await deps.invoker.run(fn, { kind: 'queue', queue, messages: messages.map(toGuestMessage) }, randomUUID(), batch?.parentOf(messages));
  const { outcome } = result;
  if (outcome.kind === 'batch_ok') {
    return { verdicts: new Map(messages.map((m, i) => [m, outcome.results[i]!])), published: result.published ?? [] };
  }
  // Splitting corners a message that makes the guest fail; it cannot help when the host itself is
  // the problem (no free worker, code that will not load): then the whole batch is retried later.
  const guestFailed = outcome.kind !== 'overloaded' && outcome.kind !== 'host_error';
  if (messages.length > 1 && guestFailed) {
    const half = Math.ceil(messages.length / 2);
    const parts = await Promise.all([judge(deps, fn, queue, messages.slice(0, half), batch), judge(deps, fn, queue, messages.slice(half), batch)]);
    return { verdicts: new Map(parts.flatMap((p) => [...p.verdicts])), published: parts.flatMap((p) => p.published) };
  }
  const message = failureText(outcome, fn.name);
  return { verdicts: new Map(messages.map((m) => [m, { kind: 'error', message }])), published: [] };
}

function settlementOf(deps: TriggerDeps, spec: QueueTriggerSpec, judged: Judged): Settlement {
  const ack: string[] = [];
  const retry: Array<{ receiptHandle: string; delayMs: number; error?: string }> = [];
  const deadLetter: Array<{ receiptHandle: string; queue: string; reason: string }> = [];
  for (const [message, verdict] of judged.verdicts) {
    const { receiptHandle, attempt } = message;
    const exhausted = attempt >= spec.maxAttempts;
    switch (verdict.kind) {
      case 'ok':
        ack.push(receiptHandle);
        break;
      case 'fail':
        deadLetter.push({ receiptHandle, queue: spec.deadLetter, reason: verdict.reason });
        break;
      case 'retry':
        if (exhausted) deadLetter.push({ receiptHandle, queue: spec.deadLetter, reason: `retry requested after attempt ${attempt} of ${spec.maxAttempts}` });
        else retry.push({ receiptHandle, delayMs: verdict.delayMs ?? retryDelayMs(spec.backoff, attempt, deps.random) });
        break;
      case 'error':
        if (exhausted) deadLetter.push({ receiptHandle, queue: spec.deadLetter, reason: `${verdict.message} (attempt ${attempt} of ${spec.maxAttempts})` });
        else retry.push({ receiptHandle, delayMs: retryDelayMs(spec.backoff, attempt, deps.random), error: verdict.message });
        break;
    }
  }
  return { ack, retry, deadLetter, publish: judged.published };
}

/** What a message's span reports as its failure, if it failed. */
function failureOf(verdict: Verdict): string | undefined {
  return verdict.kind === 'error' ? verdict.message : verdict.kind === 'fail' ? verdict.reason : undefined;
}

export function toGuestMessage(m: LeasedMessage): GuestMessage {
  return { id: m.id, body: m.body, attempt: m.attempt, enqueuedAt: m.enqueuedAt, attributes: Object.entries(m.attributes) };
}
