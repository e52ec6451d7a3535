// `wasmlet objects ls|cp|rm|mb`, the real CLI as a child process, against a host's S3 endpoint.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../support/cli-process.js';
import { startS3Host, type S3TestHost } from '../support/s3-host.js';

const token = 'cli-objects-token-0123456789';
let h: S3TestHost;
let work: string;
const objects = (args: string[], env: Record<string, string> = {}) => runCli(['objects', ...args], { WASMLET_S3_URL: h.url, WASMLET_TOKEN: token, ...env });
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

before(async () => {
  h = await startS3Host({ token });
  work = await mkdtemp(join(tmpdir(), 'wasmlet-cli-objects-'));
});
after(async () => {
  await h?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('objects mb, cp up (one request, and in parts above 16 MiB), ls, cp down to a file and to stdout, rm', async () => {
  const ok = async (args: string[]) => {
    const result = await objects(args);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  assert.equal(await ok(['mb', 's3://docs']), 'make_bucket: docs\n');
  await writeFile(join(work, 'note.txt'), 'a note\n');
  const big = randomBytes(40 * 1024 * 1024);
  await writeFile(join(work, 'big.bin'), big);
  assert.equal(await ok(['cp', join(work, 'note.txt'), 's3://docs/notes/']), `upload: ${join(work, 'note.txt')} to s3://docs/notes/note.txt\n`);
  const json = await runCli(['--json', 'objects', 'cp', join(work, 'big.bin'), 's3://docs/data/big.bin'], { WASMLET_S3_URL: h.url, WASMLET_TOKEN: token });
  assert.equal(json.code, 0, json.stderr);
  const put = JSON.parse(json.stdout) as { size: number; etag: string };
  assert.equal(put.size, big.length);
  assert.match(put.etag, /^[0-9a-f]{32}-3$/, '40 MiB in 16 MiB parts');

  assert.match(await ok(['ls']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d docs\n$/);
  assert.equal((await ok(['ls', 'docs'])).split('\n').filter(Boolean).map((l) => l.trim()).join('|'), 'PRE data/|PRE notes/');
  assert.match(await ok(['ls', 's3://docs/notes/']), /^\S+ \S+ +7 note\.txt\n$/);
  assert.match(await ok(['ls', 'docs', '--recursive']), /\s41943040 data\/big\.bin\n.*\s7 notes\/note\.txt\n$/s);

  assert.equal(await ok(['cp', 's3://docs/notes/note.txt', '-']), 'a note\n');
  await ok(['cp', 's3://docs/data/big.bin', join(work, 'big.out')]);
  assert.equal(md5(await readFile(join(work, 'big.out'))), md5(big));
  await ok(['cp', 's3://docs/notes/note.txt', `${work}/`]);

  assert.equal(await ok(['rm', 's3://docs/notes/note.txt']), 'delete: s3://docs/notes/note.txt\n');
  assert.equal(await ok(['rm', '--recursive', 's3://docs/']), 'delete: s3://docs/data/big.bin\n');
  assert.equal(await ok(['ls', 'docs', '--recursive']), '');
});

test('objects: failures are one line with S3\'s code; a failed download leaves no file', async () => {
  assert.equal((await objects(['mb', 's3://fails'])).code, 0);
  const wrong = await objects(['ls', 'fails'], { WASMLET_TOKEN: 'not-the-token-of-this-host' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^wasmlet: .* \(SignatureDoesNotMatch\)\n$/);
  const missing = await objects(['cp', 's3://fails/nope.txt', join(work, 'nope.txt')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /\(NoSuchKey\)\n$/);
  assert.ok(!(await readdir(work)).some((name) => name.includes('nope')), 'no file, no temporary file');
  const noBucket = await objects(['cp', join(work, 'big.bin'), 's3://no-such-bucket/x']);
  assert.match(noBucket.stderr, /\(NoSuchBucket\)\n$/);
  const down = await runCli(['objects', '--s3-url', 'http://127.0.0.1:9', 'ls']);
  assert.match(down.stderr, /cannot reach the S3 endpoint at http:\/\/127\.0\.0\.1:9.*\(s3_unreachable\)\n$/);
  const json = await runCli(['--json', 'objects', 'ls', 'no-such-bucket'], { WASMLET_S3_URL: h.url, WASMLET_TOKEN: token });
  assert.deepEqual(JSON.parse(json.stdout), { error: { code: 'NoSuchBucket', message: 'no bucket "no-such-bucket"' } });
});
