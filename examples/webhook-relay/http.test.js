// End to end through a host, with this test as the chat: skipped unless WEBHOOK_RELAY_URL names the
// deployed function's route. The test listens on WEBHOOK_RELAY_UPSTREAM_PORT (default 8787) as the
// upstream, so the deployment's [config] target_url must be http://127.0.0.1:<that port>/chat (the
// committed wasmlet.toml's is), and WEBHOOK_RELAY_SECRET its [config] secret (default "change-me";
// "" when the deployment has none, which skips the signature test).
//   WEBHOOK_RELAY_URL=http://127.0.0.1:8080/webhook-relay node --test examples/webhook-relay/
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startUpstream } from './dev-upstream.mjs';
import { signatureFor } from './signature.js';

const url = process.env.WEBHOOK_RELAY_URL;
const skip = url ? false : 'set WEBHOOK_RELAY_URL to run against a host';
const upstreamPort = Number(process.env.WEBHOOK_RELAY_UPSTREAM_PORT ?? 8787);
const secret = process.env.WEBHOOK_RELAY_SECRET ?? 'change-me';

const webhook = { action: 'opened', repository: { full_name: 'octo/hello-world' }, sender: { login: 'ada' } };

/** POSTs `value` as JSON, signed with `signWith` (the deployment's secret by default; null: unsigned). */
async function post(value, signWith = secret) {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  const headers = { 'content-type': 'application/json' };
  if (signWith) headers['x-signature'] = signatureFor(signWith, new TextEncoder().encode(body));
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, type: res.headers.get('content-type'), json: await res.json() };
}

let upstream;
before(async () => {
  if (!skip) upstream = await startUpstream({ port: upstreamPort });
});
after(async () => {
  await upstream?.close();
});

test('a signed webhook reaches the chat as { text }; the relay answers 202 with the chat\'s status', { skip }, async () => {
  upstream.status = 200;
  const { status, json } = await post(webhook);
  assert.equal(status, 202);
  assert.deepEqual(json, { relayed: { text: '[octo/hello-world] opened by ada' }, upstream_status: 200 });
  const received = upstream.received.at(-1);
  assert.equal(received.path, '/chat');
  assert.equal(received.headers['content-type'], 'application/json');
  assert.deepEqual(received.json, { text: '[octo/hello-world] opened by ada' });
});

test('an error status from the chat is reported, still with 202', { skip }, async () => {
  upstream.status = 503;
  const { status, json } = await post({ ...webhook, action: 'closed' });
  assert.equal(status, 202);
  assert.equal(json.upstream_status, 503);
  upstream.status = 200;
});

test('an invalid webhook is a 400 problem naming the field; nothing reaches the chat', { skip }, async () => {
  const before = upstream.received.length;
  const { status, type, json } = await post({ ...webhook, sender: { login: '' } });
  assert.equal(status, 400);
  assert.equal(type, 'application/problem+json');
  assert.equal(json.field, 'sender.login');
  assert.equal(upstream.received.length, before);
});

test('a missing or wrong signature is a 401 problem', { skip: skip || (secret ? false : 'the deployment has no secret') }, async () => {
  assert.equal((await post(webhook, null)).status, 401);
  assert.equal((await post(webhook, 'not-the-secret')).status, 401);
});

test('with the chat down, the relay answers 502 naming the outbound error', { skip }, async () => {
  await upstream.close();
  try {
    const { status, json } = await post(webhook);
    assert.equal(status, 502);
    assert.equal(json.code, 'connection-refused');
  } finally {
    upstream = await startUpstream({ port: upstreamPort });
  }
});
