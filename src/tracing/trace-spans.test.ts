// The spans observe/ builds, recorded by the real SDK into its in-memory exporter.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { contextOf, parseTraceparent } from './trace-context.js';
import { InvocationTrace } from './trace-invocation.js';
import { BatchTrace, type DeliveredMessage } from './trace-messages.js';
import { traceOutbound } from './trace-outbound.js';

function recorder() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer('test'), spans: () => exporter.getFinishedSpans() };
}

const remote = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')!;

describe('an invocation’s spans', () => {
  test('wait, call and a fresh instantiation under the invocation; outbound requests under the call', () => {
    const { tracer, spans } = recorder();
    const invocation = new InvocationTrace(tracer, 'f', 'http', 'req-1', contextOf(remote));
    invocation.queued();
    invocation.dispatched();
    const outbound = traceOutbound(invocation, { method: 'get', url: 'https://api.example/v1/x?key=secret', headers: [['TraceParent', 'guest-set'], ['accept', '*/*']] });
    outbound.onEvent({ kind: 'head', status: 200 });
    outbound.onEvent({ kind: 'end' });
    invocation.finish({ outcome: { kind: 'ok', response: { status: 200 } }, timings: { instantiateMicros: 150, instance: 'fresh' } });

    const byName = new Map(spans().map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()].sort(), ['GET', 'call f', 'instantiate f', 'invoke f', 'wait for a slot']);
    const invoke = byName.get('invoke f')!;
    assert.equal(invoke.spanContext().traceId, remote.traceId);
    assert.equal(invoke.parentSpanContext?.spanId, remote.spanId);
    const call = byName.get('call f')!;
    for (const name of ['wait for a slot', 'call f']) assert.equal(byName.get(name)!.parentSpanContext?.spanId, invoke.spanContext().spanId, name);
    for (const name of ['instantiate f', 'GET']) assert.equal(byName.get(name)!.parentSpanContext?.spanId, call.spanContext().spanId, name);

    const client = byName.get('GET')!;
    assert.equal(client.attributes['url.full'], 'https://api.example/v1/x', 'no query');
    assert.equal(client.attributes['server.port'], 443);
    const traceparents = outbound.request.headers.filter(([name]) => name.toLowerCase() === 'traceparent');
    assert.deepEqual(traceparents, [['traceparent', `00-${remote.traceId}-${client.spanContext().spanId}-01`]], 'the guest’s own traceparent is replaced');
    assert.ok(outbound.request.headers.some(([name]) => name === 'accept'));
  });

  test('an HTTP call is recorded on its request’s span: no invoke span, the request ends it', () => {
    const { tracer, spans } = recorder();
    const request = tracer.startSpan('GET /x', {}, contextOf(remote));
    const invocation = new InvocationTrace(tracer, 'f', 'http', 'req-4', trace.setSpan(ROOT_CONTEXT, request), undefined, true);
    invocation.queued();
    invocation.dispatched();
    invocation.finish({ outcome: { kind: 'guest_error' } });
    assert.deepEqual(spans().map((s) => s.name).sort(), ['call f', 'wait for a slot'], 'the request span is still open');
    assert.equal(invocation.spanContext.spanId, request.spanContext().spanId);
    request.end();
    const recorded = spans().find((s) => s.name === 'GET /x')!;
    assert.equal(recorded.attributes['faas.trigger'], 'http');
    assert.equal(recorded.attributes['wasmlet.outcome'], 'guest_error');
    assert.equal(recorded.status.code, SpanStatusCode.UNSET, 'its status is the HTTP answer’s to set');
    for (const name of ['call f', 'wait for a slot']) assert.equal(spans().find((s) => s.name === name)!.parentSpanContext?.spanId, request.spanContext().spanId);
  });

  test('a call that never got a slot has a wait and no call; a failure marks the invocation', () => {
    const { tracer, spans } = recorder();
    const invocation = new InvocationTrace(tracer, 'f', 'queue', 'req-2', ROOT_CONTEXT);
    invocation.queued();
    invocation.finish({ outcome: { kind: 'overloaded' } });
    assert.deepEqual(spans().map((s) => s.name).sort(), ['invoke f', 'wait for a slot']);
    const invoke = spans().find((s) => s.name === 'invoke f')!;
    assert.equal(invoke.status.code, SpanStatusCode.ERROR);
    assert.equal(invoke.parentSpanContext, undefined, 'a new trace');
  });

  test('a failed outbound request ends its span with the error code', () => {
    const { tracer, spans } = recorder();
    const invocation = new InvocationTrace(tracer, 'f', 'http', 'req-3', ROOT_CONTEXT);
    invocation.dispatched();
    traceOutbound(invocation, { method: 'GET', url: 'http://10.0.0.1/', headers: [] }).onEvent({ kind: 'fail', code: 'denied', message: 'not granted' });
    const [client] = spans();
    assert.equal(client?.name, 'GET');
    assert.equal(client?.attributes['error.type'], 'denied');
    assert.equal(client?.status.code, SpanStatusCode.ERROR);
  });
});

describe('a batch’s spans', () => {
  test('one consumer span per message, each continuing its own trace; the call runs under the first, linking the rest', () => {
    const { tracer, spans } = recorder();
    const other = parseTraceparent('00-11111111111111111111111111111111-2222222222222222-01')!;
    const messages: DeliveredMessage[] = [
      { id: 'a', attempt: 1, attributes: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } },
      { id: 'b', attempt: 2, attributes: { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' } },
      { id: 'c', attempt: 1, attributes: {} },
    ];
    const batch = new BatchTrace(tracer, 'jobs', messages);
    const parent = batch.parentOf(messages)!;
    assert.equal(trace.getSpanContext(parent.parent)?.traceId, remote.traceId);
    assert.equal(parent.links.length, 2);
    for (const [m, result] of [[messages[0]!, 'ok'], [messages[1]!, 'retry'], [messages[2]!, 'fail']] as const) batch.end(m, result, result === 'fail' ? 'bad' : undefined);
    const [a, b, c] = spans();
    assert.equal(a?.parentSpanContext?.spanId, remote.spanId);
    assert.equal(b?.spanContext().traceId, other.traceId);
    assert.equal(b?.attributes['wasmlet.attempt'], 2);
    assert.equal(c?.parentSpanContext, undefined, 'no traceparent: a new trace');
    assert.equal(c?.status.code, SpanStatusCode.ERROR);
    assert.deepEqual(parent.links.map((l) => l.context.spanId), [b?.spanContext().spanId, c?.spanContext().spanId]);
  });
});
