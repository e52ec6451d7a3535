// The todo store over an in-memory stand-in for the SDK's KeyValueStore (same methods, same
// semantics for what it uses: counters, prefix listing, batch reads, compare-and-swap).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTodoStore, NEXT_ID_KEY } from './todo-store.js';

function memoryStore() {
  const data = new Map();
  const bytes = (s) => new TextEncoder().encode(s);
  return {
    data,
    /** Set to a function to write behind update()'s back once. */
    beforeSwap: undefined,
    get: (key) => data.get(key),
    getJson: (key) => (data.has(key) ? JSON.parse(new TextDecoder().decode(data.get(key))) : undefined),
    setJson(key, value) {
      data.set(key, bytes(JSON.stringify(value)));
    },
    exists: (key) => data.has(key),
    delete: (key) => void data.delete(key),
    keys: ({ prefix = '' } = {}) => [...data.keys()].filter((k) => k.startsWith(prefix)).sort(),
    getMany(keys) {
      assert.ok(keys.length <= 1000, 'batches of at most 1000 keys');
      return keys.map((k) => data.get(k));
    },
    increment(key) {
      const next = Number(new TextDecoder().decode(data.get(key) ?? bytes('0'))) + 1;
      data.set(key, bytes(String(next)));
      return next;
    },
    update(key, fn) {
      for (;;) {
        const before = data.get(key);
        const next = fn(before);
        const intruder = this.beforeSwap;
        this.beforeSwap = undefined;
        intruder?.();
        if (data.get(key) === before) {
          data.set(key, bytes(next));
          return bytes(next);
        }
      }
    },
  };
}

const decode = (b) => new TextDecoder().decode(b);
let tick = 0;
const now = () => `2026-12-0${1 + (tick++ % 9)}T00:00:00.000Z`;

test('create draws ids from the counter and stores the todo with its times', () => {
  const kv = memoryStore();
  const todos = createTodoStore(kv, { decode, now });
  const a = todos.create({ title: 'a', tags: [], done: false });
  const b = todos.create({ title: 'b', tags: ['x'], done: true });
  assert.deepEqual([a.id, b.id], ['1', '2']);
  assert.equal(a.createdAt, a.updatedAt);
  assert.deepEqual(todos.get('2'), b);
  assert.equal(decode(kv.get(NEXT_ID_KEY)), '2');
});

test('list gives every todo in id order (10 after 9), reading in batches, and never the counter', () => {
  const kv = memoryStore();
  const todos = createTodoStore(kv, { decode, now });
  for (let i = 1; i <= 1203; i++) todos.create({ title: `t${i}`, tags: [], done: false });
  const listed = todos.list();
  assert.equal(listed.length, 1203);
  assert.deepEqual(listed.slice(8, 11).map((t) => t.id), ['9', '10', '11']);
  assert.ok(listed.every((t) => typeof t.title === 'string'));
});

test('replace keeps id and createdAt; a missing todo stays missing, even if deleted during the swap', () => {
  const kv = memoryStore();
  const todos = createTodoStore(kv, { decode, now });
  const created = todos.create({ title: 'old', tags: [], done: false });
  const replaced = todos.replace(created.id, { title: 'new', tags: ['t'], done: true });
  assert.deepEqual({ ...replaced, updatedAt: undefined }, { id: '1', title: 'new', tags: ['t'], done: true, createdAt: created.createdAt, updatedAt: undefined });
  assert.notEqual(replaced.updatedAt, created.updatedAt);
  assert.deepEqual(todos.get('1'), replaced);
  assert.equal(todos.replace('99', { title: 'x', tags: [], done: false }), undefined);
  assert.equal(kv.exists('todo:99'), false, 'a replace never creates');
  kv.beforeSwap = () => todos.remove('1');
  assert.equal(todos.replace('1', { title: 'late', tags: [], done: false }), undefined);
  assert.equal(todos.get('1'), undefined);
});

test('remove says whether there was a todo; ids are positive decimal integers only', () => {
  const todos = createTodoStore(memoryStore(), { decode, now });
  todos.create({ title: 'a', tags: [], done: false });
  assert.equal(todos.remove('1'), true);
  assert.equal(todos.remove('1'), false);
  for (const id of ['1', '42', '9999999999999999']) assert.equal(todos.isId(id), true, id);
  for (const id of ['0', '01', '-1', '1.5', 'abc', '', '99999999999999999', 'validate']) assert.equal(todos.isId(id), false, id);
});
