// The seed's own example, end to end, as a person runs it: a real `wasmlet serve`, the example
// deployed with the wasmlet CLI, photos uploaded with the real AWS CLI and boto3 (from
// toolchains/s3-clients/install.sh: a missing install fails, never skips). The thumbnail appears in
// bucket `thumbnails` under the same key with .png, at most 128x128; a text file ends in the
// dead-letter queue with its reason.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, startServe, type ServingHost } from '../support/cli-process.js';
import { examplesDir, repoRoot } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

const example = join(examplesDir, 'thumbnail-on-upload');
const venv = join(repoRoot, 'toolchains', '.cache', 's3-clients-venv');
/** The photo in the example's testdata is 1024x683: its thumbnail is 128x85. */
const expected = { width: 128, height: 85 };

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The width and height in a PNG's IHDR chunk (the first after the signature). */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const png = Buffer.from(bytes);
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'a PNG signature');
  assert.equal(png.subarray(12, 16).toString(), 'IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('examples/thumbnail-on-upload with the AWS CLI and boto3 against wasmlet serve', () => {
  let dataDir: string;
  let host: ServingHost;
  let env: Record<string, string>;

  function run(file: string, args: readonly string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(file, args, { env, cwd: example, timeout: 120_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });
  }

  /** `aws ... --endpoint-url <host>`, exactly as the README writes it, asserting exit 0. */
  async function aws(...args: string[]): Promise<string> {
    const result = await run(join(venv, 'bin', 'aws'), [...args, '--endpoint-url', host.urls.s3]);
    assert.equal(result.code, 0, `aws ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  async function wasmlet(...args: string[]): Promise<string> {
    const result = await runCli([...args, '--admin-url', host.urls.admin, '--data-dir', dataDir]);
    assert.equal(result.code, 0, `wasmlet ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  before(async () => {
    const check = await new Promise<number>((resolve) => execFile('bash', [join(repoRoot, 'toolchains', 's3-clients', 'install.sh'), '--check'], (err) => resolve(err ? 1 : 0)));
    assert.equal(check, 0, 'awscli and boto3 are not installed: run toolchains/s3-clients/install.sh (npm run toolchains)');
    dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-thumbnail-on-upload-'));
    host = await startServe(['--data-dir', dataDir, '--workers', '2']);
    // Credentials from nowhere but here; the secret access key is the host's admin token.
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dataDir,
      AWS_ACCESS_KEY_ID: 'wasmlet',
      AWS_SECRET_ACCESS_KEY: (await host.authorization()).replace(/^Bearer /, ''),
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: join(dataDir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    assert.match(await wasmlet('deploy', example), /^deployed thumbnail-on-upload v1 /);
  });

  after(async () => {
    await host?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('deploy created both buckets', async () => {
    const listing = await aws('s3', 'ls');
    assert.match(listing, /\suploads$/m);
    assert.match(listing, /\sthumbnails$/m);
  });

  test('aws s3 cp photo.jpg s3://uploads/2026/cat.jpg: the thumbnail appears as 2026/cat.png, 128x85', async () => {
    await aws('s3', 'cp', 'testdata/photo.jpg', 's3://uploads/2026/cat.jpg');
    const listing = await waitFor('the thumbnail', async () => {
      const result = await run(join(venv, 'bin', 'aws'), ['s3', 'ls', 's3://thumbnails/2026/', '--endpoint-url', host.urls.s3]);
      return /\scat\.png$/m.test(result.stdout) ? result.stdout : undefined;
    }, 60_000);
    assert.match(listing, /^\S+ \S+\s+\d+ cat\.png$/m);
    await aws('s3', 'cp', 's3://thumbnails/2026/cat.png', join(dataDir, 'cat.png'));
    assert.deepEqual(pngSize(await readFile(join(dataDir, 'cat.png'))), expected);
    const head = JSON.parse(await aws('s3api', 'head-object', '--bucket', 'thumbnails', '--key', '2026/cat.png')) as { ContentType: string };
    assert.equal(head.ContentType, 'image/png');
  });

  test('boto3 upload_file: the same, read back with get_object', async () => {
    const script = `
import sys, time, boto3
s3 = boto3.client('s3', endpoint_url=sys.argv[1])
s3.upload_file('testdata/photo.jpg', 'uploads', '2026/boto.jpg')
for _ in range(600):
    try:
        body = s3.get_object(Bucket='thumbnails', Key='2026/boto.png')['Body'].read()
        sys.stdout.buffer.write(body)
        sys.exit(0)
    except s3.exceptions.NoSuchKey:
        time.sleep(0.1)
sys.exit('no thumbnail for 2026/boto.jpg')
`;
    const result = await new Promise<{ code: number; stdout: Buffer; stderr: string }>((resolve) => {
      execFile(join(venv, 'bin', 'python'), ['-c', script, host.urls.s3], { env, cwd: example, encoding: 'buffer', timeout: 120_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? 1 : 0, stdout, stderr: stderr.toString() });
      });
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(pngSize(result.stdout), expected);
  });

  test('a text file ends in the dead-letter queue with its reason, and gets no thumbnail', async () => {
    await aws('s3', 'cp', 'testdata/notes.txt', 's3://uploads/2026/notes.txt');
    const dead = await waitFor('the dead letter', async () => {
      const { messages } = JSON.parse(await wasmlet('queue', 'dlq', 'thumbnail-failures', '--json')) as { messages: Array<{ lastError: string; attributes: Record<string, string>; text: string }> };
      return messages.length > 0 ? messages : undefined;
    }, 60_000);
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.lastError, '2026/notes.txt: not a PNG or JPEG image');
    assert.equal(dead[0]!.attributes['object-key'], '2026/notes.txt');
    assert.equal(JSON.parse(dead[0]!.text).Records[0].eventName, 'ObjectCreated:Put');
    const listing = await aws('s3', 'ls', 's3://thumbnails/2026/');
    assert.doesNotMatch(listing, /notes/);
    assert.match(await wasmlet('logs', 'thumbnail-on-upload'), /uploads\/2026\/cat\.jpg -> thumbnails\/2026\/cat\.png \(128x85\)/);
  });
});
