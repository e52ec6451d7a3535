// The relay with fake capabilities: what it posts, and every answer it gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relay } from './relay.js';
import { signatureFor } from './signature.js';

class FetchError extends TypeError {
  constructor(code, message) {
    super(message);
    this.name = 'FetchError';
    this.code = code;
  }
}

const webhook = JSON.stringify({ action: 'opened', repository: { full_name: 'octo/hello' }, sender: { login: 'ada' } });

function run({ body = webhook, headers = [], config = { target_url: 'http://127.0.0.1:8787/chat' }, answer = () => ({ status: 200 }) } = {}) {
  const sent = [];
  const logs = [];
  const response = relay(
    { method: 'POST', path: '/webhook-relay', query: '', headers, body: new TextEncoder().encode(body) },
    {
      config: (key) => config[key],
      fetchSync: (url, init) => {
        sent.push({ url, ...init, body: JSON.parse(init.body) });
        return answer(url);
      },
      FetchError,
      log: { info: (...a) => logs.push(['info', a.join(' ')]), warn: (...a) => logs.push(['warn', a.join(' ')]) },
    },
  );
  return { response: { ...response, json: JSON.parse(response.body) }, sent, logs };
}

test('a valid webhook is posted to target_url as { text }; the answer is 202 with the upstream status', () => {
  const { response, sent } = run({ answer: () => ({ status: 204 }) });
  assert.deepEqual(sent, [{ url: 'http://127.0.0.1:8787/chat', method: 'POST', headers: { 'content-type': 'application/json' }, body: { text: '[octo/hello] opened by ada' } }]);
  assert.equal(response.status, 202);
  assert.deepEqual(response.json, { relayed: { text: '[octo/hello] opened by ada' }, upstream_status: 204 });
});

test('an upstream error status is still relayed: 202 reporting it', () => {
  const { response } = run({ answer: () => ({ status: 503 }) });
  assert.equal(response.status, 202);
  assert.equal(response.json.upstream_status, 503);
});

test('an invalid webhook is a 400 problem naming the field, and nothing is posted', () => {
  const { response, sent } = run({ body: JSON.stringify({ action: 'opened', repository: { full_name: 'x' }, sender: { login: 'ada' } }) });
  assert.equal(response.status, 400);
  assert.equal(response.headers['content-type'], 'application/problem+json');
  assert.equal(response.json.field, 'repository.full_name');
  assert.match(response.json.detail, /^repository\.full_name must be "owner\/name"/);
  assert.equal(sent.length, 0);
});

test('no upstream response is a 502 problem naming the outbound error', () => {
  const { response, logs } = run({ answer: () => { throw new FetchError('connection-refused', 'POST http://127.0.0.1:8787/chat failed: connection-refused'); } });
  assert.equal(response.status, 502);
  assert.equal(response.json.code, 'connection-refused');
  assert.match(response.json.detail, /connection-refused/);
  assert.equal(logs[0][0], 'warn');
});

test('with a secret, the body must be signed: x-signature (or x-hub-signature-256) sha256=<hex HMAC>', () => {
  const config = { target_url: 'http://127.0.0.1:8787/chat', secret: 's3cret' };
  const signature = signatureFor('s3cret', new TextEncoder().encode(webhook));
  assert.equal(run({ config, headers: [['x-signature', signature]] }).response.status, 202);
  assert.equal(run({ config, headers: [['x-hub-signature-256', signature]] }).response.status, 202);
  for (const headers of [[], [['x-signature', 'sha256=00']], [['x-signature', signature.slice(7)]], [['x-signature', signatureFor('other', new TextEncoder().encode(webhook))]]]) {
    const { response, sent } = run({ config, headers });
    assert.equal(response.status, 401, JSON.stringify(headers));
    assert.equal(response.json.title, 'invalid signature');
    assert.equal(sent.length, 0);
  }
});

test('without target_url the relay says it is not configured', () => {
  const { response } = run({ config: {} });
  assert.equal(response.status, 500);
  assert.match(response.json.detail, /target_url/);
});
