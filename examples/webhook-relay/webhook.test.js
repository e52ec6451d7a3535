// Parsing webhooks and the chat message made of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatMessage, parseWebhook } from './webhook.js';

const valid = { action: 'opened', repository: { full_name: 'octo/hello-world', private: false }, sender: { login: 'ada' }, issue: { number: 1 } };

test('a GitHub-style webhook gives action, repository and sender; other fields are ignored', () => {
  assert.deepEqual(parseWebhook(JSON.stringify(valid)), { ok: true, event: { action: 'opened', repository: 'octo/hello-world', sender: 'ada' } });
  assert.deepEqual(chatMessage({ action: 'opened', repository: 'octo/hello-world', sender: 'ada' }), { text: '[octo/hello-world] opened by ada' });
});

test('the first wrong field is named', () => {
  const cases = [
    ['not json', ''],
    ['[1]', ''],
    [{ ...valid, action: undefined }, 'action'],
    [{ ...valid, action: '  ' }, 'action'],
    [{ ...valid, action: 'x'.repeat(201) }, 'action'],
    [{ ...valid, repository: 'octo/hello' }, 'repository'],
    [{ ...valid, repository: { full_name: 'no-slash' } }, 'repository.full_name'],
    [{ ...valid, repository: { full_name: 'a/b/c' } }, 'repository.full_name'],
    [{ ...valid, sender: null }, 'sender'],
    [{ ...valid, sender: { login: 7 } }, 'sender.login'],
  ];
  for (const [body, field] of cases) {
    const parsed = parseWebhook(typeof body === 'string' ? body : JSON.stringify(body));
    assert.equal(parsed.ok, false, JSON.stringify(body));
    assert.equal(parsed.field, field, JSON.stringify(body));
    assert.ok(parsed.message.startsWith(field), parsed.message);
  }
});
