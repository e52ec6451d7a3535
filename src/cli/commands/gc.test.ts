import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeAdminApi } from '../../../test/support/fake-admin-api.js';
import { bufferOutput } from '../cli-output.js';
import { gcCommand } from './gc.js';

const report = {
  dryRun: true,
  reclaimedBytes: 3 * 1024 * 1024 + 2048,
  removed: { blobs: 2, artifacts: 1, temporary: 0 },
  kept: { blobs: 4, artifacts: 2 },
  items: [
    { kind: 'blob', path: 'blobs/sha256/aa', bytes: 2 * 1024 * 1024 },
    { kind: 'blob', path: 'blobs/sha256/bb', bytes: 1024 * 1024 },
    { kind: 'artifacts', path: 'artifacts/cc-jco1-abi1', bytes: 2048 },
  ],
  itemsOmitted: 0,
};

test('gc --dry-run asks for a dry run and lists what would go, then the total', async () => {
  const api = await startFakeAdminApi({ 'POST /v1/gc?dryRun=1': { body: { gc: report } } });
  try {
    const output = bufferOutput();
    assert.equal(await gcCommand({ dryRun: true }, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(api.requests[0]?.url, '/v1/gc?dryRun=1');
    assert.equal(
      output.stdout,
      'would remove  blob       blobs/sha256/aa         2.0 MiB\n' +
        'would remove  blob       blobs/sha256/bb         1.0 MiB\n' +
        'would remove  artifacts  artifacts/cc-jco1-abi1  2.0 KiB\n' +
        'would reclaim 3.0 MiB: 2 blob(s), 1 artifact directory, 0 temporary file(s); kept 4 blob(s), 2 artifact directories\n',
    );
  } finally {
    await api.close();
  }
});

test('gc removes, and says so; with nothing to collect it says that; --json is the API body', async () => {
  const removed = { ...report, dryRun: false, items: [report.items[0]], removed: { blobs: 1, artifacts: 0, temporary: 0 }, reclaimedBytes: 2 * 1024 * 1024 };
  const api = await startFakeAdminApi({ 'POST /v1/gc': { body: { gc: removed } } });
  try {
    const output = bufferOutput();
    assert.equal(await gcCommand({ dryRun: false }, { adminUrl: api.url, json: false, output }), 0);
    assert.equal(api.requests[0]?.url, '/v1/gc');
    assert.match(output.stdout, /^removed {2}blob {2}blobs\/sha256\/aa {2}2\.0 MiB\nreclaimed 2\.0 MiB: 1 blob\(s\)/);
    const json = bufferOutput();
    assert.equal(await gcCommand({ dryRun: false }, { adminUrl: api.url, json: true, output: json }), 0);
    assert.equal(json.stdout, `${JSON.stringify({ gc: removed })}\n`);
  } finally {
    await api.close();
  }
  const empty = await startFakeAdminApi({ 'POST /v1/gc?dryRun=1': { body: { gc: { ...report, items: [], removed: { blobs: 0, artifacts: 0, temporary: 0 }, reclaimedBytes: 0 } } } });
  try {
    const output = bufferOutput();
    assert.equal(await gcCommand({ dryRun: true }, { adminUrl: empty.url, json: false, output }), 0);
    assert.equal(output.stdout, 'nothing to collect; kept 4 blob(s), 2 artifact directories\n');
  } finally {
    await empty.close();
  }
});
