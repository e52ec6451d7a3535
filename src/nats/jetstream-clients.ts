// The JetStream API clients every store uses, with one request timeout: creating a replicated
// stream or bucket on a busy cluster can take longer than the client's default 5 s.
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as delay } from 'node:timers/promises';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';

export const apiTimeoutMs = 30_000;

/**
 * A bucket's stream just created on a cluster (or between two leaders) has no responder for a
 * moment, which the client reports as "jetstream is not enabled" (CI saw it on a key-value write
 * right after the bucket's creation). No responder means nobody received the message, so sending
 * it again is always safe, compare-and-swap writes included. Timeouts are not retried here.
 */
export const noResponderDelaysMs: readonly number[] = [50, 100, 250, 500, 1000, 2000];

export function isNoResponders(err: unknown): boolean {
  const e = err as { name?: string; isNoResponders?: () => boolean; cause?: { name?: string } };
  return e?.name === 'JetStreamNotEnabled' || e?.name === 'NoRespondersError' || e?.isNoResponders?.() === true || e?.cause?.name === 'NoRespondersError';
}

export async function retryNoResponders<T>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!isNoResponders(err) || attempt >= noResponderDelaysMs.length) throw err;
      await delay(noResponderDelaysMs[attempt]!);
    }
  }
}

/** A JetStream client whose publishes (what KV and object-store writes are made of) ride out a missing responder. */
export function jetstreamClientOf(nc: NatsConnection): JetStreamClient {
  const js = jetstream(nc, { timeout: apiTimeoutMs });
  const publish = js.publish.bind(js);
  js.publish = (subject, data, options) => retryNoResponders(() => publish(subject, data, options));
  return js;
}

export function managerOf(nc: NatsConnection): Promise<JetStreamManager> {
  return jetstreamManager(nc, { timeout: apiTimeoutMs });
}

export function kvmOf(nc: NatsConnection): Kvm {
  return new Kvm(jetstreamClientOf(nc));
}
