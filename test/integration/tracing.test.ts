// Traces end to end: a real host exporting to an in-test OTLP/HTTP receiver (`--otlp-endpoint`),
// real guests (test/fixtures: echo, outbound, queue-probe) called over loopback. Every assertion
// counts spans and compares ids: which spans, under which trace, with which parent.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { startOtlpReceiver, spanKind, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { fixtureComponent } from '../support/paths.js';
import { peek, waitFor } from '../support/queue-helpers.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { requestIdHeader } from '../../src/triggers/http/problem-response.js';
import { asyncQueueName } from '../../src/queue/queue-names.js';
import { activeTraceId } from '../../src/tracing/active-trace-id.js';

// The BatchSpanProcessor's standard knob: export every 50 ms instead of every 5 s, so waits are short.
process.env.OTEL_BSP_SCHEDULE_DELAY = '50';

/** A fresh W3C trace id and parent span id, as a caller's tracer would send them. */
function callerContext(): { traceId: string; parentId: string; traceparent: string } {
  const hex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
  const traceId = hex(16);
  const parentId = hex(8);
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}

/** An upstream that records the headers of every request it answers. */
async function startUpstream(): Promise<{ server: Server; url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.end('upstream says hi');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function spansOf(receiver: OtlpReceiver, traceId: string): ReceivedSpan[] {
  return receiver.spans.filter((s) => s.traceId === traceId);
}

/** Waits until the trace holds `count` spans named `name` (spans come in batches, in no set order). */
async function waitForSpans(receiver: OtlpReceiver, traceId: string, name: string, count = 1): Promise<ReceivedSpan[]> {
  return waitFor(`${count} span(s) "${name}" in trace ${traceId}`, async () => {
    const found = spansOf(receiver, traceId).filter((s) => s.name === name);
    return found.length >= count ? found : undefined;
  });
}

function only(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `one span "${name}", got ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

/** The outbound fixture, granted the loopback upstreams. */
function outboundManifest(name: string, route: string): string {
  return `name = "${name}"\ncomponent = "component.wasm"\nallowed_outbound_hosts = ["http://127.0.0.1:*"]\n\n[[http]]\nroute = "${route}"\n`;
}

const probeManifest = `name = "traced-probe"
component = "component.wasm"
publish = ["probe-out", "traced-jobs"]

[[http]]
route = "/queue-probe"

[[queue]]
queue = "traced-jobs"
batch_size = 1
`;

describe('traces exported over OTLP/HTTP', () => {
  let receiver: OtlpReceiver;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let host: TestHost;
  const hostLines: Array<{ line: string; traceId: string | undefined }> = [];

  before(async () => {
    receiver = await startOtlpReceiver();
    upstream = await startUpstream();
    // The host's own lines, with the trace id active as each was written (what --log-format json prints).
    host = await startTestHost({ otlpEndpoint: receiver.url, log: (line) => hostLines.push({ line, traceId: activeTraceId() }) });
    const deploys: Array<[string, string]> = [
      [manifestFor('traced-echo', '/traced/*'), fixtureComponent('echo')],
      [outboundManifest('traced-outbound', '/traced-outbound'), fixtureComponent('outbound')],
      [probeManifest, fixtureComponent('queue-probe')],
      [manifestFor('traced-logger', '/traced-logger'), fixtureComponent('logger')],
      [`${manifestFor('traced-trap', '/traced-trap')}\n[async]\nmax_retries = 0\n`, fixtureComponent('trap')],
    ];
    for (const [manifest, component] of deploys) {
      const deployed = await host.deploy(bundleWith(manifest, component));
      assert.equal(deployed.status, 201, await deployed.text());
    }
  });

  after(async () => {
    await host.close();
    await Promise.all([receiver.close(), new Promise((resolve) => upstream.server.close(resolve))]);
  });

  test('a request with a traceparent: its spans continue that trace, each under its parent', async () => {
    const caller = callerContext();
    const response = await host.get('/traced/some/path?secret=1', { headers: { traceparent: caller.traceparent, tracestate: 'vendor=abc' } });
    assert.equal(response.status, 200, await response.text());

    await waitForSpans(receiver, caller.traceId, 'call traced-echo');
    const spans = await waitForSpans(receiver, caller.traceId, 'GET /traced/*').then(() => spansOf(receiver, caller.traceId));
    const server = only(spans, 'GET /traced/*');
    assert.equal(server.kind, spanKind.server);
    assert.equal(server.parentSpanId, caller.parentId, 'the caller’s span is the parent');
    assert.equal(server.serviceName, 'wasmlet');
    assert.equal(server.attributes['http.route'], '/traced/*');
    assert.equal(server.attributes['url.path'], '/traced/some/path', 'the path, never the query');
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(server.attributes['faas.name'], 'traced-echo');
    assert.equal(server.attributes['wasmlet.request_id'], response.headers.get(requestIdHeader));

    // The request's span stands for the invocation: no span of its own repeats it.
    assert.equal(server.attributes['faas.trigger'], 'http');
    assert.equal(server.attributes['wasmlet.outcome'], 'ok');
    assert.equal(spans.filter((s) => s.name.startsWith('invoke ')).length, 0);
    assert.equal(only(spans, 'wait for a slot').parentSpanId, server.spanId);
    const call = only(spans, 'call traced-echo');
    assert.equal(call.parentSpanId, server.spanId);
    assert.ok(['fresh', 'pre-instantiated', 'reused'].includes(String(call.attributes['wasmlet.instance'])));
    // An instance made for this call has its instantiation under the call; a ready one has none.
    const instantiations = spans.filter((s) => s.name === 'instantiate traced-echo');
    assert.equal(instantiations.length, call.attributes['wasmlet.instance'] === 'fresh' ? 1 : 0);
    for (const s of instantiations) assert.equal(s.parentSpanId, call.spanId);
  });

  test('the guest’s log lines carry the trace id of their invocation', async () => {
    const caller = callerContext();
    const response = await host.get('/traced-logger', { headers: { traceparent: caller.traceparent } });
    assert.equal(response.status, 200, await response.text());
    const requestId = response.headers.get(requestIdHeader);
    const logs = (await (await host.admin('/v1/functions/traced-logger/logs?limit=100')).json()) as { logs: Array<{ requestId: string; traceId?: string }> };
    const lines = logs.logs.filter((l) => l.requestId === requestId);
    assert.equal(lines.length, 6, 'stdout, stderr and four levels');
    assert.deepEqual(new Set(lines.map((l) => l.traceId)), new Set([caller.traceId]));
    // A call without a traceparent: its lines carry the trace the host started for it.
    const plain = await host.get('/traced-logger');
    const plainId = plain.headers.get(requestIdHeader);
    const after = (await (await host.admin('/v1/functions/traced-logger/logs?limit=100')).json()) as { logs: Array<{ requestId: string; traceId?: string }> };
    const plainTraces = new Set(after.logs.filter((l) => l.requestId === plainId).map((l) => l.traceId));
    assert.equal(plainTraces.size, 1);
    assert.notEqual([...plainTraces][0], caller.traceId);
    assert.match(String([...plainTraces][0]), /^[0-9a-f]{32}$/);
  });

  test('the host’s own line about a failed async invocation carries its trace id', async () => {
    const caller = callerContext();
    const queued = await host.admin('/v1/functions/traced-trap/invoke', { method: 'POST', body: '{}', headers: { traceparent: caller.traceparent, 'x-wasmlet-invocation-type': 'Event' } });
    assert.equal(queued.status, 202, await queued.text());
    const id = queued.headers.get('x-wasmlet-invocation-id')!;
    const line = await waitFor('the failure line', async () => hostLines.find((l) => l.line.includes(`async invocation ${id}`)));
    assert.equal(line.traceId, caller.traceId);
    assert.ok(hostLines.filter((l) => !l.line.includes(id)).every((l) => l.traceId === undefined), 'lines about nothing traced carry no trace id');
  });

  test('a request without a traceparent starts a new trace', async () => {
    const before = new Set(receiver.spans.map((s) => s.traceId));
    const response = await host.get('/traced/fresh');
    assert.equal(response.status, 200);
    const server = await waitFor('a new root server span', async () =>
      receiver.spans.find((s) => s.name === 'GET /traced/*' && s.attributes['url.path'] === '/traced/fresh'),
    );
    assert.equal(server.parentSpanId, '', 'a root span');
    assert.ok(!before.has(server.traceId), 'a trace id not seen before');
    await waitForSpans(receiver, server.traceId, 'call traced-echo');
  });

  test('an outbound request from the guest carries the trace to the upstream', async () => {
    const caller = callerContext();
    const url = encodeURIComponent(`${upstream.url}/hello`);
    const response = await host.get(`/traced-outbound?url=${url}`, { headers: { traceparent: caller.traceparent, tracestate: 'vendor=abc' } });
    assert.equal(response.status, 200, await response.text());
    assert.equal(upstream.seen.length, 1);
    assert.equal(upstream.seen[0]!.tracestate, 'vendor=abc', 'the caller’s tracestate goes on');
    const sent = String(upstream.seen[0]!.traceparent);
    const [version, traceId, spanId, flags] = sent.split('-');
    assert.deepEqual([version, traceId, flags], ['00', caller.traceId, '01'], `traceparent upstream: ${sent}`);

    const [client] = await waitForSpans(receiver, caller.traceId, 'GET');
    await waitForSpans(receiver, caller.traceId, 'call traced-outbound');
    const spans = spansOf(receiver, caller.traceId);
    assert.equal(client!.spanId, spanId, 'the upstream’s parent is the client span');
    assert.equal(client!.kind, spanKind.client);
    assert.equal(client!.parentSpanId, only(spans, 'call traced-outbound').spanId, 'the outbound request is part of the guest call');
    assert.equal(client!.attributes['http.response.status_code'], 200);
    assert.equal(client!.attributes['url.full'], `${upstream.url}/hello`);
    assert.equal(client!.attributes['server.address'], '127.0.0.1');
  });

  test('a caller’s unsampled trace: nothing is exported, the context still reaches the upstream', async () => {
    const unsampled = callerContext();
    const traceparent = unsampled.traceparent.replace(/-01$/, '-00');
    const url = encodeURIComponent(`${upstream.url}/unsampled`);
    const response = await host.get(`/traced-outbound?url=${url}`, { headers: { traceparent } });
    assert.equal(response.status, 200, await response.text());
    const sent = String(upstream.seen.at(-1)!.traceparent).split('-');
    assert.deepEqual([sent[1], sent[3]], [unsampled.traceId, '00'], 'same trace, not sampled');
    // Spans leave in the order they ended: once a later call's are in, the unsampled call's would be too.
    const later = callerContext();
    assert.equal((await host.get('/traced/after-unsampled', { headers: { traceparent: later.traceparent } })).status, 200);
    await waitForSpans(receiver, later.traceId, 'GET /traced/*');
    assert.equal(spansOf(receiver, unsampled.traceId).length, 0);
  });

  test('a message a guest publishes carries the trace through the queue to its handler', async () => {
    const caller = callerContext();
    const response = await host.get('/queue-probe?send=traced-jobs', { method: 'POST', body: 'welcome ada', headers: { traceparent: caller.traceparent } });
    const messageId = await response.text();
    assert.equal(response.status, 202, messageId);

    const [consumer] = await waitForSpans(receiver, caller.traceId, 'process traced-jobs');
    const [queueInvoke] = await waitForSpans(receiver, caller.traceId, 'invoke traced-probe');
    await waitForSpans(receiver, caller.traceId, 'POST /queue-probe');
    const spans = spansOf(receiver, caller.traceId);
    const server = only(spans, 'POST /queue-probe');
    assert.equal(server.parentSpanId, caller.parentId);
    assert.equal(consumer!.kind, spanKind.consumer);
    assert.equal(consumer!.parentSpanId, server.spanId, 'the message continues the request whose invocation published it');
    assert.equal(consumer!.attributes['messaging.message.id'], messageId);
    assert.equal(consumer!.attributes['messaging.destination.name'], 'traced-jobs');
    assert.equal(consumer!.attributes['wasmlet.result'], 'ok');
    assert.equal(queueInvoke!.parentSpanId, consumer!.spanId);
    assert.equal(queueInvoke!.attributes['faas.trigger'], 'queue');
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'one trace id from the request to the handler');

    // The handler's own report to probe-out continues the same trace, in its attributes.
    const report = (await peek(host, 'probe-out')).find((m) => m.text?.startsWith(`traced-jobs ${messageId} `));
    assert.ok(report, 'the queue handler reported the message');
    assert.equal(report.attributes.traceparent?.split('-')[1], caller.traceId);
  });

  test('the admin API: a publish, a direct invoke and an async invoke continue the caller’s trace', async () => {
    const publisher = callerContext();
    const sent = await host.admin('/v1/queues/traced-jobs/messages', { method: 'POST', body: 'from admin', headers: { traceparent: publisher.traceparent, 'content-type': 'text/plain' } });
    assert.equal(sent.status, 202, await sent.text());
    const [consumer] = await waitForSpans(receiver, publisher.traceId, 'process traced-jobs');
    const [server] = await waitForSpans(receiver, publisher.traceId, 'POST /v1/queues/{queue}/messages');
    assert.equal(server!.parentSpanId, publisher.parentId);
    assert.equal(server!.attributes['http.response.status_code'], 202);
    assert.equal(consumer!.parentSpanId, server!.spanId);
    await waitForSpans(receiver, publisher.traceId, 'invoke traced-probe');

    const invoker = callerContext();
    const invoked = await host.admin('/v1/functions/traced-echo/invoke', { method: 'POST', body: '{}', headers: { traceparent: invoker.traceparent } });
    assert.equal(invoked.status, 200, await invoked.text());
    const [direct] = await waitForSpans(receiver, invoker.traceId, 'POST /v1/functions/{name}/invoke');
    const [call] = await waitForSpans(receiver, invoker.traceId, 'call traced-echo');
    assert.equal(direct!.parentSpanId, invoker.parentId);
    assert.equal(direct!.attributes['faas.name'], 'traced-echo');
    assert.equal(direct!.attributes['faas.trigger'], 'direct');
    assert.equal(call!.parentSpanId, direct!.spanId);

    const submitter = callerContext();
    const queued = await host.admin('/v1/functions/traced-echo/invoke', { method: 'POST', body: '{}', headers: { traceparent: submitter.traceparent, 'x-wasmlet-invocation-type': 'Event' } });
    assert.equal(queued.status, 202, await queued.text());
    const eventQueue = asyncQueueName('traced-echo');
    const [event] = await waitForSpans(receiver, submitter.traceId, `process ${eventQueue}`);
    const [eventInvoke] = await waitForSpans(receiver, submitter.traceId, 'invoke traced-echo');
    const [submit] = await waitForSpans(receiver, submitter.traceId, 'POST /v1/functions/{name}/invoke');
    assert.equal(submit!.attributes['http.response.status_code'], 202);
    assert.equal(event!.kind, spanKind.consumer);
    assert.equal(event!.parentSpanId, submit!.spanId, 'the event continues the request that queued it');
    assert.equal(event!.attributes['wasmlet.invocation_id'], queued.headers.get('x-wasmlet-invocation-id'));
    assert.equal(event!.attributes['wasmlet.result'], 'succeeded');
    assert.equal(eventInvoke!.parentSpanId, event!.spanId);
    assert.equal(eventInvoke!.attributes['faas.trigger'], 'async');
  });
});

describe('without --otlp-endpoint', () => {
  test('nothing is exported and nothing is added to upstream requests, even with the OTEL_* variables set', async () => {
    const receiver = await startOtlpReceiver();
    const upstream = await startUpstream();
    // The SDK's own variables must not turn tracing on: only the flag does.
    const saved = { endpoint: process.env.OTEL_EXPORTER_OTLP_ENDPOINT, traces: process.env.OTEL_TRACES_EXPORTER };
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.url;
    process.env.OTEL_TRACES_EXPORTER = 'otlp';
    const host = await startTestHost();
    try {
      const deployed = await host.deploy(bundleWith(outboundManifest('untraced-outbound', '/untraced-outbound'), fixtureComponent('outbound')));
      assert.equal(deployed.status, 201, await deployed.text());
      const caller = callerContext();
      for (let i = 0; i < 3; i++) {
        const response = await host.get(`/untraced-outbound?url=${encodeURIComponent(`${upstream.url}/hello`)}`, { headers: { traceparent: caller.traceparent } });
        assert.equal(response.status, 200, await response.text());
      }
      assert.equal(upstream.seen.length, 3);
      assert.deepEqual(upstream.seen.map((h) => h.traceparent), [undefined, undefined, undefined], 'no trace context is invented or passed on');
    } finally {
      await host.close(); // a tracing host would flush its batch here
      process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved.endpoint;
      process.env.OTEL_TRACES_EXPORTER = saved.traces;
      if (saved.endpoint === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      if (saved.traces === undefined) delete process.env.OTEL_TRACES_EXPORTER;
      await Promise.all([receiver.close(), new Promise((resolve) => upstream.server.close(resolve))]);
    }
    assert.equal(receiver.requests, 0, 'no export request reached the receiver');
    assert.equal(receiver.spans.length, 0);
  });
});
