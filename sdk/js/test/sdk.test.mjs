// Unit tests of the JS guest SDK's pure parts, run natively: `node --test sdk/js/test`.
// Node's TextEncoder/URLSearchParams are the reference the QuickJS stand-ins must match.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyJson, bodyText, header, isDirectInvocation, queryParams } from '../request.js';
import { json, normalizeResponse, text } from '../response.js';
import { decodeUtf8, encodeUtf8 } from '../utf8.js';

const samples = ['', 'hello', 'grüße', '日本語', '😀 emoji 🎉', 'mixed \u0000 nul', 'a'.repeat(1000) + 'é'];

test('UTF-8 encoding matches TextEncoder', () => {
  for (const s of samples) assert.deepEqual(encodeUtf8(s), new TextEncoder().encode(s), JSON.stringify(s));
});

test('UTF-8 decoding round-trips and replaces malformed input', () => {
  for (const s of samples) assert.equal(decodeUtf8(new TextEncoder().encode(s)), s);
  assert.equal(decodeUtf8(Uint8Array.of(0x61, 0xff, 0x62)), 'a\ufffdb');
  assert.deepEqual(encodeUtf8('\ud800x'), new TextEncoder().encode('\ufffdx')); // lone surrogate
});

test('query parameters decode like URLSearchParams', () => {
  const query = 'name=ada+lovelace&x=%C3%A9&x=2&flag&bad=%E0%A4';
  const mine = queryParams({ query });
  const reference = new URLSearchParams(query);
  assert.equal(mine.get('name'), reference.get('name'));
  assert.deepEqual(mine.getAll('x'), reference.getAll('x'));
  assert.equal(mine.get('flag'), '');
  assert.equal(mine.get('missing'), null);
  assert.equal(mine.get('bad'), '%E0%A4'); // malformed escapes are kept verbatim
});

test('request helpers read headers and bodies', () => {
  const request = {
    method: 'POST',
    path: '/',
    query: '',
    headers: [['content-type', 'application/json'], ['x-wasmlet-invocation', 'direct']],
    body: new TextEncoder().encode('{"name":"ada"}'),
  };
  assert.equal(header(request, 'Content-Type'), 'application/json');
  assert.equal(bodyText(request), '{"name":"ada"}');
  assert.deepEqual(bodyJson(request), { name: 'ada' });
  assert.equal(isDirectInvocation(request), true);
});

test('responses are normalised into the WIT record, with clear errors', () => {
  const t = text(200, 'hi');
  assert.equal(t.status, 200);
  assert.deepEqual(normalizeResponse(t).headers[0], ['content-type', 'text/plain; charset=utf-8']);
  const j = normalizeResponse(json(201, { ok: true }));
  assert.equal(decodeUtf8(j.body), '{"ok":true}\n');
  assert.equal(normalizeResponse('plain').status, 200);
  assert.throws(() => normalizeResponse({ status: 70000 }), /status must be an integer/);
  assert.throws(() => normalizeResponse(Promise.resolve(1)), /async handlers are not supported/);
  assert.throws(() => normalizeResponse({ status: 200, body: { a: 1 } }), /use json\(\)/);
});
