// A start that survives damage, against real hosts: a damaged function file quarantines that
// function and the others serve; a damaged, emptied or vanished queue database refuses the start
// (naming the file and the way out) instead of starting with its messages gone; the data-dir lock is
// the kernel's, so a reused PID blocks nothing and a SIGKILLed host's lock is free.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { WasmletError } from '../../src/errors/wasmlet-error.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { runCli, startServe } from '../support/cli-process.js';
import { examplesDir } from '../support/paths.js';
import { startTestHost, type TestHost } from '../support/test-host.js';

const helloC = join(examplesDir, 'hello-c', 'hello-c.wasm');
const encoder = new TextEncoder();

async function deployHello(host: TestHost, name: string): Promise<void> {
  const response = await host.deploy(bundleWith(manifestFor(name, `/${name}`), helloC));
  assert.equal(response.status, 201, await response.text());
}

async function greets(host: TestHost, name: string): Promise<boolean> {
  const response = await host.get(`/${name}?name=x`);
  return response.status === 200 && (await response.text()) === 'Hello, x, from C!\n';
}

/** A data dir with two functions and 2,000 queued messages, its host closed. */
async function populatedDataDir(): Promise<string> {
  const host = await startTestHost();
  await deployHello(host, 'alpha');
  await deployHello(host, 'beta');
  for (let batch = 0; batch < 20; batch++) {
    await host.host.queues.send('jobs', Array.from({ length: 100 }, (_, i) => ({ body: encoder.encode(`job ${batch * 100 + i}`) })));
  }
  await host.close(false);
  return host.dataDir;
}

/** Starting a host on `dataDir` fails with data_dir_damaged, naming the queue database and the command that moves it aside. */
async function assertRefusedForQueues(dataDir: string, what: RegExp): Promise<void> {
  const path = join(dataDir, 'queues.db');
  await assert.rejects(startTestHost({}, dataDir), (err: unknown) => {
    assert.ok(err instanceof WasmletError, String(err));
    assert.equal(err.code, 'data_dir_damaged');
    assert.ok(err.message.includes(`queue database ${path} `), err.message);
    assert.match(err.message, what);
    assert.ok(err.message.includes(`mkdir -p ${join(dataDir, 'damaged')} && mv ${path}* ${join(dataDir, 'damaged')}/`), err.message);
    return true;
  });
}

/** Runs the recovery the refusal names (start with empty queues, the damaged files kept aside). */
async function moveQueuesAside(dataDir: string): Promise<void> {
  await mkdir(join(dataDir, 'damaged'), { recursive: true });
  for (const name of await readdir(dataDir)) if (name.startsWith('queues.db')) await rename(join(dataDir, name), join(dataDir, 'damaged', name));
}

