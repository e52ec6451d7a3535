// One S3 request as the operations see it: bucket and key (path-style), query, headers, and its body decoded and checked.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyChecks } from '../objects/object-store.js';
import { decodeAwsChunked } from './aws-chunked.js';
import { checksumHeaderOf, parseChecksumAlgorithm, verifyChecksum, type ExpectedChecksum } from './checksums.js';
import type { Authenticated } from './s3-auth.js';
import { S3Error } from './s3-errors.js';
import { parseXml, XmlSyntaxError, type XmlElement } from './s3-xml.js';
import { streamingSignedPayload, streamingSignedPayloadTrailer, streamingUnsignedPayloadTrailer, unsignedPayload } from './sigv4.js';

/** The request line's target, decoded: path-style `/<bucket>/<key>`, or `<bucket>.localhost` virtual-hosted. */
export interface S3Target {
  readonly rawPath: string;
  readonly decodedPath: string;
  readonly bucket: string | undefined;
  /** Undefined or '' for a bucket-level request. */
  readonly key: string | undefined;
  readonly query: ReadonlyArray<readonly [string, string]>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Percent-escapes to bytes, bytes to UTF-8; InvalidURI when either is malformed. */
function decodeComponent(raw: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new S3Error('InvalidURI', `bad percent-escape in ${JSON.stringify(raw.slice(0, 80))}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(raw[i]!, 'latin1'));
    }
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw new S3Error('InvalidURI', 'the request path or query is not valid UTF-8 once decoded');
  }
}

export function parseTarget(url: string, hostHeader: string | undefined): S3Target {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  if (!rawPath.startsWith('/')) throw new S3Error('InvalidURI');
  const query: Array<[string, string]> = [];
  if (q !== -1) {
    for (const pair of url.slice(q + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      query.push(eq === -1 ? [decodeComponent(pair), ''] : [decodeComponent(pair.slice(0, eq)), decodeComponent(pair.slice(eq + 1))]);
    }
  }
  const decodedPath = decodeComponent(rawPath);
  const hostname = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
  const virtual = /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\.localhost$/.exec(hostname)?.[1];
  if (virtual !== undefined) return { rawPath, decodedPath, bucket: virtual, key: decodedPath.slice(1), query };
  const rest = decodedPath.slice(1);
  if (rest === '') return { rawPath, decodedPath, bucket: undefined, key: undefined, query };
  const slash = rest.indexOf('/');
  return slash === -1
    ? { rawPath, decodedPath, bucket: rest, key: undefined, query }
    : { rawPath, decodedPath, bucket: rest.slice(0, slash), key: rest.slice(slash + 1), query };
}

/** CompleteMultipartUpload lists up to 10 000 parts (~100 bytes each); Delete up to 1 000 keys of ≤ 1 KiB. */
export const maxXmlBodyBytes = 2 * 1024 * 1024;

export class S3Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly target: S3Target;
  readonly auth: Authenticated;
  readonly requestId: string;
  #bodyTaken = false;

  constructor(req: IncomingMessage, res: ServerResponse, target: S3Target, auth: Authenticated, requestId: string) {
    this.req = req;
    this.res = res;
    this.target = target;
    this.auth = auth;
    this.requestId = requestId;
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  }

  param(name: string): string | undefined {
    return this.target.query.find(([n]) => n === name)?.[1];
  }

  hasParam(name: string): boolean {
    return this.target.query.some(([n]) => n === name);
  }

  /** Whether the request body has been (or is being) read: if not, the connection cannot be reused after an early answer. */
  get bodyTaken(): boolean {
    return this.#bodyTaken;
  }

  /** User metadata from `x-amz-meta-*` headers. */
  metadata(): Record<string, string> {
    const metadata: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.req.headers)) {
      if (name.startsWith('x-amz-meta-') && value !== undefined) metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
    }
    return metadata;
  }

  /**
   * The checks the store applies to the decoded body: its length (Content-Length, or
   * x-amz-decoded-content-length for aws-chunked), Content-MD5 and a hex x-amz-content-sha256.
   */
  bodyChecks(): BodyChecks {
    const encoding = this.auth.payloadHash;
    const chunked = encoding.startsWith('STREAMING-');
    const lengthHeader = chunked ? this.header('x-amz-decoded-content-length') : this.header('content-length');
    if (chunked && lengthHeader === undefined) throw new S3Error('MissingContentLength', 'an aws-chunked body needs x-amz-decoded-content-length');
    const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
    if (contentLength !== undefined && !(Number.isSafeInteger(contentLength) && contentLength >= 0)) throw new S3Error('InvalidArgument', `bad content length "${lengthHeader}"`);
    const contentMd5 = this.header('content-md5');
    if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16) throw new S3Error('InvalidDigest', `Content-MD5 "${contentMd5}" is not the base64 of 16 bytes`);
    const sha256Hex = /^[0-9a-fA-F]{64}$/.test(encoding) ? encoding : undefined;
    if (!chunked && sha256Hex === undefined && encoding !== unsignedPayload) {
      throw new S3Error('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], STREAMING-UNSIGNED-PAYLOAD-TRAILER or a SHA-256 hex digest');
    }
    return { contentLength, contentMd5, sha256Hex };
  }

  /**
   * The body's bytes as the client meant them: aws-chunked decoded (chunk signatures verified when
   * the host checks credentials), and an `x-amz-checksum-*` (header or trailer) verified at its end.
   * Sends `100 Continue` first when the client waits for it.
   */
  body(): AsyncIterable<Uint8Array> {
    const encoding = this.auth.payloadHash;
    // Not the stream itself: leaving a for-await over it early would destroy the socket before the error is answered.
    let body: AsyncIterable<Uint8Array> = this.req.iterator({ destroyOnReturn: false });
    let checksum: ExpectedChecksum | undefined;
    if (encoding === streamingSignedPayload || encoding === streamingSignedPayloadTrailer || encoding === streamingUnsignedPayloadTrailer) {
      const trailer = encoding !== streamingSignedPayload;
      const trailerValues = new Map<string, string>();
      body = decodeAwsChunked(body, {
        signed: encoding !== streamingUnsignedPayloadTrailer,
        trailer,
        verify: this.auth.chunkSigning,
        onTrailer: (name, value) => trailerValues.set(name, value),
      });
      const declared = this.header('x-amz-trailer');
      const algorithm = declared === undefined ? undefined : parseChecksumAlgorithm(declared.trim());
      if (algorithm !== undefined) checksum = { algorithm, value: () => trailerValues.get(`x-amz-checksum-${algorithm}`) };
    }
    const inHeader = checksumHeaderOf(this.req.headers);
    if (inHeader !== undefined) checksum = { algorithm: inHeader.algorithm, value: () => inHeader.value };
    return this.#continued(checksum === undefined ? body : verifyChecksum(body, checksum));
  }

  /** The body once someone reads it: only then is `100 Continue` sent, so a request refused early never has its body sent at all. */
  async *#continued(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    this.#bodyTaken = true;
    if (this.header('expect')?.toLowerCase() === '100-continue' && !this.res.headersSent) this.res.writeContinue();
    yield* body;
  }

  /** A small XML request body (Delete, CompleteMultipartUpload), its digests checked; MalformedXML when it does not parse. */
  async xmlBody(): Promise<XmlElement> {
    const checks = this.bodyChecks();
    if (checks.contentLength !== undefined && checks.contentLength > maxXmlBodyBytes) throw new S3Error('MalformedXML', `the XML body is over ${maxXmlBodyBytes} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.body()) {
      size += chunk.byteLength;
      if (size > maxXmlBodyBytes) throw new S3Error('MalformedXML', `the XML body is over ${maxXmlBodyBytes} bytes`);
      chunks.push(Buffer.from(chunk));
    }
    const bytes = Buffer.concat(chunks);
    if (checks.contentMd5 !== undefined && createHash('md5').update(bytes).digest('base64') !== checks.contentMd5) throw new S3Error('BadDigest');
    if (checks.sha256Hex !== undefined && createHash('sha256').update(bytes).digest('hex') !== checks.sha256Hex.toLowerCase()) throw new S3Error('XAmzContentSHA256Mismatch');
    try {
      return parseXml(utf8.decode(bytes));
    } catch (err) {
      if (err instanceof XmlSyntaxError || err instanceof TypeError) throw new S3Error('MalformedXML', `the XML body does not parse: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Reads and drops a body nobody needs (CreateBucket's location constraint). */
  async discardBody(): Promise<void> {
    for await (const _ of this.body()) {
      // drained
    }
  }
}
