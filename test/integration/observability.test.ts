// Metrics, the console's history and live logs on a real host: /metrics parsed by a strict
// Prometheus text parser with the counts a few real calls must produce, the token (and
// --metrics-public on loopback only), /v1/functions/:name/stats and /v1/host/stats, and a
// `logs?follow=1` stream over a real socket receiving a line produced after it connected.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { request } from 'undici';
import { listenApp } from '../../src/host/listen.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { examplesDir, fixtureComponent } from '../support/paths.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';
import { parsePrometheusText, sampleValue } from '../support/prometheus-text.js';
import { errorCodeOf, startTestHost } from '../support/test-host.js';

const helloC = join(examplesDir, 'hello-c', 'hello-c.wasm');

describe('observability', () => {
  test('/metrics counts invocations by function, trigger and outcome, with durations, instances, deploys, queues and process metrics', async () => {
    const host = await startTestHost();
    try {
      const greeter = bundleWith(manifestFor('greeter', '/greet'), helloC);
      assert.equal((await host.deploy(greeter)).status, 201);
      assert.equal((await host.deploy(bundleWith(manifestFor('crasher', '/crash'), fixtureComponent('trap')))).status, 201);
      assert.equal((await host.deploy(greeter)).status, 200); // the same bytes: unchanged
      for (let i = 0; i < 3; i++) assert.equal((await host.get('/greet?name=ada')).status, 200);
      assert.equal((await host.admin('/v1/functions/greeter/invoke', { method: 'POST', body: '{}' })).status, 200);
      assert.equal((await host.get('/crash')).status, 502);
      assert.equal((await host.admin('/v1/queues/jobs/messages', { method: 'POST', body: 'one' })).status, 202);

      const scraped = await host.admin('/metrics');
      assert.equal(scraped.status, 200);
      assert.match(scraped.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const metrics = parsePrometheusText(await scraped.text());

      assert.equal(metrics.get('wasmlet_invocations_total')?.type, 'counter');
      assert.equal(sampleValue(metrics, 'wasmlet_invocations_total', { function: 'greeter', trigger: 'http', outcome: 'ok' }), 3);
      assert.equal(sampleValue(metrics, 'wasmlet_invocations_total', { function: 'greeter', trigger: 'direct', outcome: 'ok' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_invocations_total', { function: 'crasher', trigger: 'http', outcome: 'trap' }), 1);
      assert.equal(metrics.get('wasmlet_invocation_duration_seconds')?.type, 'histogram');
      assert.equal(sampleValue(metrics, 'wasmlet_invocation_duration_seconds_count', { function: 'greeter' }), 4);
      assert.equal(sampleValue(metrics, 'wasmlet_invocation_queue_wait_seconds_count', { function: 'greeter' }), 4);
      assert.equal(sampleValue(metrics, 'wasmlet_invocation_guest_run_seconds_count', { function: 'greeter' }), 4);
      const origins = ['fresh', 'pre-instantiated', 'reused'].map((origin) => sampleValue(metrics, 'wasmlet_instances_total', { function: 'greeter', origin }) ?? 0);
      assert.equal(origins.reduce((a, b) => a + b, 0), 4);
      assert.equal(sampleValue(metrics, 'wasmlet_invocation_instantiate_seconds_count', { function: 'greeter' }) ?? 0, origins[0]);
      const memories = (sampleValue(metrics, 'wasmlet_memory_pool_hits_total') ?? 0) + (sampleValue(metrics, 'wasmlet_memory_pool_misses_total') ?? 0);
      assert.ok(memories >= 4, `every greeter instance took a memory from the pool or a new one (${memories})`);
      assert.equal(sampleValue(metrics, 'wasmlet_deploys_total', { outcome: 'created' }), 2);
      assert.equal(sampleValue(metrics, 'wasmlet_deploys_total', { outcome: 'unchanged' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_deploy_duration_seconds_count', { outcome: 'created' }), 2);
      assert.equal(sampleValue(metrics, 'wasmlet_worker_restarts_total', { cause: 'timeout' }), 0);
      assert.equal(sampleValue(metrics, 'wasmlet_queue_depth', { queue: 'jobs' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_queue_in_flight', { queue: 'jobs' }), 0);
      for (const state of ['queued', 'retrying', 'succeeded', 'failed', 'expired']) assert.equal(sampleValue(metrics, 'wasmlet_async_invocations', { state }), 0);
      for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']) {
        assert.ok(metrics.has(name), `${name} is exposed`);
      }
      // Bounded labels: no request ids or paths anywhere.
      for (const family of metrics.values()) {
        for (const sample of family.samples) for (const value of Object.values(sample.labels)) assert.doesNotMatch(value, /^\/|[0-9a-f]{8}-[0-9a-f]{4}-/);
      }

      // A deleted function's series go with it.
      assert.equal((await host.admin('/v1/functions/crasher', { method: 'DELETE' })).status, 200);
      const after = parsePrometheusText(await (await host.admin('/metrics')).text());
      assert.equal(sampleValue(after, 'wasmlet_invocations_total', { function: 'crasher' }), undefined);
      assert.equal(sampleValue(after, 'wasmlet_invocations_total', { function: 'greeter', trigger: 'http' }), 3);
    } finally {
      await host.close();
    }
  });

  test('/metrics counts worker restarts by cause, outbound requests by host and outcome, async invocations by state, trigger dead letters', async () => {
    const upstream = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/x`;
    const host = await startTestHost();
    try {
      const deploys = [
        bundleWith(manifestFor('looper', '/loop', '\n[limits]\ntimeout_ms = 300\n'), fixtureComponent('infinite-loop')),
        bundleWith(manifestFor('caller', '/call', '').replace('[[http]]', 'allowed_outbound_hosts = ["http://127.0.0.1:*"]\n\n[[http]]'), fixtureComponent('outbound')),
        bundleWith(manifestFor('greeter', '/greet'), helloC),
        bundleWith(manifestFor('prober', '/probe', '\n[[queue]]\nqueue = "jobs"\nmax_attempts = 1\n').replace('[[http]]', 'publish = ["probe-out"]\n\n[[http]]'), fixtureComponent('queue-probe')),
      ];
      for (const zip of deploys) assert.equal((await host.deploy(zip)).status, 201);

      assert.equal((await host.get('/loop')).status, 504);
      assert.equal((await host.get(`/call?url=${encodeURIComponent(upstreamUrl)}`)).status, 200);
      assert.equal((await host.get(`/call?url=${encodeURIComponent('http://192.0.2.1:81/')}`)).status, 502); // not granted: denied
      const submitted = await host.admin('/v1/functions/greeter/invoke', { method: 'POST', body: '{}', headers: { 'x-wasmlet-invocation-type': 'Event' } });
      assert.equal(submitted.status, 202);
      const { invocationId } = (await submitted.json()) as { invocationId: string };
      assert.equal((await host.admin('/v1/queues/jobs/messages', { method: 'POST', body: 'fail:poison' })).status, 202);

      // Both run in the background: wait for their end states, then scrape.
      await until(async () => ((await (await host.admin(`/v1/invocations/${invocationId}`)).json()) as { invocation: { state: string } }).invocation.state === 'succeeded');
      await until(async () => ((await (await host.admin('/v1/queues/jobs-dlq')).json()) as { visible: number }).visible === 1);
      const metrics = parsePrometheusText(await (await host.admin('/metrics')).text());

      assert.equal(sampleValue(metrics, 'wasmlet_worker_restarts_total', { cause: 'timeout' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_invocations_total', { function: 'looper', trigger: 'http', outcome: 'timeout' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_outbound_requests_total', { function: 'caller', host: '127.0.0.1', outcome: 'ok' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_outbound_requests_total', { function: 'caller', host: '192.0.2.1', outcome: 'denied' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_invocations_total', { function: 'greeter', trigger: 'async', outcome: 'ok' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_async_invocations', { state: 'succeeded' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_invocations_total', { function: 'prober', trigger: 'queue', outcome: 'batch_ok' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_queue_dead_letters', { queue: 'jobs', dead_letter_queue: 'jobs-dlq' }), 1);
      assert.equal(sampleValue(metrics, 'wasmlet_queue_depth', { queue: 'jobs' }), 0);
    } finally {
      await host.close();
      upstream.close();
    }
  });

  test('/metrics needs the token, unless --metrics-public (loopback only)', async () => {
    const guarded = await startTestHost();
    try {
      const refused = await guarded.host.adminApp.request('/metrics');
      assert.equal(refused.status, 401);
      assert.equal(await errorCodeOf(refused), 'unauthorized');
    } finally {
      await guarded.close();
    }
    const open = await startTestHost({ metricsPublic: true });
    try {
      const scraped = await open.host.adminApp.request('/metrics');
      assert.equal(scraped.status, 200);
      assert.ok(parsePrometheusText(await scraped.text()).has('wasmlet_invocations_total'));
      // Only /metrics is opened.
      assert.equal((await open.host.adminApp.request('/v1/host/stats')).status, 401);
    } finally {
      await open.close();
    }
    await assert.rejects(startTestHost({ host: '0.0.0.0', token: 'a-token-of-enough-length', metricsPublic: true }), /--metrics-public .* only on loopback/);
  });

  test('/v1/functions/:name/stats counts requests and errors in the current minute; /v1/host/stats reports the host', async () => {
    const host = await startTestHost();
    try {
      assert.equal((await host.deploy(bundleWith(manifestFor('greeter', '/greet'), helloC))).status, 201);
      assert.equal((await host.deploy(bundleWith(manifestFor('crasher', '/crash'), fixtureComponent('trap')))).status, 201);
      for (let i = 0; i < 5; i++) await host.get('/greet');
      for (let i = 0; i < 2; i++) await host.get('/crash');

      const stats = (await (await host.admin('/v1/functions/greeter/stats')).json()) as {
        function: string;
        bucketSeconds: number;
        points: Array<{ t: string; requests: number; errors: number; p50Ms: number | null; p90Ms: number | null; p99Ms: number | null }>;
      };
      assert.equal(stats.function, 'greeter');
      assert.equal(stats.bucketSeconds, 60);
      assert.equal(stats.points.length, 60);
      assert.ok(stats.points.every((p, i) => i === 0 || Date.parse(p.t) - Date.parse(stats.points[i - 1]!.t) === 60_000), 'oldest first, one minute apart');
      // A minute boundary may fall between the calls: count over the whole hour.
      assert.equal(stats.points.reduce((sum, p) => sum + p.requests, 0), 5);
      assert.equal(stats.points.reduce((sum, p) => sum + p.errors, 0), 0);
      const busy = stats.points.filter((p) => p.requests > 0);
      for (const p of busy) assert.ok(p.p50Ms !== null && p.p50Ms > 0 && p.p50Ms <= p.p90Ms! && p.p90Ms! <= p.p99Ms!, JSON.stringify(p));
      assert.ok(stats.points.filter((p) => p.requests === 0).every((p) => p.p50Ms === null));

      const crashes = (await (await host.admin('/v1/functions/crasher/stats')).json()) as { points: Array<{ requests: number; errors: number }> };
      assert.equal(crashes.points.reduce((sum, p) => sum + p.errors, 0), 2);

      const missing = await host.admin('/v1/functions/nope/stats');
      assert.equal(missing.status, 404);
      assert.equal(await errorCodeOf(missing), 'function_not_found');

      const hostStats = (await (await host.admin('/v1/host/stats')).json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(hostStats).sort(), ['eventLoopDelayP99Ms', 'functions', 'heapUsedBytes', 'rssBytes', 'uptimeSeconds', 'workers']);
      assert.equal(hostStats.functions, 2);
      assert.ok((hostStats.rssBytes as number) > 0 && (hostStats.heapUsedBytes as number) > 0);
      assert.equal(typeof hostStats.eventLoopDelayP99Ms, 'number');
      assert.equal((hostStats.workers as { computeSlots: number }).computeSlots, 2);
    } finally {
      await host.close();
    }
  });

  test('logs?follow=1 streams server-sent events: a line logged after the client connected arrives as data', async () => {
    const host = await startTestHost();
    const admin = await listenApp(host.host.adminApp, '127.0.0.1', 0);
    try {
      assert.equal((await host.deploy(bundleWith(manifestFor('logger', '/log'), fixtureComponent('logger')))).status, 201);
      const controller = new AbortController();
      const response = await request(`${admin.url}/v1/functions/logger/logs?follow=1`, {
        headers: { authorization: `Bearer ${host.host.adminToken}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/event-stream/);
      const events = readEvents(response.body);
      // The opening comment: the stream is live before anything was logged.
      const first = await events.next();
      assert.equal(first.value?.comment, 'following logger');

      const called = await host.get('/log');
      assert.equal(called.status, 200);
      const requestId = called.headers.get('x-wasmlet-request-id');
      const lines: Array<Record<string, unknown>> = [];
      while (lines.length < 6) {
        const next = await events.next();
        assert.ok(!next.done, 'the stream stays open');
        if (next.value.data !== undefined) lines.push(JSON.parse(next.value.data) as Record<string, unknown>);
      }
      assert.ok(lines.every((line) => line.requestId === requestId));
      assert.deepEqual(Object.keys(lines[0]!).sort(), ['level', 'message', 'requestId', 'stream', 'time']);
      assert.deepEqual(new Set(lines.map((line) => line.stream)), new Set(['stdout', 'stderr', 'log']));
      // The same lines as the /logs listing.
      const listed = (await (await host.admin('/v1/functions/logger/logs')).json()) as { logs: unknown[] };
      assert.deepEqual(listed.logs, lines);
      controller.abort();
    } finally {
      await admin.close();
      await host.close();
    }
  });

  test('logs?follow=1 ends when the host closes', async () => {
    const host = await startTestHost();
    assert.equal((await host.deploy(bundleWith(manifestFor('logger', '/log'), fixtureComponent('logger')))).status, 201);
    const response = await host.admin('/v1/functions/logger/logs?follow=1');
    assert.equal(response.status, 200);
    const reading = response.text();
    await host.close();
    assert.equal(await reading, ': following logger\n\n');
  });

  // Last: tracing registers its context manager for the rest of this process.
  test('with tracing on, guest log lines carry the trace id of the request that logged them', async () => {
    const receiver = await startOtlpReceiver();
    const host = await startTestHost({ otlpEndpoint: receiver.url });
    try {
      assert.equal((await host.deploy(bundleWith(manifestFor('logger', '/log'), fixtureComponent('logger')))).status, 201);
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const called = await host.get('/log', { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
      assert.equal(called.status, 200);
      const requestId = called.headers.get('x-wasmlet-request-id');
      const { logs } = (await (await host.admin('/v1/functions/logger/logs')).json()) as { logs: Array<{ requestId: string; traceId?: string }> };
      const mine = logs.filter((entry) => entry.requestId === requestId);
      assert.ok(mine.length >= 6);
      for (const entry of mine) assert.equal(entry.traceId, traceId);
    } finally {
      await host.close();
      await receiver.close();
    }
  });
});

/** Polls `condition` until it holds (the background work it waits for has no event to await here). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

interface SseEvent {
  readonly data?: string;
  readonly comment?: string;
}

/** Server-sent events from a byte stream, one per blank-line-terminated block (https://html.spec.whatwg.org/#event-stream-interpretation). */
async function* readEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
      const comment = block.split('\n').find((l) => l.startsWith(': '))?.slice(2);
      yield { ...(data.length > 0 ? { data: data.join('\n') } : {}), ...(comment !== undefined ? { comment } : {}) };
    }
  }
}
