import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_TAGS, TITLE_MAX_CHARS, parseTodo } from './todo-schema.js';

const fields = (result) => result.errors.map((e) => `${e.field} ${e.code}`);

test('normalises a valid todo', () => {
  const { todo, dueSpan } = parseTodo({ title: '  Buy milk ', due: '2026-12-01', tags: ['Home', ' errands', 'home'] });
  assert.deepEqual(todo, { title: 'Buy milk', due: '2026-12-01', tags: ['home', 'errands'], done: false });
  assert.equal(dueSpan.endMs, Date.UTC(2026, 11, 2));
});

test('optional fields may be absent or null', () => {
  assert.deepEqual(parseTodo({ title: 'x' }).todo, { title: 'x', tags: [], done: false });
  assert.deepEqual(parseTodo({ title: 'x', due: null, tags: null, done: null }).todo, { title: 'x', tags: [], done: false });
  assert.equal(parseTodo({ title: 'x', done: true }).todo.done, true);
});

test('reports every invalid field with a JSON Pointer', () => {
  const result = parseTodo({ title: '', due: '2025-02-30', tags: 'x', titel: 1, done: 'yes' });
  assert.deepEqual(fields(result), ['/titel unknown_field', '/title empty', '/due invalid_date', '/tags type', '/done type']);
});

test('title: required, a string, 1..200 code points once trimmed', () => {
  assert.deepEqual(fields(parseTodo({})), ['/title required']);
  assert.deepEqual(fields(parseTodo({ title: 5 })), ['/title type']);
  assert.deepEqual(fields(parseTodo({ title: '   ' })), ['/title empty']);
  assert.deepEqual(fields(parseTodo({ title: 'x'.repeat(TITLE_MAX_CHARS + 1) })), ['/title too_long']);
  assert.ok(parseTodo({ title: '😀'.repeat(TITLE_MAX_CHARS) }).todo); // 400 UTF-16 units, 200 characters
});

test('tags: at most 10 strings of 1..32 characters, each error at its index', () => {
  assert.deepEqual(fields(parseTodo({ title: 'x', tags: Array(MAX_TAGS + 1).fill('a') })), ['/tags too_many']);
  assert.deepEqual(fields(parseTodo({ title: 'x', tags: ['ok', 3, ' ', 'y'.repeat(33)] })), ['/tags/1 type', '/tags/2 empty', '/tags/3 too_long']);
});

test('the body itself must be an object; nested paths use the given prefix', () => {
  assert.deepEqual(parseTodo([1]).errors, [{ field: '', code: 'type', message: 'must be an object, got an array' }]);
  assert.deepEqual(fields(parseTodo({ title: '' }, '/todos/2')), ['/todos/2/title empty']);
  assert.deepEqual(fields(parseTodo({ 'a/b~': 1, title: 'x' })), ['/a~1b~0 unknown_field']);
});
