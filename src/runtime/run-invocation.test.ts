// callInstance masks the guest's own words in its outcome (errors, failure reasons) with the
// instance's redactor, as it masks its log lines; a response body is the guest's answer and is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sleepOnlyLink } from '../capabilities/host-link.js';
import { InvocationLog } from '../capabilities/invocation-log.js';
import { Redactor } from '../capabilities/log-redaction.js';
import type { MemoryLease } from './memory-pool.js';
import { callInstance, type LiveInstance } from './run-invocation.js';

const secret = 'Zt4Lr8Wn1Vx6Hc3Bd';

function instanceExporting(exports: Record<string, unknown>): LiveInstance {
  const memories = { recycled: 0, created: 0 } as unknown as MemoryLease;
  return { exports, log: new InvocationLog(new Redactor([secret])), outbox: [], memories, link: sleepOnlyLink, instantiateMicros: 0, uses: 0 };
}

const message = { id: 'm1', body: new Uint8Array(), attempt: 1, enqueuedAt: 0, attributes: [] };

test("a queue message's failure reason is masked; other results are untouched", () => {
  const instance = instanceExporting({ queueHandler: { handle: () => [{ tag: 'fail', val: `bad key ${secret}` }, { tag: 'ok' }] } });
  const result = callInstance(instance, { kind: 'queue', queue: 'jobs', messages: [message, { ...message, id: 'm2' }] }, 1024, 'fresh');
  assert.deepEqual(result.outcome, { kind: 'batch_ok', results: [{ kind: 'fail', reason: 'bad key [redacted]' }, { kind: 'ok' }] });
});

test('a guest error is masked in the outcome and in the host line that reports it', () => {
  const error = Object.assign(new Error('guest error'), { payload: `rejected ${secret}` });
  const instance = instanceExporting({ httpHandler: { handle: () => { throw error; } } });
  const request = { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array() };
  const result = callInstance(instance, { kind: 'http', request }, 1024, 'fresh');
  assert.deepEqual(result.outcome, { kind: 'guest_error', message: 'rejected [redacted]' });
  assert.deepEqual(result.logs.map((l) => l.message), ['guest_error: rejected [redacted]']);
});

test('a response body is the guest\'s answer: never altered', () => {
  const body = new TextEncoder().encode(`key=${secret}`);
  const instance = instanceExporting({ httpHandler: { handle: () => ({ status: 200, headers: [], body }) } });
  const request = { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array() };
  const result = callInstance(instance, { kind: 'http', request }, 1024, 'fresh');
  assert.equal(result.outcome.kind, 'ok');
  assert.equal(new TextDecoder().decode((result.outcome as { response: { body: Uint8Array } }).response.body), `key=${secret}`);
});
