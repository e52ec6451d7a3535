// Verifies the SigV4 signature of a Lambda API request with @smithy/signature-v4 (the SDK's own
// signer, run on the server with the host's secret): the request is signed again exactly as the
// client says it signed it (its SignedHeaders, its date, its region) and the signatures compared in
// constant time. Access key id `wasmlet`, secret access key = the admin token, any region.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { LambdaError } from './lambda-error.js';

/** The access key id Lambda clients use; the secret access key is the host's admin token (as for S3). */
export const lambdaAccessKeyId = 'wasmlet';
/** AWS's tolerance for a client's clock. */
export const maxClockSkewMs = 15 * 60 * 1000;
const algorithm = 'AWS4-HMAC-SHA256';

/** What the Authorization header claims, checked before the body is read. */
export interface ClaimedSignature {
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  readonly signingDate: Date;
}

export interface SignedRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded (what the client signed). */
  readonly rawPath: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/**
 * Parses the Authorization header and checks the key and the clock; throws Lambda's error
 * (MissingAuthenticationTokenException, UnrecognizedClientException, InvalidSignatureException).
 */
export function claimedSignature(headers: Headers, now: number): ClaimedSignature {
  const header = headers.get('authorization');
  if (!header) throw new LambdaError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(header);
  if (!match) throw new LambdaError('InvalidSignatureException', `the Authorization header is not an ${algorithm} signature (Credential=…, SignedHeaders=…, Signature=…)`);
  const [accessKeyId, date, region, service, terminator, ...rest] = match[1]!.split('/');
  if (rest.length > 0 || terminator !== 'aws4_request' || !date || !region || !service) {
    throw new LambdaError('InvalidSignatureException', `the credential scope ${JSON.stringify(match[1])} is not <key>/<date>/<region>/<service>/aws4_request`);
  }
  if (accessKeyId !== lambdaAccessKeyId) throw new LambdaError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if (service !== 'lambda') throw new LambdaError('InvalidSignatureException', `Credential should be scoped to correct service: 'lambda'.`);
  const amzDate = headers.get('x-amz-date') ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || !amzDate.startsWith(date)) throw new LambdaError('InvalidSignatureException', `the request needs an X-Amz-Date (yyyyMMddTHHmmssZ) of the credential's date ${date}`);
  if (Math.abs(now - signingDate.getTime()) > maxClockSkewMs) {
    throw new LambdaError('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${amzDateOf(now - maxClockSkewMs)} (${amzDateOf(now)} - 15 min.)`);
  }
  const signedHeaders = match[2]!.split(';');
  if (!signedHeaders.includes('host')) throw new LambdaError('InvalidSignatureException', 'the signature must cover the host header');
  return { region, service, signedHeaders, signature: match[3]!, signingDate };
}

/** Signs the request again with `secret` and compares; throws InvalidSignatureException on a mismatch. */
export async function verifySignature(request: SignedRequest, claim: ClaimedSignature, secret: string): Promise<void> {
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = request.headers.get(name);
    if (value === null) throw new LambdaError('InvalidSignatureException', `the signed header ${name} is not in the request`);
    headers[name] = value;
  }
  // The signer trusts a signed x-amz-content-sha256 as the body's hash: the body must then be that body.
  const claimedHash = request.headers.get('x-amz-content-sha256');
  if (claimedHash !== null && claim.signedHeaders.includes('x-amz-content-sha256') && claimedHash !== createHash('sha256').update(request.body).digest('hex')) {
    throw new LambdaError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of request.url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: lambdaAccessKeyId, secretAccessKey: secret },
    region: claim.region,
    service: claim.service,
    sha256: Hash.bind(null, 'sha256'),
    // Sign what the client signed, nothing more: botocore sends no x-amz-content-sha256, the JS SDK does.
    applyChecksum: false,
  });
  const signed = await signer.sign(
    { method: request.method, protocol: request.url.protocol, hostname: request.url.hostname, path: request.rawPath, query, headers, body: request.body },
    { signingDate: claim.signingDate, signableHeaders: new Set(claim.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
  if (!timingSafeEqual(Buffer.from(expected.padEnd(64, '0')), Buffer.from(claim.signature))) {
    throw new LambdaError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key (the host\'s admin token) and signing method.',
    );
  }
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function amzDateOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
