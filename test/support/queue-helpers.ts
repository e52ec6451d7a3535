// Helpers for queue tests against a host: read a queue through the admin API, wait for a condition.
import type { TestHost } from './test-host.js';

export interface PeekedMessage {
  readonly id: string;
  readonly state: string;
  readonly attempt: number;
  readonly lastError: string | null;
  readonly attributes: Record<string, string>;
  readonly text: string | null;
}

/** Every message of `queue` (oldest first), whatever its state. */
export async function peek(host: Pick<TestHost, 'admin'>, queue: string): Promise<PeekedMessage[]> {
  const response = await host.admin(`/v1/queues/${queue}/messages?limit=1000`);
  if (response.status !== 200) throw new Error(`peek ${queue}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { messages: PeekedMessage[] }).messages;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends text messages to `queue` in one batch request; their ids in order. */
export async function sendTexts(host: Pick<TestHost, 'admin'>, queue: string, bodies: readonly string[]): Promise<string[]> {
  const response = await host.admin(`/v1/queues/${queue}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.wasmlet.batch+json' },
    body: JSON.stringify({ messages: bodies.map((body) => ({ body })) }),
  });
  if (response.status !== 202) throw new Error(`send to ${queue}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { ids: string[] }).ids;
}

/** A clock that runs with real time plus an offset the test moves (simulated downtime, aging). */
export class OffsetClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}
