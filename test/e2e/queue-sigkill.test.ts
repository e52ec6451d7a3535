// The durability promise of the embedded queue, against real host processes: a stream of N messages
// is consumed by a real guest while the host is killed with SIGKILL ten times mid-processing; every
// message must be handled at least once and none lost. The probe guest reports each message it
// handled to "probe-out" in the same transaction as the ack, so the report is the proof of handling.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { bundleWith } from '../support/bundles.js';
import { adminRequest, startServe, type ServingHost } from '../support/cli-process.js';
import { fixtureComponent } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

const messages = 2_000;
const kills = 10;
const chunk = messages / kills;

const manifest = `name = "stream-worker"
component = "component.wasm"
publish = ["probe-out"]

[[queue]]
queue = "stream"
batch_size = 10
concurrency = 2
max_attempts = 1000
backoff = { initial_ms = 10, max_ms = 100 }
`;

const admin = adminRequest;

async function reported(host: ServingHost): Promise<number> {
  const { json } = await admin(host, '/v1/queues/probe-out');
  return json().visible as number;
}

/** waitFor, for a yes/no condition. */
function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<true> {
  return waitFor(what, async () => ((await check()) ? true : undefined), timeoutMs);
}

test(`SIGKILL ${kills}× while a stream of ${messages} messages is processed: none lost`, { timeout: 300_000 }, async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-sigkill-'));
  try {
    let host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    const deployed = await admin(host, '/v1/functions', { method: 'POST', body: bundleWith(manifest, fixtureComponent('queue-probe')) });
    assert.equal(deployed.status, 201, deployed.text);

    for (let round = 0; round < kills; round++) {
      const before = await reported(host);
      const batch = Array.from({ length: chunk }, (_, i) => ({ body: `m-${round * chunk + i}` }));
      const sent = await admin(host, '/v1/queues/stream/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.wasmlet.batch+json' },
        body: JSON.stringify({ messages: batch }),
      });
      assert.equal(sent.status, 202, sent.text);
      // Kill once the consumer is demonstrably mid-stream: some of this chunk done, not all.
      await until('progress', async () => (await reported(host)) > before);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20)));
      await host.kill();
      host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    }

    await until('the stream to drain', async () => {
      const { json } = await admin(host, '/v1/queues/stream');
      const s = json();
      return (s.visible as number) + (s.inFlight as number) + (s.delayed as number) === 0;
    }, 120_000);
    await host.stop();

    const db = new Database(join(dataDir, 'queues.db'), { readonly: true });
    const rows = db.prepare("SELECT body FROM messages WHERE queue = 'probe-out'").all() as Array<{ body: Buffer }>;
    const dead = (db.prepare("SELECT count(*) AS n FROM messages WHERE queue = 'stream-dlq'").get() as { n: number }).n;
    db.close();
    // Each report: "stream <id> <attempt> m-<n>".
    const handled = new Map<string, number>();
    let redelivered = 0;
    for (const { body } of rows) {
      const [, , attempt, text] = body.toString().split(' ');
      handled.set(text!, (handled.get(text!) ?? 0) + 1);
      if (Number(attempt) > 1) redelivered++;
    }
    const missing = Array.from({ length: messages }, (_, i) => `m-${i}`).filter((m) => !handled.has(m));
    assert.deepEqual(missing, [], `${missing.length} message(s) lost`);
    assert.equal(dead, 0, 'nothing dead-lettered');
    t.diagnostic(`${rows.length} reports for ${messages} messages; ${redelivered} handled on a redelivery after a kill`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
