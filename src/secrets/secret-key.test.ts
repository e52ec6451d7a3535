import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generatedKeyFileName, loadSecretKey } from './secret-key.js';

describe('loadSecretKey', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasmlet-secret-key-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('--secret-key-file: 32 raw bytes, or 64 hex characters with or without a newline', async () => {
    const raw = randomBytes(32);
    await writeFile(join(dir, 'raw.key'), raw);
    assert.deepEqual((await loadSecretKey({ keyFile: join(dir, 'raw.key'), dataDir: dir })).key, raw);
    await writeFile(join(dir, 'hex.key'), `${raw.toString('hex').toUpperCase()}\n`);
    assert.deepEqual((await loadSecretKey({ keyFile: join(dir, 'hex.key'), dataDir: dir })).key, raw);
    await writeFile(join(dir, 'hex-bare.key'), raw.toString('hex'));
    assert.deepEqual((await loadSecretKey({ keyFile: join(dir, 'hex-bare.key'), dataDir: dir })).key, raw);
  });

  test('--secret-key-file: anything else is refused, saying what a key must be', async () => {
    const cases: [string, string | Buffer][] = [
      ['short.key', randomBytes(31)],
      ['long.key', randomBytes(33)],
      ['hex63.key', 'a'.repeat(63)],
      ['notHex.key', 'g'.repeat(64)],
      ['passphrase.key', 'correct horse battery staple\n'],
      ['empty.key', ''],
    ];
    for (const [name, content] of cases) {
      await writeFile(join(dir, name), content);
      await assert.rejects(loadSecretKey({ keyFile: join(dir, name), dataDir: dir }), /must hold a 256-bit key: exactly 32 raw bytes or 64 hex characters, got \d+ bytes/, name);
    }
    await assert.rejects(loadSecretKey({ keyFile: join(dir, 'missing.key'), dataDir: dir }), /cannot read --secret-key-file .*missing\.key/);
  });

  test('without a key file: generated once into <data-dir>/secret.key with mode 0600, then read back', async () => {
    const dataDir = await mkdtemp(join(dir, 'data-'));
    const first = await loadSecretKey({ dataDir });
    assert.equal(first.generated, true);
    assert.equal(first.key.length, 32);
    const path = join(dataDir, generatedKeyFileName);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal(await readFile(path, 'utf8'), `${first.key.toString('hex')}\n`);
    const second = await loadSecretKey({ dataDir });
    assert.equal(second.generated, false);
    assert.deepEqual(second.key, first.key);
  });

  test('a generated key file others can read, or a link, is refused', async () => {
    const dataDir = await mkdtemp(join(dir, 'data-'));
    await loadSecretKey({ dataDir });
    const path = join(dataDir, generatedKeyFileName);
    await chmod(path, 0o640);
    await assert.rejects(loadSecretKey({ dataDir }), /secret\.key is accessible to other users \(mode 0640\); restrict it with: chmod 600/);
    await chmod(path, 0o600);
    const linked = await mkdtemp(join(dir, 'data-'));
    await symlink(path, join(linked, generatedKeyFileName));
    await assert.rejects(loadSecretKey({ dataDir: linked }), /must be a regular file/);
  });
});
