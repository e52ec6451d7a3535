import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleQueueStats, startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { queueStatsCommand } from './queue-stats.js';

test('queue stats: every queue as a table, or one queue with its consumer; --json the API body', async () => {
  const all = { queues: [{ queue: 'jobs', visible: 3, inFlight: 1, delayed: 0, oldestAgeMs: 95_000 }] };
  const one = sampleQueueStats();
  const api = await startFakeAdminApi({ 'GET /v1/queues': { body: all }, 'GET /v1/queues/jobs': { body: one } });
  try {
    const output = bufferOutput();
    assert.equal(await queueStatsCommand(undefined, { adminUrl: api.url, json: false, output }), 0, output.stderr);
    assert.equal(output.stdout, 'QUEUE  VISIBLE  IN-FLIGHT  DELAYED  OLDEST\njobs   3        1          0        1 min 35 s\n');

    const single = bufferOutput();
    assert.equal(await queueStatsCommand('jobs', { adminUrl: api.url, json: false, output: single }), 0, single.stderr);
    assert.match(single.stdout, /^QUEUE +VISIBLE +IN-FLIGHT +DELAYED +OLDEST +CONSUMER\njobs +3 +1 +0 +1 min 35 s +jobs-worker\n$/);

    const json = bufferOutput();
    assert.equal(await queueStatsCommand(undefined, { adminUrl: api.url, json: true, output: json }), 0);
    assert.equal(json.stdout, `${JSON.stringify(all)}\n`);
    const jsonOne = bufferOutput();
    assert.equal(await queueStatsCommand('jobs', { adminUrl: api.url, json: true, output: jsonOne }), 0);
    assert.equal(jsonOne.stdout, `${JSON.stringify(one)}\n`);
  } finally {
    await api.close();
  }
});

test('a bad queue name is the host message on one line', async () => {
  const error = { code: 'bad_request', message: 'queue: "Jobs" is not a queue name (^[a-z0-9][a-z0-9._-]{0,127}$)' };
  const api = await startFakeAdminApi({ 'GET /v1/queues/Jobs': { status: 400, body: { error } } });
  try {
    const output = bufferOutput();
    assert.equal(await queueStatsCommand('Jobs', { adminUrl: api.url, json: false, output }), 1);
    assert.equal(output.stderr, `wasmlet: ${error.message} (bad_request)\n`);
  } finally {
    await api.close();
  }
});
