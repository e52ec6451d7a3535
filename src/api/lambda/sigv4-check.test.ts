// SigV4 verification against the SDK's own signer: a genuine request passes; a changed body, path,
// header, key, secret or clock does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { LambdaError } from './lambda-error.js';
import { claimedSignature, verifySignature } from './sigv4-check.js';

const secret = 'unit-test-token-0123456789';
const now = Date.UTC(2026, 11, 7, 2, 0, 0);

async function signed(init: { accessKeyId?: string; secret?: string; path?: string; body?: string; applyChecksum?: boolean; at?: number }) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: init.accessKeyId ?? 'wasmlet', secretAccessKey: init.secret ?? secret },
    region: 'eu-central-1', service: 'lambda', sha256: Hash.bind(null, 'sha256'), applyChecksum: init.applyChecksum ?? false,
  });
  const path = init.path ?? '/2015-03-31/functions/hello%3Alive/invocations';
  const body = init.body ?? '{"n":1}';
  const request = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path, query: { Qualifier: 'live' }, headers: { host: '127.0.0.1:9000', 'x-amz-invocation-type': 'RequestResponse' }, body },
    { signingDate: new Date(init.at ?? now) },
  );
  return { headers: new Headers(request.headers as Record<string, string>), path, body: new TextEncoder().encode(body) };
}

async function verify(request: { headers: Headers; path: string; body: Uint8Array }, at = now): Promise<void> {
  const claim = claimedSignature(request.headers, at);
  await verifySignature({ method: 'POST', rawPath: request.path, url: new URL(`http://127.0.0.1:9000${request.path}?Qualifier=live`), headers: request.headers, body: request.body }, claim, secret);
}

const refused = (code: string) => (err: unknown) => err instanceof LambdaError && err.code === code;

test('a request signed with the host token verifies, with or without x-amz-content-sha256, in any region', async () => {
  await verify(await signed({}));
  await verify(await signed({ applyChecksum: true }));
});

test('a changed body, path or signed header, a wrong secret or key, and a skewed clock are refused', async () => {
  const genuine = await signed({});
  await assert.rejects(verify({ ...genuine, body: new TextEncoder().encode('{"n":2}') }), refused('InvalidSignatureException'));
  await assert.rejects(verify({ ...genuine, path: '/2015-03-31/functions/other/invocations' }), refused('InvalidSignatureException'));
  const headers = new Headers(genuine.headers);
  headers.set('x-amz-invocation-type', 'Event');
  await assert.rejects(verify({ ...genuine, headers }), refused('InvalidSignatureException'));
  const withHash = await signed({ applyChecksum: true });
  await assert.rejects(verify({ ...withHash, body: new TextEncoder().encode('{"n":2}') }), refused('InvalidSignatureException'));
  await assert.rejects(verify(await signed({ secret: 'another-secret-0123456789' })), refused('InvalidSignatureException'));
  await assert.rejects(verify(await signed({ accessKeyId: 'AKIDEXAMPLE' })), refused('UnrecognizedClientException'));
  await assert.rejects(verify(await signed({ at: now - 16 * 60 * 1000 })), refused('InvalidSignatureException'));
  await verify(await signed({ at: now - 14 * 60 * 1000 }));
  await assert.rejects(verify({ ...genuine, headers: new Headers() }), refused('MissingAuthenticationTokenException'));
});
