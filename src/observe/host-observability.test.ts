import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvocationRecord } from '../invoke/invocation-observer.js';
import { HostObservability } from './host-observability.js';

const deployed = new Set(['api']);
const observability = () =>
  new HostObservability({
    queues: async () => [{ queue: 'jobs', visible: 3, inFlight: 1, delayed: 0, oldestAgeMs: 2500 }],
    triggerQueues: () => [{ queue: 'jobs', deadLetter: 'jobs-dlq' }],
    asyncInvocations: () => ({ queued: 1, retrying: 0, succeeded: 2, failed: 0, expired: 0 }),
    workers: () => ({ computeSlots: 2 }),
    functionCount: () => deployed.size,
    isActive: (name) => deployed.has(name),
  });

function answered(status: number, totalMs = 2): InvocationRecord {
  return { functionName: 'api', trigger: 'http', totalMs, result: { outcome: { kind: 'ok', response: { status, headers: [], body: new Uint8Array() } }, logs: [] } };
}

test('an HTTP answer with a 5xx status is an error in the history, a 4xx is not; both are outcome ok in the metrics', async () => {
  const observed = observability();
  try {
    observed.invoked(answered(200));
    observed.invoked(answered(404));
    observed.invoked(answered(503));
    observed.invoked({ functionName: 'api', trigger: 'queue', totalMs: 1, result: { outcome: { kind: 'trap', message: 'unreachable' }, logs: [] } });
    const now = observed.functionStats('api').points.at(-1)!;
    assert.equal(now.requests, 4);
    assert.equal(now.errors, 2);
    const text = await observed.metricsText();
    assert.match(text, /^wasmlet_invocations_total\{function="api",trigger="http",outcome="ok"\} 3$/m);
    assert.match(text, /^wasmlet_invocations_total\{function="api",trigger="queue",outcome="trap"\} 1$/m);
  } finally {
    observed.close();
  }
});

test('queue gauges come from the sources at scrape time; a dead-letter queue with nothing in it reads 0', async () => {
  const observed = observability();
  try {
    const text = await observed.metricsText();
    assert.match(text, /^wasmlet_queue_depth\{queue="jobs"\} 3$/m);
    assert.match(text, /^wasmlet_queue_in_flight\{queue="jobs"\} 1$/m);
    assert.match(text, /^wasmlet_queue_oldest_message_age_seconds\{queue="jobs"\} 2\.5$/m);
    assert.match(text, /^wasmlet_queue_depth\{queue="jobs-dlq"\} 0$/m);
    assert.match(text, /^wasmlet_queue_dead_letters\{queue="jobs",dead_letter_queue="jobs-dlq"\} 0$/m);
    assert.match(text, /^wasmlet_async_invocations\{state="succeeded"\} 2$/m);
  } finally {
    observed.close();
  }
});

test('a call of a function no longer deployed is not counted; forget removes what was', async () => {
  const observed = observability();
  try {
    observed.invoked(answered(200));
    deployed.delete('api');
    observed.forget('api');
    observed.invoked(answered(200)); // ended after the delete
    assert.doesNotMatch(await observed.metricsText(), /function="api"/);
    assert.equal(observed.functionStats('api').points.at(-1)!.requests, 0);
  } finally {
    deployed.add('api');
    observed.close();
  }
});

test('host stats: the shape the console reads', () => {
  const observed = observability();
  try {
    const stats = observed.hostStats();
    assert.deepEqual(Object.keys(stats).sort(), ['eventLoopDelayP99Ms', 'functions', 'heapUsedBytes', 'rssBytes', 'uptimeSeconds', 'workers']);
    assert.deepEqual(stats.workers, { computeSlots: 2 });
    assert.equal(stats.functions, 1);
  } finally {
    observed.close();
  }
});
