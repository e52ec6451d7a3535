import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidEmail, parseSignup } from './signup.js';

test('a signup is an object with an email and an optional name, trimmed', () => {
  assert.deepEqual(parseSignup({ email: ' ada@example.com ', name: ' Ada ' }), { signup: { email: 'ada@example.com', name: 'Ada' } });
  assert.deepEqual(parseSignup({ email: 'ada@example.com' }), { signup: { email: 'ada@example.com', name: '' } });
});

test('the problem with a malformed signup is named', () => {
  assert.match(parseSignup(null).problem, /must be a JSON object/);
  assert.match(parseSignup([]).problem, /must be a JSON object/);
  assert.match(parseSignup('ada@example.com').problem, /must be a JSON object/);
  assert.match(parseSignup({ name: 'Ada' }).problem, /"email" is required/);
  assert.match(parseSignup({ email: '  ' }).problem, /"email" is required/);
  assert.match(parseSignup({ email: 42 }).problem, /"email" is required/);
  assert.match(parseSignup({ email: 'a@b.co', name: 7 }).problem, /"name" must be a string/);
  assert.match(parseSignup({ email: `${'a'.repeat(250)}@b.co` }).problem, /longer than 254/);
  assert.match(parseSignup({ email: 'a@b.co', name: 'x'.repeat(201) }).problem, /longer than 200/);
});

test('isValidEmail catches typos, not deliverability', () => {
  for (const ok of ['ada@example.com', 'a.b+tag@mail.example.co.uk', 'x@a.io']) assert.equal(isValidEmail(ok), true, ok);
  for (const bad of ['ada', 'ada@', '@example.com', 'ada@example', 'ada@@example.com', 'ada @example.com', 'ada@example.', 'ada@.com']) {
    assert.equal(isValidEmail(bad), false, bad);
  }
});
