// End to end through a host, every route and error once. Skipped unless JSON_API_URL names the
// host's HTTP listener with json-api deployed:
//   JSON_API_URL=http://127.0.0.1:8080 node --test examples/json-api/
import assert from 'node:assert/strict';
import { test } from 'node:test';

const base = process.env.JSON_API_URL;
const skip = base ? false : 'set JSON_API_URL to run against a host';

async function call(method, path, body) {
  const init = { method, headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(new URL(path, base), init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

test('GET /api/health', { skip }, async () => {
  const { status, json } = await call('GET', '/api/health');
  assert.equal(status, 200);
  assert.equal(json.ok, true);
  assert.ok(!Number.isNaN(Date.parse(json.time)));
});

test('POST /api/todos/validate normalises a todo', { skip }, async () => {
  const { status, json } = await call('POST', '/api/todos/validate', { title: ' Pay rent ', due: '2026-03-01T09:00+01:00', tags: ['Home'] });
  assert.equal(status, 200);
  assert.deepEqual(json, { todo: { title: 'Pay rent', due: '2026-03-01T08:00:00.000Z', tags: ['home'], done: false } });
});

test('POST /api/todos/validate answers 422 with every field error', { skip }, async () => {
  const { status, json } = await call('POST', '/api/todos/validate', { title: '', due: 'soon' });
  assert.equal(status, 422);
  assert.equal(json.error.code, 'validation_failed');
  assert.deepEqual(json.error.details.map((d) => d.field), ['/title', '/due']);
});

test('bad JSON, an empty body and a bracket bomb are 400s', { skip }, async () => {
  for (const body of ['{', '', '['.repeat(100_000)]) {
    const { status, json } = await call('POST', '/api/todos/validate', body);
    assert.equal(status, 400);
    assert.equal(json.error.code, 'invalid_json');
  }
});

test('POST /api/todos/summary?now=', { skip }, async () => {
  const todos = [
    { title: 'a', due: '2026-01-01', tags: ['work'] },
    { title: 'b', due: '2026-01-05', tags: ['work', 'home'] },
    { title: 'c', done: true, due: '2025-01-01' },
  ];
  const { status, json } = await call('POST', '/api/todos/summary?now=2026-01-03T00:00:00Z', { todos });
  assert.equal(status, 200);
  assert.equal(json.now, '2026-01-03T00:00:00.000Z');
  assert.deepEqual(json.byTag, { home: 1, work: 2 });
  assert.deepEqual(json.overdue, [{ index: 0, title: 'a', due: '2026-01-01' }]);
  assert.equal((await call('POST', '/api/todos/summary?now=someday', { todos })).status, 400);
});

test('unknown paths are 404, wrong methods 405 with allow', { skip }, async () => {
  const missing = await call('GET', '/api/todos');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.error.code, 'not_found');
  const wrong = await call('DELETE', '/api/todos/validate');
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'POST');
  assert.equal(wrong.json.error.code, 'method_not_allowed');
});
