import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { logsCommand } from './logs.js';

test('logs asks for the limit and prints one line per entry, or the JSON', async () => {
  const body = { logs: [{ time: '2026-11-27T19:23:37.123Z', requestId: 'req-1', level: 'warn', stream: 'log', message: 'slow' }] };
  const api = await startFakeAdminApi({ 'GET /v1/functions/hello/logs?limit=20': { body } });
  try {
    const output = bufferOutput();
    assert.equal(await logsCommand('hello', { limit: 20 }, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(output.stdout, '2026-11-27T19:23:37.123Z warn  [req-1] slow\n');

    const json = bufferOutput();
    assert.equal(await logsCommand('hello', { limit: 20 }, { adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), body);
  } finally {
    await api.close();
  }
});
