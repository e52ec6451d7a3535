import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { adminTokenPath, loadOrCreateAdminToken, readAdminToken } from './admin-token.js';

let root: string;
let n = 0;
before(async () => void (root = await mkdtemp(join(tmpdir(), 'wasmlet-admin-token-'))));
after(() => rm(root, { recursive: true, force: true }));

async function freshDir(): Promise<string> {
  const dir = join(root, String(n++));
  await mkdir(dir);
  return dir;
}

test('the first call generates a 0600 token file, later calls read the same token', async () => {
  const dir = await freshDir();
  const first = await loadOrCreateAdminToken(dir);
  assert.equal(first.generated, true);
  assert.equal(first.path, join(dir, 'admin-token'));
  assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await stat(first.path)).mode & 0o777, 0o600);
  assert.equal(await readFile(first.path, 'latin1'), `${first.token}\n`);
  const second = await loadOrCreateAdminToken(dir);
  assert.deepEqual(second, { ...first, generated: false });
});

test('two hosts racing on one data dir end with one token', async () => {
  const dir = await freshDir();
  const results = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateAdminToken(dir)));
  assert.equal(new Set(results.map((r) => r.token)).size, 1);
  assert.equal(results.filter((r) => r.generated).length, 1);
});

test('a token file other users can read or write is refused, naming the fix', async () => {
  for (const mode of [0o644, 0o640, 0o602, 0o660]) {
    const dir = await freshDir();
    const { path } = await loadOrCreateAdminToken(dir);
    await chmod(path, mode);
    await assert.rejects(loadOrCreateAdminToken(dir), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'bad_request');
      assert.match(err.message, new RegExp(`accessible to other users \\(mode 0${mode.toString(8)}\\); restrict it with: chmod 600 ${path}`));
      return true;
    });
    await assert.rejects(readAdminToken(path), /accessible to other users/);
  }
});

test('a symbolic link, a folder or a file holding no token is refused, not replaced', async () => {
  const dir = await freshDir();
  const elsewhere = join(dir, 'elsewhere');
  await writeFile(elsewhere, 'a-token-that-is-long-enough\n', { mode: 0o600 });
  await symlink(elsewhere, adminTokenPath(dir));
  await assert.rejects(loadOrCreateAdminToken(dir), /cannot read the admin token .*symbolic link/);

  const folder = await freshDir();
  await mkdir(adminTokenPath(folder), { mode: 0o700 });
  await assert.rejects(loadOrCreateAdminToken(folder), /must be a regular file/);

  for (const content of ['', '\n', 'short\n', 'has a space in it somewhere\n', 'x'.repeat(5000)]) {
    const bad = await freshDir();
    await writeFile(adminTokenPath(bad), content, { mode: 0o600 });
    await assert.rejects(loadOrCreateAdminToken(bad), /does not hold a token .*delete it to have a new one generated/);
    assert.equal(await readFile(adminTokenPath(bad), 'latin1'), content, 'left as it was');
  }
});

test('a token written by hand (one line, printable, 16+ characters) is used as it is', async () => {
  const dir = await freshDir();
  await writeFile(adminTokenPath(dir), 'my-own-token-0123456789\n', { mode: 0o600 });
  assert.deepEqual(await loadOrCreateAdminToken(dir), { token: 'my-own-token-0123456789', path: adminTokenPath(dir), generated: false });
});

test('readAdminToken: undefined when there is no file (the CLI then sends none)', async () => {
  assert.equal(await readAdminToken(join(await freshDir(), 'admin-token')), undefined);
});
