import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contextFromAttributes, formatTraceparent, maxTracestateChars, parseTraceparent, traceFieldsOf, withTraceAttributes } from './trace-context.js';
import { trace } from '@opentelemetry/api';
import { otlpTracesUrl } from './trace-endpoint.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';
const valid = `00-${traceId}-${spanId}-01`;

describe('traceparent', () => {
  test('a valid header is the remote parent, sampled flag and tracestate kept', () => {
    const parent = parseTraceparent(valid, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
    assert.deepEqual({ ...parent, traceState: parent?.traceState?.serialize() }, {
      traceId,
      spanId,
      traceFlags: 1,
      isRemote: true,
      traceState: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
    });
    assert.equal(formatTraceparent(parent!), valid);
  });

  test('invalid headers start a new trace (spec §3.2 and §4.3)', () => {
    for (const header of [
      undefined,
      '',
      `ff-${traceId}-${spanId}-01`, // version ff is invalid
      `00-${traceId}-${spanId}-01-extra`, // version 00 has nothing after the flags
      `00-${'0'.repeat(32)}-${spanId}-01`, // all-zero trace id
      `00-${traceId}-${'0'.repeat(16)}-01`, // all-zero parent id
      `00-${traceId.toUpperCase()}-${spanId}-01`, // upper-case hex
      `00-${traceId}-${spanId}-01, 00-${traceId}-${spanId}-01`, // two headers joined
      `00-${traceId.slice(1)}-${spanId}-01`,
    ]) {
      assert.equal(parseTraceparent(header), undefined, String(header));
    }
  });

  test('a later version is read by its first four fields; only the sampled bit is kept', () => {
    const parent = parseTraceparent(`cc-${traceId}-${spanId}-09-what-the-future-holds`);
    assert.equal(parent?.traceId, traceId);
    assert.equal(parent?.traceFlags, 1);
  });

  test('an oversized tracestate is dropped, the parent kept', () => {
    const parent = parseTraceparent(valid, `a=${'x'.repeat(maxTracestateChars)}`);
    assert.equal(parent?.traceId, traceId);
    assert.equal(parent?.traceState, undefined);
  });
});

describe('trace context in message attributes', () => {
  const span = parseTraceparent(valid, 'rojo=1')!;

  test('added beside the publisher’s attributes, and read back as the parent', () => {
    const attributes = withTraceAttributes({ from: 'http' }, span, 32)!;
    assert.deepEqual(attributes, { from: 'http', traceparent: valid, tracestate: 'rojo=1' });
    assert.equal(trace.getSpanContext(contextFromAttributes(attributes))?.spanId, spanId);
    assert.deepEqual(traceFieldsOf(span), [['traceparent', valid], ['tracestate', 'rojo=1']]);
  });

  test('a traceparent the publisher set wins; a full message is left as it is', () => {
    const own = { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` };
    assert.equal(withTraceAttributes(own, span, 32), own);
    const full = Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`k${i}`, 'v']));
    assert.equal(withTraceAttributes(full, span, 32), full, 'two fields do not fit in one free slot');
  });

  test('attributes without a valid traceparent give the root context', () => {
    assert.equal(trace.getSpanContext(contextFromAttributes({ traceparent: 'nonsense' })), undefined);
  });
});

describe('--otlp-endpoint', () => {
  test('a base URL gets /v1/traces; a traces URL is kept; other schemes are refused', () => {
    assert.equal(otlpTracesUrl('http://127.0.0.1:4318'), 'http://127.0.0.1:4318/v1/traces');
    assert.equal(otlpTracesUrl('http://collector:4318/otlp/'), 'http://collector:4318/otlp/v1/traces');
    assert.equal(otlpTracesUrl('https://collector/v1/traces'), 'https://collector/v1/traces');
    assert.throws(() => otlpTracesUrl('grpc://collector:4317'), /OTLP\/HTTP/);
    assert.throws(() => otlpTracesUrl('collector:4318'), /must be an http/);
  });
});
