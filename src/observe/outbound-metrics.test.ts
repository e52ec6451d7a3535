import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import type { HostEvent, HostRequest, HostRequestHandler, InvocationScope } from '../capabilities/host-link.js';
import { maxHostsPerFunction, OutboundMetrics, otherHostLabel } from './outbound-metrics.js';

/** A handler that answers every request with the events given for its URL (a real implementation of the interface, no network). */
function scriptedHandler(events: (url: string) => HostEvent[]): HostRequestHandler {
  return {
    start(_scope, request: HostRequest, emit) {
      if (request.kind === 'outbound-http') for (const event of events(request.request.url)) emit(event);
      return () => undefined;
    },
  };
}

const scope = (functionName: string) => ({ functionName }) as unknown as InvocationScope;
const get = (url: string): HostRequest => ({ kind: 'outbound-http', request: { method: 'GET', url, headers: [], body: new Uint8Array() }, followRedirects: true });

async function countOf(registry: Registry, labels: Record<string, string>): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === 'wasmlet_outbound_requests_total');
  return (metric?.values ?? []).find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))?.value;
}

test('each request is counted once, when its outcome is known: ok at the head, else the refusal code; events still reach the guest', async () => {
  const registry = new Registry();
  const metrics = new OutboundMetrics(registry);
  const handler = metrics.observe(
    scriptedHandler((url) =>
      url.includes('denied')
        ? [{ kind: 'fail', code: 'denied', message: 'not granted' }]
        : [{ kind: 'head', status: 500, headers: [] }, { kind: 'chunk', bytes: new Uint8Array(1) }, { kind: 'fail', code: 'timeout', message: 'cut' }],
    ),
  );
  const seen: string[] = [];
  handler.start(scope('fn'), get('https://api.example.com/a?id=1'), (event) => seen.push(event.kind));
  handler.start(scope('fn'), get('https://denied.example.com/'), (event) => seen.push(event.kind));
  assert.deepEqual(seen, ['head', 'chunk', 'fail', 'fail']);
  assert.equal(await countOf(registry, { function: 'fn', host: 'api.example.com', outcome: 'ok' }), 1);
  assert.equal(await countOf(registry, { function: 'fn', host: 'api.example.com', outcome: 'timeout' }), undefined);
  assert.equal(await countOf(registry, { function: 'fn', host: 'denied.example.com', outcome: 'denied' }), 1);
});

test('hosts past the bound are counted as other, per function; forget removes the series', async () => {
  const registry = new Registry();
  const metrics = new OutboundMetrics(registry);
  const handler = metrics.observe(scriptedHandler(() => [{ kind: 'head', status: 200, headers: [] }]));
  for (let i = 0; i < maxHostsPerFunction + 5; i++) handler.start(scope('wild'), get(`https://h${i}.example.com/`), () => undefined);
  handler.start(scope('tame'), get('https://h99.example.com/'), () => undefined);
  assert.equal(await countOf(registry, { function: 'wild', host: otherHostLabel }), 5);
  assert.equal(await countOf(registry, { function: 'wild', host: 'h0.example.com' }), 1);
  assert.equal(await countOf(registry, { function: 'tame', host: 'h99.example.com' }), 1);
  metrics.forget('wild');
  assert.equal(await countOf(registry, { function: 'wild' }), undefined);
  assert.equal(await countOf(registry, { function: 'tame' }), 1);
});
