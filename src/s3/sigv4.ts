// AWS Signature Version 4, the parts both sides compute: canonical request, string to sign, signing key, chunk signatures.
// Spec: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html (and -streaming, -query-string-auth).
import { createHash, createHmac } from 'node:crypto';

export const algorithm = 'AWS4-HMAC-SHA256';
export const unsignedPayload = 'UNSIGNED-PAYLOAD';
export const streamingSignedPayload = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const streamingSignedPayloadTrailer = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const streamingUnsignedPayloadTrailer = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
export const emptySha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Uint8Array | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** `<date>/<region>/<service>/aws4_request`: what a signature is valid for. */
export interface CredentialScope {
  /** YYYYMMDD */
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

export function scopeString(scope: CredentialScope): string {
  return `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
}

export function signingKey(secret: string, scope: CredentialScope): Buffer {
  const date = hmac(`AWS4${secret}`, scope.date);
  const region = hmac(date, scope.region);
  const service = hmac(region, scope.service);
  return hmac(service, 'aws4_request');
}

export function signatureOf(key: Uint8Array, stringToSign: string): string {
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ (and `/` in paths) as %XX of UTF-8, upper-case hex. */
export function uriEncode(value: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Sorted by encoded name, then encoded value; a parameter without a value is `name=`. */
export function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** Values trimmed and inner runs of spaces collapsed; repeated headers joined by commas. */
export function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((v) => v.trim().replace(/ +/g, ' ')).join(',');
}

export interface CanonicalRequestInput {
  readonly method: string;
  /** Already encoded (S3 encodes the path once). */
  readonly canonicalUri: string;
  readonly canonicalQuery: string;
  /** Lower-case names, in the order of SignedHeaders, with their canonical values. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly payloadHash: string;
}

export function canonicalRequest(input: CanonicalRequestInput): string {
  const headerLines = input.headers.map(([name, value]) => `${name}:${value}\n`).join('');
  const signedHeaders = input.headers.map(([name]) => name).join(';');
  return [input.method, input.canonicalUri, input.canonicalQuery, headerLines, signedHeaders, input.payloadHash].join('\n');
}

export function stringToSign(amzDate: string, scope: CredentialScope, canonical: string): string {
  return [algorithm, amzDate, scopeString(scope), sha256Hex(canonical)].join('\n');
}

/** Each aws-chunked chunk is signed over the previous signature and the chunk's own hash. */
export function chunkStringToSign(amzDate: string, scope: CredentialScope, previousSignature: string, chunkSha256Hex: string): string {
  return ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scopeString(scope), previousSignature, emptySha256, chunkSha256Hex].join('\n');
}

/** The trailing headers of a signed aws-chunked body, each `name:value\n`, signed over the last chunk's signature. */
export function trailerStringToSign(amzDate: string, scope: CredentialScope, previousSignature: string, canonicalTrailers: string): string {
  return ['AWS4-HMAC-SHA256-TRAILER', amzDate, scopeString(scope), previousSignature, sha256Hex(canonicalTrailers)].join('\n');
}

/** `20130524T000000Z` for a time, and its date part. */
export function amzDateOf(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}
