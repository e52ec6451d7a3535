import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TODOS, parseSummaryRequest, summarise } from './todo-summary.js';

const now = Date.UTC(2026, 0, 2, 12); // 2026-01-02T12:00Z

function summary(todos) {
  const parsed = parseSummaryRequest({ todos });
  assert.ok(parsed.items, JSON.stringify(parsed.errors));
  return summarise(parsed.items, now);
}

test('counts totals, tags and untagged todos', () => {
  const s = summary([
    { title: 'a', tags: ['work'] },
    { title: 'b', tags: ['work', 'home'], done: true },
    { title: 'c' },
  ]);
  assert.deepEqual(s, { total: 3, done: 1, open: 2, byTag: { home: 1, work: 2 }, untagged: 1, overdue: [] });
});

test('overdue: open todos past their due, most overdue first; a date lasts until its midnight UTC', () => {
  const s = summary([
    { title: 'yesterday', due: '2026-01-01' },
    { title: 'today', due: '2026-01-02' },
    { title: 'this morning', due: '2026-01-02T09:00Z' },
    { title: 'done', due: '2025-01-01', done: true },
    { title: 'eve, New York', due: '2025-12-31T23:00-05:00' },
  ]);
  assert.deepEqual(s.overdue.map((t) => t.title), ['eve, New York', 'yesterday', 'this morning']);
  assert.deepEqual(s.overdue[1], { index: 0, title: 'yesterday', due: '2026-01-01' });
});

test('rejects a body that is not {"todos": [...]}, and lists every bad todo', () => {
  assert.equal(parseSummaryRequest([{ title: 'a' }]).errors[0].field, '');
  assert.equal(parseSummaryRequest({ todos: {} }).errors[0].field, '/todos');
  const { errors } = parseSummaryRequest({ todos: [{ title: 'a' }, { title: '' }, { x: 1 }], extra: 1 });
  assert.deepEqual(errors.map((e) => e.field), ['/extra', '/todos/1/title', '/todos/2/x', '/todos/2/title']);
});

test('caps the list', () => {
  const { errors } = parseSummaryRequest({ todos: Array(MAX_TODOS + 1).fill({ title: 't' }) });
  assert.equal(errors[0].code, 'too_many');
});
