// One call to a function through each kind of trigger, classified the same way for all of them, for
// the load generator's child process. Connections are kept alive between calls and between jobs.
import { Agent, request, type Dispatcher } from 'undici';
import type { LoadTarget } from './load-protocol.js';

export interface CallOutcome {
  /** The HTTP status of the answer; undefined when none came (transport failure). */
  readonly status?: number | undefined;
  /** ok, a host error code (problem+json `code`), function_error, dead_lettered or transport. */
  readonly outcome: string;
  readonly error?: string | undefined;
}

export type FunctionCaller = () => Promise<CallOutcome>;

/** Generous: the bench measures slow calls, it does not cut them off (the function's own timeout_ms does). */
const callTimeoutMs = 120_000;
/** The peek page: a queue target's messages in flight must fit in it (connections ≤ this). */
const peekLimit = 1000;
/** Between two peeks that found every message still there. */
const pollPauseMs = 1;

export function createCaller(target: LoadTarget, agent: Agent): FunctionCaller {
  switch (target.kind) {
    case 'http': {
      const body = bodyOf(target.bodyBase64);
      return () => classified(agent, target.url, { method: target.method as Dispatcher.HttpMethod, headers: { ...target.headers }, body });
    }
    case 'invoke': {
      const body = bodyOf(target.bodyBase64) ?? new Uint8Array();
      const url = `${target.adminUrl}/v1/functions/${encodeURIComponent(target.name)}/invoke`;
      const headers = { 'content-type': target.contentType, ...authorization(target.token) };
      return () => classified(agent, url, { method: 'POST', headers, body });
    }
    case 'queue':
      return queueCaller(target, agent);
  }
}

/** Sends the request, reads the whole answer, and names its outcome. */
async function classified(agent: Agent, url: string, options: { method: Dispatcher.HttpMethod; headers: Record<string, string>; body: Uint8Array | undefined }): Promise<CallOutcome> {
  try {
    const res = await request(url, { ...options, body: options.body ?? null, dispatcher: agent, headersTimeout: callTimeoutMs, bodyTimeout: callTimeoutMs });
    const text = await res.body.text();
    if (res.statusCode < 400) return { status: res.statusCode, outcome: 'ok' };
    const type = String(res.headers['content-type'] ?? '');
    if (type.includes('problem+json')) return { status: res.statusCode, outcome: problemCode(text) ?? 'host_error' };
    return { status: res.statusCode, outcome: 'function_error' };
  } catch (err) {
    return { outcome: 'transport', error: errorText(err) };
  }
}

function problemCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A queue call: send one message, then wait until it has left the queue. One watcher per target polls
 * the queue's oldest messages back to back while any of ours are in it (the latency's resolution is one
 * poll and its pause, ~1-2 ms on loopback); a message gone from the queue and found in the dead-letter queue failed.
 */
function queueCaller(target: Extract<LoadTarget, { kind: 'queue' }>, agent: Agent): FunctionCaller {
  const body = bodyOf(target.bodyBase64) ?? new Uint8Array();
  const headers = { 'content-type': target.contentType, ...authorization(target.token) };
  const base = `${target.adminUrl}/v1/queues/`;
  const waiting = new Map<string, (outcome: CallOutcome) => void>();
  let polling = false;

  const idsIn = async (queue: string): Promise<Set<string>> => {
    const res = await request(`${base}${encodeURIComponent(queue)}/messages?limit=${peekLimit}`, { dispatcher: agent, headers: authorization(target.token) });
    const text = await res.body.text();
    if (res.statusCode === 404) return new Set();
    if (res.statusCode !== 200) throw new Error(`peek ${queue}: ${res.statusCode} ${text.slice(0, 200)}`);
    return new Set((JSON.parse(text) as { messages: { id: string }[] }).messages.map((m) => m.id));
  };

  const poll = async (): Promise<void> => {
    polling = true;
    try {
      while (waiting.size > 0) {
        let present: Set<string>;
        try {
          present = await idsIn(target.queue);
        } catch (err) {
          for (const [id, resolve] of waiting) (waiting.delete(id), resolve({ outcome: 'transport', error: errorText(err) }));
          return;
        }
        const gone = [...waiting.keys()].filter((id) => !present.has(id));
        if (gone.length === 0) {
          // Each peek costs the host a query: a pause keeps the watcher from being the load itself.
          await new Promise((resolve) => setTimeout(resolve, pollPauseMs));
          continue;
        }
        const dead = target.deadLetter ? await idsIn(target.deadLetter).catch(() => new Set<string>()) : new Set<string>();
        for (const id of gone) {
          const resolve = waiting.get(id)!;
          waiting.delete(id);
          resolve(dead.has(id) ? { status: 202, outcome: 'dead_lettered' } : { status: 202, outcome: 'ok' });
        }
      }
    } finally {
      polling = false;
    }
  };

  return async () => {
    let id: string;
    try {
      const res = await request(`${base}${encodeURIComponent(target.queue)}/messages`, { method: 'POST', headers, body, dispatcher: agent });
      const text = await res.body.text();
      if (res.statusCode !== 202) return { status: res.statusCode, outcome: problemCode(text) ?? 'send_refused' };
      id = (JSON.parse(text) as { ids: string[] }).ids[0]!;
    } catch (err) {
      return { outcome: 'transport', error: errorText(err) };
    }
    const done = new Promise<CallOutcome>((resolve) => waiting.set(id, resolve));
    if (!polling) void poll();
    return done;
  };
}

function authorization(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

function bodyOf(base64: string | undefined): Uint8Array | undefined {
  return base64 === undefined ? undefined : new Uint8Array(Buffer.from(base64, 'base64'));
}

function errorText(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' ? `${err.code}: ${err.message}` : err.message;
  return String(err);
}
