// The S3 endpoint over loopback HTTP, byte by byte: AWS's documented aws-chunked upload replayed, bodies that must
// store nothing, the Host check, early refusals that never ask for the body, XML and error documents.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { after, test } from 'node:test';
import { SqliteObjectStore } from '../objects/sqlite-object-store.js';
import { createS3Listener, type S3AppOptions } from './s3-app.js';
import { parseAmzDate } from './sigv4.js';

const root = mkdtempSync(join(tmpdir(), 'wasmlet-s3-app-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the server sent `100 Continue`. */
  readonly continued: boolean;
}

async function withEndpoint(options: Partial<S3AppOptions> & { limits?: Parameters<typeof SqliteObjectStore.open>[0]['limits'] }, body: (e: { port: number; store: SqliteObjectStore }) => Promise<void>) {
  const store = await SqliteObjectStore.open({ dir: join(root, `s${dirs++}`), limits: options.limits });
  const listener: RequestListener = createS3Listener({ store, secret: undefined, listenHost: '127.0.0.1', ...options });
  const server = createServer(listener).on('checkContinue', listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body({ port: (server.address() as AddressInfo).port, store });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  }
}

/** One request; with `expect: 100-continue` the body is sent only if the server asks for it. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), continued }));
    });
    req.on('error', reject);
    if (headers.expect === '100-continue') {
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.flushHeaders();
    } else {
      req.end(body);
    }
  });
}

const codeOf = (reply: Reply) => /<Code>([^<]*)<\/Code>/.exec(reply.body)?.[1];

// AWS's worked example of a chunked upload (sigv4-streaming): 66 560 bytes of 'a' in a 64 KiB and a 1 KiB chunk.
const exampleSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const exampleChunks: Array<[number, string]> = [
  [65536, 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648'],
  [1024, '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'],
  [0, 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'],
];
const exampleBody = (tamper = false) =>
  Buffer.concat(exampleChunks.map(([size, signature], i) => {
    const data = Buffer.alloc(size, 'a');
    if (tamper && i === 1) data[10] = 'b'.charCodeAt(0);
    return Buffer.concat([Buffer.from(`${size.toString(16)};chunk-signature=${signature}\r\n`), data, Buffer.from('\r\n')]);
  }));
const exampleHeaders = {
  host: 's3.amazonaws.com',
  'x-amz-date': '20130524T000000Z',
  'x-amz-storage-class': 'REDUCED_REDUNDANCY',
  // The access key id is not signed in the Authorization header: the documented seed signature holds for "wasmlet".
  authorization: 'AWS4-HMAC-SHA256 Credential=wasmlet/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'content-encoding': 'aws-chunked',
  'x-amz-decoded-content-length': '66560',
  'content-length': '66824',
};
const exampleOptions = { secret: exampleSecret, listenHost: 's3.amazonaws.com', clock: { now: () => parseAmzDate('20130524T000000Z')! } };

test('the documented STREAMING-AWS4-HMAC-SHA256-PAYLOAD upload is decoded and stored; a chunk changed in flight stores nothing', async () => {
  await withEndpoint(exampleOptions, async ({ port, store }) => {
    await store.createBucket('examplebucket');
    assert.equal(exampleBody().length, 66824);
    const ok = await send(port, 'PUT', '/examplebucket/chunkObject.txt', exampleHeaders, exampleBody());
    assert.equal(ok.status, 200, ok.body);
    const md5 = createHash('md5').update(Buffer.alloc(66560, 'a')).digest('hex');
    assert.equal(ok.headers.etag, `"${md5}"`);
    assert.equal((await store.headObject('examplebucket', 'chunkObject.txt'))?.size, 66560);

    await store.deleteObject('examplebucket', 'chunkObject.txt');
    const bad = await send(port, 'PUT', '/examplebucket/chunkObject.txt', exampleHeaders, exampleBody(true));
    assert.equal(bad.status, 403);
    assert.equal(codeOf(bad), 'SignatureDoesNotMatch');
    const cut = exampleBody().subarray(0, 66000);
    const truncated = await send(port, 'PUT', '/examplebucket/chunkObject.txt', { ...exampleHeaders, 'content-length': String(cut.length) }, cut);
    assert.equal(truncated.status, 403, 'the Content-Length is signed'); // a shorter body cannot even be announced
    assert.equal(await store.headObject('examplebucket', 'chunkObject.txt'), null);
    assert.deepEqual(await store.usage(), { bytes: 0, quotaBytes: null });
  });
});

test('aws-chunked with a CRC32 trailer (what the AWS SDKs stream): a wrong trailer or broken framing stores nothing', async () => {
  await withEndpoint({}, async ({ port, store }) => {
    await store.createBucket('bkt');
    const data = Buffer.from('streamed with a trailer');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(data));
    const framed = (checksum: string, end = '0\r\n') => Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from(`\r\n${end}x-amz-checksum-crc32:${checksum}\r\n\r\n`)]);
    const headers = { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-decoded-content-length': String(data.length) };
    const ok = await send(port, 'PUT', '/bkt/ok', headers, framed(crc.toString('base64')));
    assert.equal(ok.status, 200, ok.body);
    const wrong = await send(port, 'PUT', '/bkt/wrong', headers, framed('AAAAAA=='));
    assert.deepEqual([wrong.status, codeOf(wrong)], [400, 'XAmzContentChecksumMismatch']);
    const broken = await send(port, 'PUT', '/bkt/broken', headers, framed(crc.toString('base64'), 'zz\r\n'));
    assert.deepEqual([broken.status, codeOf(broken)], [400, 'IncompleteBody']);
    const plainCrc = await send(port, 'PUT', '/bkt/header', { 'x-amz-checksum-crc32': 'AAAAAA==' }, data);
    assert.deepEqual([plainCrc.status, codeOf(plainCrc)], [400, 'XAmzContentChecksumMismatch']);
    const sha = await send(port, 'PUT', '/bkt/sha', { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') }, data);
    assert.deepEqual([sha.status, codeOf(sha)], [400, 'XAmzContentSHA256Mismatch']);
    const md5 = await send(port, 'PUT', '/bkt/md5', { 'content-md5': createHash('md5').update('other').digest('base64') }, data);
    assert.deepEqual([md5.status, codeOf(md5)], [400, 'BadDigest']);
    assert.deepEqual((await store.listObjects('bkt')).objects.map((o) => o.key), ['ok']);
    assert.equal((await store.usage()).bytes, data.length);
  });
});

test('a Host header that is not the listen address or a loopback name is refused (DNS rebinding)', async () => {
  await withEndpoint({}, async ({ port }) => {
    const evil = await send(port, 'GET', '/', { host: 'attacker.example' });
    assert.deepEqual([evil.status, codeOf(evil)], [403, 'AccessDenied']);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      assert.equal((await send(port, 'GET', '/', { host })).status, 200, host);
    }
    // <bucket>.localhost is loopback too, and addresses the bucket virtual-hosted style.
    assert.equal(codeOf(await send(port, 'GET', '/', { host: 'photos.localhost' })), 'NoSuchBucket');
  });
});

test('errors are S3 XML with a RequestId (the x-amz-request-id header); HEAD gets the status alone', async () => {
  await withEndpoint({}, async ({ port, store }) => {
    await store.createBucket('bkt');
    const missing = await send(port, 'GET', '/bkt/no/such%20key');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message><Key>no\/such key<\/Key><BucketName>bkt<\/BucketName><Resource>\/bkt\/no\/such key<\/Resource><RequestId>([0-9A-F]{16})<\/RequestId><\/Error>$/);
    assert.equal(/<RequestId>(\w+)</.exec(missing.body)![1], missing.headers['x-amz-request-id']);
    const head = await send(port, 'HEAD', '/bkt/nothing');
    assert.deepEqual([head.status, head.body], [404, '']);
    assert.equal(codeOf(await send(port, 'GET', '/nobucket/k')), 'NoSuchBucket');
    assert.equal(codeOf(await send(port, 'GET', '/bkt?acl')), 'NotImplemented');
    assert.equal(codeOf(await send(port, 'PATCH', '/bkt/k')), 'MethodNotAllowed');
    assert.equal(codeOf(await send(port, 'PUT', '/Bad_Bucket')), 'InvalidBucketName');
    assert.equal(codeOf(await send(port, 'PUT', '/bkt')), 'BucketAlreadyOwnedByYou');
  });
});

test('keys travel percent-encoded: any UTF-8 round-trips, NUL and bad UTF-8 are refused and store nothing', async () => {
  await withEndpoint({}, async ({ port, store }) => {
    await store.createBucket('bkt');
    const key = 'dir/a b+c?d#é😀.txt';
    const path = `/bkt/${key.split('/').map(encodeURIComponent).join('/')}`;
    assert.equal((await send(port, 'PUT', path, {}, 'x')).status, 200);
    assert.equal((await send(port, 'GET', path)).body, 'x');
    assert.equal((await store.headObject('bkt', key))?.size, 1);
    const nul = await send(port, 'PUT', '/bkt/nul%00key', {}, 'x');
    assert.deepEqual([nul.status, codeOf(nul)], [400, 'InvalidArgument']);
    assert.match(nul.body, /<Resource>\/bkt\/nul\ufffdkey<\/Resource>/, 'an XML 1.0 parser can read the error (no &#x0;)');
    const latin = await send(port, 'PUT', '/bkt/bad%FFutf8', {}, 'x');
    assert.deepEqual([latin.status, codeOf(latin)], [400, 'InvalidURI']);
    const long = await send(port, 'PUT', `/bkt/${'k'.repeat(1025)}`, {}, 'x');
    assert.deepEqual([long.status, codeOf(long)], [400, 'KeyTooLongError']);
    assert.deepEqual((await store.listObjects('bkt')).objects.map((o) => o.key), [key]);
  });
});

test('a body over the limit is refused from its Content-Length before 100 Continue, so it is never sent; a streamed one is cut off', async () => {
  await withEndpoint({ limits: { maxPutObjectBytes: 1024 } }, async ({ port, store }) => {
    await store.createBucket('bkt');
    const big = Buffer.alloc(4096, 'x');
    const refused = await send(port, 'PUT', '/bkt/big', { expect: '100-continue', 'content-length': String(big.length) }, big);
    assert.deepEqual([refused.status, codeOf(refused), refused.continued], [400, 'EntityTooLarge', false]);
    assert.match(refused.body, /<MaxSizeAllowed>1024<\/MaxSizeAllowed>/);
    const fits = await send(port, 'PUT', '/bkt/small', { expect: '100-continue', 'content-length': '10' }, Buffer.alloc(10));
    assert.deepEqual([fits.status, fits.continued], [200, true]);
    const chunked = await send(port, 'PUT', '/bkt/chunked', { 'transfer-encoding': 'chunked' }, big);
    assert.deepEqual([chunked.status, codeOf(chunked)], [400, 'EntityTooLarge']);
    assert.deepEqual((await store.listObjects('bkt')).objects.map((o) => o.key), ['small']);
  });
});

test('Range: 206 with Content-Range; past the end 416 with the size; several ranges or bad syntax serve it whole', async () => {
  await withEndpoint({}, async ({ port, store }) => {
    await store.createBucket('bkt');
    await store.putObject('bkt', 'k', Buffer.from('0123456789'));
    const part = await send(port, 'GET', '/bkt/k', { range: 'bytes=2-5' });
    assert.deepEqual([part.status, part.body, part.headers['content-range'], part.headers['content-length']], [206, '2345', 'bytes 2-5/10', '4']);
    const suffix = await send(port, 'GET', '/bkt/k', { range: 'bytes=-3' });
    assert.deepEqual([suffix.status, suffix.body], [206, '789']);
    const past = await send(port, 'GET', '/bkt/k', { range: 'bytes=10-' });
    assert.deepEqual([past.status, codeOf(past), past.headers['content-range']], [416, 'InvalidRange', 'bytes */10']);
    for (const range of ['bytes=0-1,4-5', 'lines=1-2', 'bytes=5-2']) assert.deepEqual([(await send(port, 'GET', '/bkt/k', { range })).status], [200], range);
    const etag = part.headers.etag!;
    assert.equal((await send(port, 'GET', '/bkt/k', { 'if-none-match': etag })).status, 304);
    assert.equal(codeOf(await send(port, 'GET', '/bkt/k', { 'if-match': '"0000"' })), 'PreconditionFailed');
  });
});

