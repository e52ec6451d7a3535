import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { secretListCommand } from './secret-list.js';

test('secret list prints names, dates and readers as a table, or the JSON; "no secrets" when empty', async () => {
  const secrets = [
    { name: 'STRIPE_KEY', createdAt: '2026-01-01T00:00:00.123Z', updatedAt: '2026-01-02T00:00:00.456Z', usedBy: [{ function: 'pay', key: 'api_key' }] },
    { name: 'UNUSED', createdAt: '2026-01-03T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z', usedBy: [] },
  ];
  const api = await startFakeAdminApi({ 'GET /v1/secrets': { body: { secrets } } });
  try {
    const output = bufferOutput();
    assert.equal(await secretListCommand({ adminUrl: api.url, json: false, output }), 0);
    assert.equal(
      output.stdout,
      'NAME        UPDATED               CREATED               USED BY\n' +
        'STRIPE_KEY  2026-01-02T00:00:00Z  2026-01-01T00:00:00Z  pay:api_key\n' +
        'UNUSED      2026-01-03T00:00:00Z  2026-01-03T00:00:00Z  -\n',
    );
    const json = bufferOutput();
    assert.equal(await secretListCommand({ adminUrl: api.url, json: true, output: json }), 0);
    assert.deepEqual(JSON.parse(json.stdout), { secrets });
  } finally {
    await api.close();
  }
  const empty = await startFakeAdminApi({ 'GET /v1/secrets': { body: { secrets: [] } } });
  try {
    const output = bufferOutput();
    assert.equal(await secretListCommand({ adminUrl: empty.url, json: false, output }), 0);
    assert.equal(output.stdout, 'no secrets\n');
  } finally {
    await empty.close();
  }
});
