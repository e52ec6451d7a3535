// Verifies a request's SigV4 signature (Authorization header, or a presigned URL's query) against the one credential the host has.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ChunkSigning } from './aws-chunked.js';
import { S3Error } from './s3-errors.js';
import { isSigV2Presigned, verifySigV2Presigned } from './sigv2-presigned.js';
import {
  algorithm, amzDateOf, canonicalHeaderValue, canonicalQuery, canonicalRequest, parseAmzDate, signatureOf, signingKey, stringToSign, unsignedPayload, uriEncode,
  type CredentialScope,
} from './sigv4.js';

/** The access key id clients use; the secret access key is the host's admin token. */
export const s3AccessKeyId = 'wasmlet';
/** S3's own tolerance for a client's clock. */
export const maxClockSkewMs = 15 * 60 * 1000;
/** S3's longest presigned URL: 7 days. */
export const maxPresignedExpirySeconds = 7 * 24 * 3600;

export interface AuthInput {
  readonly req: IncomingMessage;
  /** The path as sent (still percent-encoded) and the decoded one. */
  readonly rawPath: string;
  readonly decodedPath: string;
  /** The query's parameters, decoded, in the order sent. */
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Undefined: the host accepts any credentials (no token, loopback only). */
  readonly secret: string | undefined;
  readonly now: number;
}

export interface Authenticated {
  /** `x-amz-content-sha256` (header auth), or UNSIGNED-PAYLOAD. */
  readonly payloadHash: string;
  /** For an aws-chunked body: what its chunk signatures are checked with (absent when nothing is verified). */
  readonly chunkSigning?: ChunkSigning | undefined;
}

interface Parsed {
  readonly accessKeyId: string;
  readonly scope: CredentialScope;
  readonly signedHeaders: string[];
  readonly signature: string;
  readonly amzDate: string;
  readonly payloadHash: string;
  /** Presigned: seconds the URL is valid from amzDate. */
  readonly expiresSeconds?: number;
}

/**
 * Throws the S3 error a client should see (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch,
 * RequestTimeTooSkewed, AuthorizationHeaderMalformed ...), or returns what the body's decoding needs.
 * With no secret every request passes, signed or not: only a loopback host without a token runs so.
 */
export function authenticate(input: AuthInput): Authenticated {
  const header = firstHeader(input.req, 'authorization');
  const presigned = input.query.some(([name]) => name === 'X-Amz-Algorithm');
  const contentSha256 = firstHeader(input.req, 'x-amz-content-sha256');
  if (input.secret === undefined) return { payloadHash: contentSha256 ?? unsignedPayload };
  if (header === undefined && isSigV2Presigned(input.query)) {
    verifySigV2Presigned({ ...input, secret: input.secret, accessKeyId: s3AccessKeyId });
    return { payloadHash: unsignedPayload };
  }
  if (header === undefined && !presigned) throw new S3Error('AccessDenied', 'this host requires SigV4-signed requests (access key id "wasmlet", secret = the admin token)');
  if (header !== undefined && !header.startsWith(`${algorithm} `)) throw new S3Error('InvalidRequest', 'only AWS Signature Version 4 (AWS4-HMAC-SHA256) is supported');
  const parsed = header !== undefined ? parseHeader(header, input.req, contentSha256) : parseQuery(input.query, contentSha256);

  if (parsed.accessKeyId !== s3AccessKeyId) throw new S3Error('InvalidAccessKeyId', `the access key id "${parsed.accessKeyId}" is not this host's ("${s3AccessKeyId}")`);
  if (parsed.scope.service !== 's3') throw new S3Error('AuthorizationHeaderMalformed', `the credential scope names service "${parsed.scope.service}", not s3`);
  if (!parsed.amzDate.startsWith(parsed.scope.date)) throw new S3Error('AuthorizationHeaderMalformed', `the credential date ${parsed.scope.date} is not the request's date ${parsed.amzDate}`);
  const signedAt = parseAmzDate(parsed.amzDate);
  if (signedAt === undefined) throw new S3Error('AccessDenied', `the request date "${parsed.amzDate}" is not an ISO 8601 basic time`);
  if (parsed.expiresSeconds !== undefined) {
    if (input.now > signedAt + parsed.expiresSeconds * 1000) throw new S3Error('AccessDenied', 'Request has expired');
    if (signedAt - input.now > maxClockSkewMs) throw new S3Error('RequestTimeTooSkewed');
  } else if (Math.abs(input.now - signedAt) > maxClockSkewMs) {
    throw new S3Error('RequestTimeTooSkewed', undefined, { RequestTime: parsed.amzDate, ServerTime: amzDateOf(input.now) });
  }
  if (!parsed.signedHeaders.includes('host')) throw new S3Error('AccessDenied', 'the signature must cover the host header');

  const key = signingKey(input.secret, parsed.scope);
  const headers = parsed.signedHeaders.map((name) => [name, canonicalHeaderValue(input.req.headersDistinct[name] ?? [])] as const);
  const query = canonicalQuery(input.query.filter(([name]) => name !== 'X-Amz-Signature'));
  // Clients encode the path once by SigV4's rules; re-encoding the decoded path gives the same text
  // even when the request line used other (equivalent) escapes. The path as sent is the fallback.
  const uris = [uriEncode(input.decodedPath, true), input.rawPath];
  let firstAttempt: { canonical: string; toSign: string } | undefined;
  for (const canonicalUri of new Set(uris)) {
    const canonical = canonicalRequest({ method: input.req.method ?? 'GET', canonicalUri, canonicalQuery: query, headers, payloadHash: parsed.payloadHash });
    const toSign = stringToSign(parsed.amzDate, parsed.scope, canonical);
    firstAttempt ??= { canonical, toSign };
    if (sameSignature(signatureOf(key, toSign), parsed.signature)) {
      return { payloadHash: parsed.payloadHash, chunkSigning: { key, amzDate: parsed.amzDate, scope: parsed.scope, seedSignature: parsed.signature } };
    }
  }
  throw new S3Error('SignatureDoesNotMatch', undefined, {
    AWSAccessKeyId: parsed.accessKeyId,
    StringToSign: firstAttempt!.toSign,
    CanonicalRequest: firstAttempt!.canonical,
  });
}