test('DeleteObjects and CompleteMultipartUpload refuse XML that does not parse, and a DOCTYPE, as MalformedXML', async () => {
  await withEndpoint({}, async ({ port, store }) => {
    await store.createBucket('bkt');
    await store.putObject('bkt', 'a', Buffer.from('x'));
    for (const body of ['<Delete><Object><Key>a</Key></Object>', '<!DOCTYPE x [<!ENTITY e "a">]><Delete><Object><Key>&e;</Key></Object></Delete>', '<Other/>', '<Delete></Delete>']) {
      const reply = await send(port, 'POST', '/bkt?delete', {}, body);
      assert.deepEqual([reply.status, codeOf(reply)], [400, 'MalformedXML'], body);
    }
    assert.ok(await store.headObject('bkt', 'a'));
    const deleted = await send(port, 'POST', '/bkt?delete', {}, '<?xml version="1.0"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object><Object><Key>n&#x0;ul</Key></Object><Object><Key>never</Key></Object></Delete>');
    assert.equal(deleted.status, 200);
    assert.match(deleted.body, /<Deleted><Key>a<\/Key><\/Deleted><Error><Key>n\ufffdul<\/Key><Code>InvalidArgument<\/Code>.*<Deleted><Key>never<\/Key><\/Deleted>/);
    const id = await store.createMultipartUpload('bkt', 'm');
    const complete = await send(port, 'POST', `/bkt/m?uploadId=${id}`, {}, '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>');
    assert.deepEqual([complete.status, codeOf(complete)], [400, 'MalformedXML']);
  });
});

test('with a secret: unsigned requests are AccessDenied; without one (loopback, no token) they pass', async () => {
  await withEndpoint({ secret: 'a-secret-of-the-host' }, async ({ port }) => {
    const reply = await send(port, 'GET', '/');
    assert.deepEqual([reply.status, codeOf(reply)], [403, 'AccessDenied']);
  });
  await withEndpoint({}, async ({ port }) => {
    assert.equal((await send(port, 'PUT', '/open')).status, 200);
    assert.match((await send(port, 'GET', '/')).body, /<Name>open<\/Name>/);
  });
});
