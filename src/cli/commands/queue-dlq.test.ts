import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sampleMessage, startFakeAdminApi, type FakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { queueDlqCommand } from './queue-dlq.js';

const dead = { queue: 'jobs-dlq', messages: [sampleMessage({ id: 'm-9', attempt: 3, body: 'fail:bad address', lastError: 'bad address' })] };
let api: FakeAdminApi;

before(async () => {
  api = await startFakeAdminApi({
    'GET /v1/queues/jobs-dlq/messages': { body: dead },
    'GET /v1/queues/clean-dlq/messages?limit=5': { body: { queue: 'clean-dlq', messages: [] } },
    'POST /v1/queues/jobs-dlq/redrive': { body: { from: 'jobs-dlq', to: 'jobs', moved: 1 } },
    'POST /v1/queues/jobs-dlq/redrive?to=parked&limit=10': { body: { from: 'jobs-dlq', to: 'parked', moved: 0 } },
    'POST /v1/queues/orphan-dlq/redrive': {
      status: 400,
      body: { error: { code: 'bad_request', message: 'no [[queue]] trigger names orphan-dlq as its dead_letter queue; say where to move its messages with ?to=<queue>' } },
    },
  });
});
after(() => api.close());

test('queue dlq lists the dead letters like peek, with their last error', async () => {
  const output = bufferOutput();
  assert.equal(await queueDlqCommand('jobs-dlq', {}, { adminUrl: api.url, json: false, output }), 0, output.stderr);
  assert.equal(output.stdout, 'm-9  visible  attempt 3  "fail:bad address"  error: bad address\n');

  const empty = bufferOutput();
  assert.equal(await queueDlqCommand('clean-dlq', { limit: 5 }, { adminUrl: api.url, json: false, output: empty }), 0);
  assert.equal(empty.stdout, 'no dead letters in clean-dlq\n');

  const json = bufferOutput();
  assert.equal(await queueDlqCommand('jobs-dlq', {}, { adminUrl: api.url, json: true, output: json }), 0);
  assert.equal(json.stdout, `${JSON.stringify(dead)}\n`);
});

test('--redrive moves them to the source queue, or to --to, and says how many', async () => {
  const output = bufferOutput();
  assert.equal(await queueDlqCommand('jobs-dlq', { redrive: true }, { adminUrl: api.url, json: false, output }), 0, output.stderr);
  assert.equal(output.stdout, 'moved 1 message(s) from jobs-dlq to jobs\n');
  assert.equal(api.requests.at(-1)?.method, 'POST');

  const elsewhere = bufferOutput();
  assert.equal(await queueDlqCommand('jobs-dlq', { redrive: true, to: 'parked', limit: 10 }, { adminUrl: api.url, json: true, output: elsewhere }), 0);
  assert.deepEqual(JSON.parse(elsewhere.stdout), { from: 'jobs-dlq', to: 'parked', moved: 0 });
});

test('a DLQ no trigger names needs --to; --to alone is refused before any request', async () => {
  const orphan = bufferOutput();
  assert.equal(await queueDlqCommand('orphan-dlq', { redrive: true }, { adminUrl: api.url, json: false, output: orphan }), 1);
  assert.match(orphan.stderr, /^wasmlet: no \[\[queue\]\] trigger names orphan-dlq .*\?to=<queue> \(bad_request\)\n$/);

  const requests = api.requests.length;
  const lone = bufferOutput();
  assert.equal(await queueDlqCommand('jobs-dlq', { to: 'jobs' }, { adminUrl: api.url, json: false, output: lone }), 1);
  assert.equal(lone.stderr, 'wasmlet: --to needs --redrive (bad_request)\n');
  assert.equal(api.requests.length, requests);
});
