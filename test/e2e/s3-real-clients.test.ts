// The S3 endpoint driven by the real AWS CLI (v1, `awscli`) and boto3 from PyPI, as people use them against S3.
// They come from toolchains/s3-clients/install.sh (CI runs it through install-all.sh): a missing install fails, never skips.
import { awsClientEnv } from '../support/aws-env.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../support/paths.js';
import { startS3Host, type S3TestHost } from '../support/s3-host.js';

const MiB = 1024 * 1024;
const token = 'real-clients-token-0123456789';
const venv = join(repoRoot, 'toolchains', '.cache', 's3-clients-venv');
const aws = join(venv, 'bin', 'aws');
const python = join(venv, 'bin', 'python');
let h: S3TestHost;
let work: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(file: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...cleanEnv(), ...env }, cwd: work, maxBuffer: 64 * MiB, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Credentials from nowhere but here (test/support/aws-env.ts). */
function cleanEnv(): Record<string, string> {
  return awsClientEnv(work, token);
}

/** `aws --endpoint-url <host> ...args`; transfers (s3 cp/rm) print errors only, not their progress. */
const cli = (args: readonly string[], env: Record<string, string> = {}) => {
  const quiet = args[0] === 's3' && (args[1] === 'cp' || args[1] === 'rm') ? ['--only-show-errors'] : [];
  return run(aws, ['--endpoint-url', h.url, ...args, ...quiet], env);
};
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