describe('a start that survives damage', () => {
  test('a damaged function file quarantines that function; the others serve; delete then redeploy brings it back', async () => {
    const first = await startTestHost();
    await deployHello(first, 'alpha');
    await deployHello(first, 'beta');
    await first.close(false);
    const betaFile = join(first.dataDir, 'functions', 'beta.json');
    const text = await readFile(betaFile, 'utf8');
    await writeFile(betaFile, text.slice(0, text.length / 2)); // a torn write

    const second = await startTestHost({}, first.dataDir);
    try {
      assert.ok(await greets(second, 'alpha'));
      assert.equal((await second.get('/beta')).status, 404);
      const listed = (await (await second.admin('/v1/functions')).json()) as { functions: { name: string }[]; quarantined: { name: string; file: string; reason: string }[] };
      assert.deepEqual(listed.functions.map((f) => f.name), ['alpha']);
      assert.equal(listed.quarantined.length, 1);
      assert.equal(listed.quarantined[0]!.name, 'beta');
      assert.equal(listed.quarantined[0]!.file, betaFile);
      assert.match(listed.quarantined[0]!.reason, /^not valid JSON/);
      // Nothing overwrites the damaged record by accident: a deploy of that name is refused until it is deleted.
      const refused = await second.deploy(bundleWith(manifestFor('beta', '/beta'), helloC));
      assert.equal(refused.status, 409);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'function_quarantined');
      assert.equal(await readFile(betaFile, 'utf8'), text.slice(0, text.length / 2));
      // Its blobs are kept while it is quarantined: the file still names them.
      assert.equal(((await (await second.admin('/v1/gc?dryRun=1', { method: 'POST' })).json()) as { gc: { reclaimedBytes: number } }).gc.reclaimedBytes, 0);
      assert.equal((await second.admin('/v1/functions/beta', { method: 'DELETE' })).status, 200);
      assert.equal(existsSync(betaFile), false);
      await deployHello(second, 'beta');
      assert.ok(await greets(second, 'beta'));
      assert.deepEqual(((await (await second.admin('/v1/functions')).json()) as { quarantined: unknown[] }).quarantined, []);
    } finally {
      await second.close();
    }
  });

  test('a queue database with a damaged header refuses the start, untouched; moved aside as told, the host starts', async () => {
    const dataDir = await populatedDataDir();
    try {
      const path = join(dataDir, 'queues.db');
      const handle = await open(path, 'r+');
      await handle.write(Buffer.from('not SQLite at all'), 0, 16, 0);
      await handle.close();
      const damaged = await readFile(path);
      await assertRefusedForQueues(dataDir, /is damaged \(file is not a database\)/);
      assert.deepEqual(await readFile(path), damaged); // kept as it was, for salvage

      await moveQueuesAside(dataDir); // the refusal released the lock: the same process starts again
      const host = await startTestHost({}, dataDir);
      try {
        assert.ok(await greets(host, 'alpha'));
        assert.ok(await greets(host, 'beta'));
        assert.equal((await host.host.queues.stats('jobs')).visible, 0);
      } finally {
        await host.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a queue database truncated to 0 bytes or deleted is refused, never replaced by an empty one', async () => {
    const dataDir = await populatedDataDir();
    try {
      const path = join(dataDir, 'queues.db');
      const saved = await readFile(path);
      await truncate(path, 0);
      await assertRefusedForQueues(dataDir, /is empty \(0 bytes\), but .*queues\.db\.created says this data directory had one/);
      assert.equal((await readFile(path)).length, 0); // still empty: SQLite never wrote a fresh schema into it

      await rm(path);
      await assertRefusedForQueues(dataDir, /is missing, but/);
      assert.equal(existsSync(path), false);

      // A data dir from before the marker: an empty file beside a registry that lists functions is refused too.
      await rm(`${path}.created`);
      await writeFile(path, '');
      await assertRefusedForQueues(dataDir, /is empty \(0 bytes\) while the registry lists functions/);

      // Restored from the backup, every message is there.
      await writeFile(path, saved);
      const host = await startTestHost({}, dataDir);
      try {
        assert.equal((await host.host.queues.stats('jobs')).visible, 2000);
        assert.ok(await greets(host, 'alpha'));
      } finally {
        await host.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a host.pid naming a live process that is no host (a reused PID) does not block the start', async () => {
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-test-'));
    try {
      await writeFile(join(dataDir, 'host.pid'), `${bystander.pid}\n`);
      const host = await startTestHost({}, dataDir);
      await host.close();
    } finally {
      bystander.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a second host on the same data dir is refused, in the same process too', async () => {
    const host = await startTestHost();
    try {
      await assert.rejects(startTestHost({}, host.dataDir), /in use by another wasmlet host/);
      assert.equal((await host.admin('/v1/functions')).status, 200);
    } finally {
      await host.close();
    }
  });

  test('wasmlet serve: a SIGKILLed host leaves no lock; a second serve on a held dir, or on a damaged queue database, exits with one line', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-serve-'));
    try {
      const first = await startServe(['--data-dir', dataDir]);
      const refused = await runCli(['serve', '--port', '0', '--admin-port', '0', '--s3-port', '0', '--data-dir', dataDir]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`data directory ${dataDir} is in use by another wasmlet host \\(pid ${first.process.pid}\\)`));
      await first.kill(); // SIGKILL: no cleanup; host.pid still names the dead pid

      const second = await startServe(['--data-dir', dataDir]);
      await second.stop();

      const handle = await open(join(dataDir, 'queues.db'), 'r+');
      await handle.write(Buffer.from('not SQLite at all'), 0, 16, 0);
      await handle.close();
      // A SIGTERM that lands before serve listens for it ends the process without a checkpoint: the
      // WAL then still holds page 1, and SQLite reads the header from there. Damage both.
      for (const name of ['queues.db-wal', 'queues.db-shm']) await rm(join(dataDir, name), { force: true });
      const damaged = await runCli(['serve', '--port', '0', '--admin-port', '0', '--s3-port', '0', '--data-dir', dataDir]);
      assert.equal(damaged.code, 1);
      const last = damaged.stderr.trim().split('\n').at(-1)!;
      assert.ok(last.startsWith(`wasmlet: queue database ${join(dataDir, 'queues.db')} is damaged (file is not a database).`), damaged.stderr);
      assert.ok(last.endsWith(`mv ${join(dataDir, 'queues.db')}* ${join(dataDir, 'damaged')}/ (data_dir_damaged)`), last);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
