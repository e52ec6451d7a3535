// SigV4 against the worked examples in AWS's S3 documentation (sig-v4-header-based-auth, -query-string-auth, -streaming).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { authenticate } from './s3-auth.js';
import { S3Error } from './s3-errors.js';
import {
  canonicalHeaderValue, canonicalQuery, canonicalRequest, chunkStringToSign, emptySha256, parseAmzDate, sha256Hex, signatureOf, signingKey, stringToSign, uriEncode,
} from './sigv4.js';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const scope = { date: '20130524', region: 'us-east-1', service: 's3' };
const amzDate = '20130524T000000Z';
const signedAt = parseAmzDate(amzDate)!;

test('GET Object with a Range (header auth): the documented signature', () => {
  const canonical = canonicalRequest({
    method: 'GET',
    canonicalUri: '/test.txt',
    canonicalQuery: '',
    headers: [['host', 'examplebucket.s3.amazonaws.com'], ['range', 'bytes=0-9'], ['x-amz-content-sha256', emptySha256], ['x-amz-date', amzDate]],
    payloadHash: emptySha256,
  });
  assert.equal(sha256Hex(canonical), '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
  assert.equal(signatureOf(signingKey(secret, scope), stringToSign(amzDate, scope, canonical)), 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
});

test('chunked upload: the documented chunk signatures (64 KiB, 1 KiB, final)', () => {
  const key = signingKey(secret, scope);
  let previous = '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9';
  const expected = ['ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648', '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497', 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'];
  [65536, 1024, 0].forEach((size, i) => {
    previous = signatureOf(key, chunkStringToSign(amzDate, scope, previous, sha256Hex(Buffer.alloc(size, 'a'))));
    assert.equal(previous, expected[i]);
  });
});

test('encoding: unreserved characters stay, everything else is %XX of UTF-8; queries sort by encoded name; header values are trimmed', () => {
  assert.equal(uriEncode('a b/c~d_e-f.g+h*é'), 'a%20b%2Fc~d_e-f.g%2Bh%2A%C3%A9');
  assert.equal(uriEncode('/photos/a b.jpg', true), '/photos/a%20b.jpg');
  assert.equal(canonicalQuery([['prefix', 'a/b'], ['list-type', '2'], ['delimiter', '/'], ['uploads', '']]), 'delimiter=%2F&list-type=2&prefix=a%2Fb&uploads=');
  assert.equal(canonicalHeaderValue(['  a   b  ', 'c']), 'a b,c');
});

/** Just what authenticate reads from a request. */
function request(method: string, headers: Record<string, string>): IncomingMessage {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, headers: lower, headersDistinct: Object.fromEntries(Object.entries(lower).map(([k, v]) => [k, [v]])) } as unknown as IncomingMessage;
}

const documentedGet = (authorization: string) =>
  request('GET', {
    host: 'examplebucket.s3.amazonaws.com',
    range: 'bytes=0-9',
    'x-amz-content-sha256': emptySha256,
    'x-amz-date': amzDate,
    authorization,
  });
// The access key id is not part of what is signed: the documented signature holds for "wasmlet" too.
const documentedAuthorization = 'AWS4-HMAC-SHA256 Credential=wasmlet/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41';
const target = { rawPath: '/test.txt', decodedPath: '/test.txt', query: [] as Array<[string, string]> };
const code = (expected: string) => (err: unknown) => err instanceof S3Error && err.code === expected;

test('authenticate: the documented request passes; a wrong secret, key id, clock or signed header set does not', () => {
  const ok = authenticate({ req: documentedGet(documentedAuthorization), ...target, secret, now: signedAt + 60_000 });
  assert.equal(ok.payloadHash, emptySha256);
  assert.equal(ok.chunkSigning?.seedSignature, 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  assert.throws(() => authenticate({ req: documentedGet(documentedAuthorization), ...target, secret: 'another-secret', now: signedAt }), code('SignatureDoesNotMatch'));
  assert.throws(() => authenticate({ req: documentedGet(documentedAuthorization.replace('wasmlet/', 'AKIAIOSFODNN7EXAMPLE/')), ...target, secret, now: signedAt }), code('InvalidAccessKeyId'));
  assert.throws(() => authenticate({ req: documentedGet(documentedAuthorization), ...target, secret, now: signedAt + 16 * 60_000 }), code('RequestTimeTooSkewed'));
  assert.throws(() => authenticate({ req: documentedGet(documentedAuthorization.replace('host;range;', 'range;')), ...target, secret, now: signedAt }), code('AccessDenied'));
  assert.throws(() => authenticate({ req: documentedGet(documentedAuthorization), rawPath: '/other.txt', decodedPath: '/other.txt', query: [], secret, now: signedAt }), code('SignatureDoesNotMatch'));
  assert.throws(() => authenticate({ req: request('GET', { host: 'h' }), ...target, secret, now: signedAt }), code('AccessDenied'), 'unsigned');
  assert.throws(() => authenticate({ req: documentedGet('AWS wasmlet:sig'), ...target, secret, now: signedAt }), code('InvalidRequest'), 'SigV2');
  assert.throws(() => authenticate({ req: documentedGet('AWS4-HMAC-SHA256 Credential=x'), ...target, secret, now: signedAt }), code('AuthorizationHeaderMalformed'));
});

test('authenticate: without a secret (a loopback host without a token) anything passes, signed or not', () => {
  assert.equal(authenticate({ req: request('GET', { host: 'h' }), ...target, secret: undefined, now: 0 }).payloadHash, 'UNSIGNED-PAYLOAD');
  assert.equal(authenticate({ req: documentedGet(documentedAuthorization), ...target, secret: undefined, now: 0 }).chunkSigning, undefined);
});

test('presigned GET: the documented signature (the credential is part of the signed query)', () => {
  const query: Array<[string, string]> = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', 'AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request'],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', '86400'],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const canonical = canonicalRequest({ method: 'GET', canonicalUri: '/test.txt', canonicalQuery: canonicalQuery(query), headers: [['host', 'examplebucket.s3.amazonaws.com']], payloadHash: 'UNSIGNED-PAYLOAD' });
  assert.equal(signatureOf(signingKey(secret, scope), stringToSign(amzDate, scope, canonical)), 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
});

test('authenticate: a presigned URL passes until it expires, and not once its query is changed', () => {
  const query: Array<[string, string]> = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', 'wasmlet/20130524/us-east-1/s3/aws4_request'],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', '86400'],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const canonical = canonicalRequest({ method: 'GET', canonicalUri: '/test.txt', canonicalQuery: canonicalQuery(query), headers: [['host', 'examplebucket.s3.amazonaws.com']], payloadHash: 'UNSIGNED-PAYLOAD' });
  query.push(['X-Amz-Signature', signatureOf(signingKey(secret, scope), stringToSign(amzDate, scope, canonical))]);
  const req = request('GET', { host: 'examplebucket.s3.amazonaws.com' });
  assert.equal(authenticate({ req, ...target, query, secret, now: signedAt + 86_399_000 }).payloadHash, 'UNSIGNED-PAYLOAD');
  assert.throws(() => authenticate({ req, ...target, query, secret, now: signedAt + 86_401_000 }), (err) => err instanceof S3Error && err.code === 'AccessDenied' && /expired/.test(err.message));
  const tampered = query.map(([k, v]): [string, string] => [k, k === 'X-Amz-Expires' ? '604800' : v]);
  assert.throws(() => authenticate({ req, ...target, query: tampered, secret, now: signedAt }), code('SignatureDoesNotMatch'));
  const tooLong = query.map(([k, v]): [string, string] => [k, k === 'X-Amz-Expires' ? '604801' : v]);
  assert.throws(() => authenticate({ req, ...target, query: tooLong, secret, now: signedAt }), code('AuthorizationQueryParametersError'));
});
