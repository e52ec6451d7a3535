import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { lockDataDir } from './data-dir-lock.js';

async function withDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-lock-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A child process that takes the lock, says so, and then waits to be killed. */
function holdInChild(dir: string) {
  const lockModule = fileURLToPath(new URL('./data-dir-lock.js', import.meta.url));
  const script = `const { lockDataDir } = await import(${JSON.stringify(lockModule)}); await lockDataDir(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const held = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return { child, held };
}

test('a second claim is refused while the first holds the lock, in this process or another; released, it can be taken', async () => {
  await withDir(async (dir) => {
    const unlock = await lockDataDir(dir);
    await assert.rejects(lockDataDir(dir), /in use by another wasmlet host \(pid \d+\)/);
    await unlock();
    const again = await lockDataDir(dir);
    await again();
  });
});

test('the lock of a process killed with SIGKILL is free at once: the kernel released it', async () => {
  await withDir(async (dir) => {
    const { child, held } = holdInChild(dir);
    await held;
    await assert.rejects(lockDataDir(dir), new RegExp(`pid ${child.pid}`));
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    const unlock = await lockDataDir(dir); // host.pid still names the dead pid: it does not matter
    await unlock();
  });
});

test('a host.pid naming a live process that holds no lock (a reused PID) does not block', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'host.pid'), `${process.ppid}\n`); // alive, and not a wasmlet host
    const unlock = await lockDataDir(dir);
    await unlock();
  });
});

test('a lock file with damaged bytes is started afresh (no process can hold a lock through it)', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'host.lock'), 'this is not an SQLite database, not even its header');
    const unlock = await lockDataDir(dir);
    await assert.rejects(lockDataDir(dir), /in use/);
    await unlock();
  });
});
