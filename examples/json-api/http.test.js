// End to end through a host, every route and error once. Skipped unless JSON_API_URL names the
// host's HTTP listener with json-api deployed:
//   JSON_API_URL=http://127.0.0.1:8080 node --test examples/json-api/
// Tests create their own todos and touch no others, so the store may hold anything beforehand.
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

test('POST /api/todos stores a normalised todo: 201, its id, a location', { skip }, async () => {
  const { status, headers, json } = await call('POST', '/api/todos', { title: ' Pay rent ', due: '2026-03-01T09:00+01:00', tags: ['Home'] });
  assert.equal(status, 201);
  const { todo } = json;
  assert.match(todo.id, /^[1-9][0-9]*$/);
  assert.equal(headers.get('location'), `/api/todos/${todo.id}`);
  assert.deepEqual({ ...todo, id: undefined, createdAt: undefined, updatedAt: undefined }, {
    id: undefined, title: 'Pay rent', due: '2026-03-01T08:00:00.000Z', tags: ['home'], done: false, createdAt: undefined, updatedAt: undefined,
  });
  assert.equal(todo.createdAt, todo.updatedAt);
  assert.deepEqual((await call('GET', `/api/todos/${todo.id}`)).json, { todo });
});

test('GET /api/todos lists every stored todo in id order, with a count', { skip }, async () => {
  const a = (await call('POST', '/api/todos', { title: 'list a' })).json.todo;
  const b = (await call('POST', '/api/todos', { title: 'list b', done: true })).json.todo;
  const { status, json } = await call('GET', '/api/todos');
  assert.equal(status, 200);
  assert.equal(json.count, json.todos.length);
  const ids = json.todos.map((t) => Number(t.id));
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
  assert.deepEqual(json.todos.filter((t) => t.id === a.id || t.id === b.id), [a, b]);
});

test('PUT /api/todos/{id} replaces the fields, keeps id and createdAt; DELETE removes it', { skip }, async () => {
  const created = (await call('POST', '/api/todos', { title: 'draft', tags: ['x'] })).json.todo;
  const put = await call('PUT', `/api/todos/${created.id}`, { title: 'final', done: true });
  assert.equal(put.status, 200);
  assert.deepEqual({ ...put.json.todo, updatedAt: undefined }, { id: created.id, title: 'final', tags: [], done: true, createdAt: created.createdAt, updatedAt: undefined });
  assert.deepEqual((await call('GET', `/api/todos/${created.id}`)).json.todo, put.json.todo);
  const removed = await call('DELETE', `/api/todos/${created.id}`);
  assert.equal(removed.status, 204);
  assert.equal(removed.json, undefined);
  for (const [method, body] of [['GET'], ['PUT', { title: 'x' }], ['DELETE']]) {
    const gone = await call(method, `/api/todos/${created.id}`, body);
    assert.equal(gone.status, 404, method);
    assert.equal(gone.json.error.code, 'not_found');
  }
});

test('a todo is validated the same way on POST, PUT and validate: 422 with every field error, nothing stored', { skip }, async () => {
  const before = (await call('GET', '/api/todos')).json.count;
  const created = (await call('POST', '/api/todos', { title: 'keep me' })).json.todo;
  for (const [method, path] of [['POST', '/api/todos'], ['PUT', `/api/todos/${created.id}`], ['POST', '/api/todos/validate']]) {
    const { status, json } = await call(method, path, { title: '', due: 'soon', titel: 1 });
    assert.equal(status, 422, `${method} ${path}`);
    assert.equal(json.error.code, 'validation_failed');
    assert.deepEqual(json.error.details.map((d) => d.field), ['/titel', '/title', '/due']);
  }
  assert.equal((await call('GET', `/api/todos/${created.id}`)).json.todo.title, 'keep me');
  assert.equal((await call('GET', '/api/todos')).json.count, before + 1);
  const valid = await call('POST', '/api/todos/validate', { title: ' Pay rent ', tags: ['Home'] });
  assert.deepEqual(valid.json, { todo: { title: 'Pay rent', tags: ['home'], done: false } });
});

test('bad JSON, an empty body and a bracket bomb are 400s', { skip }, async () => {
  for (const path of ['/api/todos', '/api/todos/validate']) {
    for (const body of ['{', '', '['.repeat(100_000)]) {
      const { status, json } = await call('POST', path, body);
      assert.equal(status, 400);
      assert.equal(json.error.code, 'invalid_json');
    }
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

test('ids that cannot be todos are 404s; unknown paths 404, wrong methods 405 with allow', { skip }, async () => {
  for (const id of ['0', 'abc', '1.5', '%E0', '99999999999999999']) {
    const { status, json } = await call('GET', `/api/todos/${id}`);
    assert.equal(status, 404, id);
    assert.equal(json.error.code, 'not_found');
  }
  assert.equal((await call('GET', '/api/todos/1/extra')).status, 404);
  const wrong = await call('DELETE', '/api/todos/validate');
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('allow'), 'POST');
  assert.equal(wrong.json.error.code, 'method_not_allowed');
  const patch = await call('PATCH', '/api/todos/1', { title: 'x' });
  assert.equal(patch.status, 405);
  assert.equal(patch.headers.get('allow'), 'GET, PUT, DELETE');
  assert.equal((await call('DELETE', '/api/todos')).headers.get('allow'), 'GET, POST');
});