function parseHeader(header: string, req: IncomingMessage, contentSha256: string | undefined): Parsed {
  const fields = new Map<string, string>();
  for (const part of header.slice(algorithm.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) throw new S3Error('AuthorizationHeaderMalformed', 'the Authorization header needs Credential, SignedHeaders and Signature');
  if (contentSha256 === undefined) throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  const amzDate = firstHeader(req, 'x-amz-date') ?? dateHeaderAsAmz(firstHeader(req, 'date'));
  if (amzDate === undefined) throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  return { ...parseCredential(credential, 'AuthorizationHeaderMalformed'), signedHeaders: signedHeaders.split(';'), signature, amzDate, payloadHash: contentSha256 };
}

function parseQuery(query: ReadonlyArray<readonly [string, string]>, contentSha256: string | undefined): Parsed {
  const get = (name: string) => query.find(([n]) => n === name)?.[1];
  const bad = (message: string) => new S3Error('AuthorizationQueryParametersError', message);
  if (get('X-Amz-Algorithm') !== algorithm) throw bad('X-Amz-Algorithm must be AWS4-HMAC-SHA256');
  const credential = get('X-Amz-Credential');
  const amzDate = get('X-Amz-Date');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  const expires = Number(get('X-Amz-Expires'));
  if (!credential || !amzDate || !signedHeaders || !signature) throw bad('a presigned URL needs X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature');
  if (!Number.isInteger(expires) || expires < 1 || expires > maxPresignedExpirySeconds) throw bad(`X-Amz-Expires must be an integer from 1 to ${maxPresignedExpirySeconds}`);
  return {
    ...parseCredential(credential, 'AuthorizationQueryParametersError'),
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    payloadHash: contentSha256 ?? unsignedPayload,
    expiresSeconds: expires,
  };
}

function parseCredential(credential: string, code: 'AuthorizationHeaderMalformed' | 'AuthorizationQueryParametersError'): { accessKeyId: string; scope: CredentialScope } {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]!)) {
    throw new S3Error(code, `the credential "${credential}" is not <access key>/<YYYYMMDD>/<region>/s3/aws4_request`);
  }
  return { accessKeyId: parts[0]!, scope: { date: parts[1]!, region: parts[2]!, service: parts[3]! } };
}

function dateHeaderAsAmz(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : amzDateOf(ms);
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