before(async () => {
  const check = await new Promise<number>((resolve) => execFile('bash', [join(repoRoot, 'toolchains', 's3-clients', 'install.sh'), '--check'], (err) => resolve(err ? 1 : 0)));
  assert.equal(check, 0, 'awscli and boto3 are not installed: run toolchains/s3-clients/install.sh (npm run toolchains)');
  work = await mkdtemp(join(tmpdir(), 'wasmlet-s3-clients-'));
  // 4 MiB: a 5 MiB `aws s3 cp` is one PutObject (the CLI goes multipart from 8 MiB) and over it.
  h = await startS3Host({ token, objectLimits: { maxPutObjectBytes: 4 * MiB } });
});
after(async () => {
  await h?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('aws CLI: mb, cp up (small, and 20 MiB in parts) and down, ls, get-object --range, head-object, rm --recursive, rb', async () => {
  const small = Buffer.from('hello from the aws cli\n');
  const big = randomBytes(20 * MiB);
  await writeFile(join(work, 'small.txt'), small);
  await writeFile(join(work, 'big.bin'), big);
  const ok = async (args: string[]) => {
    const result = await cli(args);
    assert.equal(result.code, 0, `aws ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  await ok(['s3', 'mb', 's3://cli-bucket']);
  await ok(['s3', 'cp', 'small.txt', 's3://cli-bucket/dir/small.txt']);
  await ok(['s3', 'cp', 'big.bin', 's3://cli-bucket/dir/big.bin']);
  const listing = await ok(['s3', 'ls', 's3://cli-bucket/dir/']);
  assert.match(listing, /\s23 small\.txt$/m);
  assert.match(listing, new RegExp(`\\s${20 * MiB} big\\.bin$`, 'm'));
  assert.match(await ok(['s3', 'ls', 's3://cli-bucket/']), /PRE dir\/$/m);
  const head = JSON.parse(await ok(['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'dir/big.bin'])) as { ETag: string; ContentLength: number };
  assert.equal(head.ContentLength, 20 * MiB);
  assert.match(head.ETag, /^"[0-9a-f]{32}-3"$/, '8 MiB parts: 8 + 8 + 4');
  await ok(['s3', 'cp', 's3://cli-bucket/dir/big.bin', 'big.out']);
  assert.equal(md5(await readFile(join(work, 'big.out'))), md5(big));
  const range = JSON.parse(await ok(['s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'dir/small.txt', '--range', 'bytes=0-4', 'range.out'])) as { ContentRange: string };
  assert.equal(range.ContentRange, 'bytes 0-4/23');
  assert.equal(await readFile(join(work, 'range.out'), 'utf8'), 'hello');
  await ok(['s3', 'rm', '--recursive', 's3://cli-bucket/dir/']);
  assert.equal(await ok(['s3', 'ls', 's3://cli-bucket/', '--recursive']), '');
  await ok(['s3', 'rb', 's3://cli-bucket']);
  assert.deepEqual(await h.host.objects.usage(), { bytes: 0, quotaBytes: null });
});

test('aws CLI: a wrong secret, a wrong Content-MD5, an object over the limit and a truncated multipart upload fail with S3 codes and change nothing', async () => {
  const fails = async (args: string[], code: string, env: Record<string, string> = {}) => {
    const result = await cli(args, env);
    assert.notEqual(result.code, 0, `aws ${args.join(' ')} should fail`);
    assert.match(result.stderr, new RegExp(`\\(${code}\\)`), result.stderr);
  };
  const kept = Buffer.from('kept as it is');
  await writeFile(join(work, 'kept.txt'), kept);
  await writeFile(join(work, 'other.txt'), 'something else');
  await writeFile(join(work, 'five.bin'), randomBytes(5 * MiB));
  assert.equal((await cli(['s3', 'mb', 's3://bad-cases'])).code, 0);
  assert.equal((await cli(['s3', 'cp', 'kept.txt', 's3://bad-cases/kept.txt'])).code, 0);
  const before = await h.host.objects.usage();

  await fails(['s3', 'ls', 's3://bad-cases'], 'SignatureDoesNotMatch', { AWS_SECRET_ACCESS_KEY: 'not-the-token-of-this-host' });
  await fails(['s3api', 'put-object', '--bucket', 'bad-cases', '--key', 'kept.txt', '--body', 'other.txt', '--content-md5', createHash('md5').update('nope').digest('base64')], 'BadDigest');
  await fails(['s3', 'cp', 'five.bin', 's3://bad-cases/five.bin'], 'EntityTooLarge');
  const created = await cli(['s3api', 'create-multipart-upload', '--bucket', 'bad-cases', '--key', 'kept.txt']);
  const { UploadId } = JSON.parse(created.stdout) as { UploadId: string };
  const part = JSON.parse((await cli(['s3api', 'upload-part', '--bucket', 'bad-cases', '--key', 'kept.txt', '--upload-id', UploadId, '--part-number', '1', '--body', 'five.bin'])).stdout) as { ETag: string };
  const parts = JSON.stringify({ Parts: [{ PartNumber: 1, ETag: part.ETag }, { PartNumber: 2, ETag: `"${md5(Buffer.from('never'))}"` }] });
  await fails(['s3api', 'complete-multipart-upload', '--bucket', 'bad-cases', '--key', 'kept.txt', '--upload-id', UploadId, '--multipart-upload', parts], 'InvalidPart');
  assert.equal((await cli(['s3api', 'abort-multipart-upload', '--bucket', 'bad-cases', '--key', 'kept.txt', '--upload-id', UploadId])).code, 0);
  await fails(['s3api', 'list-parts', '--bucket', 'bad-cases', '--key', 'kept.txt', '--upload-id', UploadId], 'NoSuchUpload');

  assert.equal((await cli(['s3', 'cp', 's3://bad-cases/kept.txt', 'kept.out'])).code, 0);
  assert.deepEqual(await readFile(join(work, 'kept.out')), kept);
  assert.match((await cli(['s3', 'ls', 's3://bad-cases/'])).stdout, /^\S+ \S+ +13 kept\.txt\n$/);
  assert.deepEqual(await h.host.objects.usage(), before);
});

test('boto3: put, upload_file in parts, download_file, ranges, paginated listing, a presigned URL, and the bad cases', async () => {
  const result = await run(python, [join(repoRoot, 'test', 'e2e', 's3-boto3-scenario.py'), h.url, token, work]);
  assert.equal(result.code, 0, result.stderr);
  const seen = JSON.parse(result.stdout) as Record<string, unknown>;
  assert.match(seen.big_etag as string, /^"[0-9a-f]{32}-3"$/);
  assert.equal(seen.big_length, 20 * MiB);
  assert.equal(seen.big_roundtrip, true);
  assert.deepEqual(seen.range, [206, 'bytes 0-4/16', 'small']);
  assert.deepEqual(seen.small_metadata, { tool: 'boto3' });
  assert.deepEqual(seen.listed, ['dir/big.bin', 'small.txt']);
  assert.deepEqual(seen.prefixes, ['dir/']);
  assert.equal(seen.presigned, 'small from boto3');
  assert.equal(seen.presigned_v4, 'small from boto3');
  assert.deepEqual(seen.presigned_tampered, [403, 403]);
  assert.equal(seen.wrong_secret, 'SignatureDoesNotMatch');
  assert.equal(seen.bad_md5, 'BadDigest');
  assert.equal(seen.nul_key, 'InvalidArgument');
  assert.equal(seen.too_large, 'EntityTooLarge');
  assert.equal(seen.missing_part, 'InvalidPart');
  assert.equal(seen.after_abort, 'NoSuchUpload');
  assert.equal(seen.unchanged, true);
  assert.deepEqual(seen.deleted, ['dir/big.bin', 'small.txt']);
  assert.ok(!(seen.buckets_after as string[]).includes('boto-bucket'));
});
