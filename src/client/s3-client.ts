// A small S3 client over undici for `wasmlet objects`: SigV4-signed (access key id "wasmlet", secret = the token), path-style.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { s3AccessKeyId } from '../s3/s3-auth.js';
import { childrenNamed, childText, parseXml, textElement, element, type XmlElement } from '../s3/s3-xml.js';
import {
  amzDateOf, canonicalHeaderValue, canonicalQuery, canonicalRequest, emptySha256, sha256Hex, signatureOf, signingKey, stringToSign, uriEncode,
} from '../s3/sigv4.js';

export const defaultS3Url = 'http://127.0.0.1:8082';
/** The region clients sign for; the host serves one location and accepts any. */
const region = 'us-east-1';
/** No token given or found: sign with this placeholder (a wasmlet host, never open, answers SignatureDoesNotMatch). */
const anySecret = 'wasmlet-no-token';
const connectTimeoutMs = 10_000;
/** A large part over a slow link can take minutes; the timeout is between chunks, not for the whole transfer. */
const bodyTimeoutMs = 5 * 60_000;

/** A failure the endpoint (or the network) reported: S3's code, or `s3_unreachable`. */
export class S3ClientError extends Error {
  readonly code: string;
  readonly status: number | undefined;

  constructor(code: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'S3ClientError';
    this.code = code;
    this.status = status;
  }
}

export interface S3ClientOptions {
  /** The S3 endpoint, e.g. `http://127.0.0.1:8082`. */
  readonly url: string;
  /** The host's admin token (the secret access key): given, or read from the host's data dir; absent: none found. */
  readonly token?: string | undefined;
  readonly now?: () => number;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: string;
  readonly etag: string;
}

export interface ObjectPage {
  readonly objects: ListedObject[];
  readonly prefixes: string[];
  readonly nextContinuationToken?: string | undefined;
}

interface Call {
  readonly method: string;
  readonly bucket?: string;
  readonly key?: string;
  readonly query?: Array<[string, string]>;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
}

/**
 * @example
 * const s3 = new S3Client({ url: 'http://127.0.0.1:8082', token });
 * await s3.putObject('photos', 'cat.jpg', bytes, 'image/jpeg');
 */
export class S3Client {
  readonly #base: URL;
  readonly #secret: string;
  readonly #now: () => number;
  readonly #agent: Agent;

  constructor(options: S3ClientOptions) {
    this.#base = new URL(options.url);
    if (this.#base.protocol !== 'http:' && this.#base.protocol !== 'https:') throw new S3ClientError('bad_request', `--s3-url must be http(s), got ${options.url}`);
    this.#secret = options.token ?? anySecret;
    this.#now = options.now ?? Date.now;
    this.#agent = new Agent({ connectTimeout: connectTimeoutMs, bodyTimeout: bodyTimeoutMs, headersTimeout: bodyTimeoutMs });
  }

  async listBuckets(): Promise<Array<{ name: string; createdAt: string }>> {
    const doc = await this.#xml({ method: 'GET' });
    const buckets = doc.children.find((c) => c.name === 'Buckets');
    return (buckets ? childrenNamed(buckets, 'Bucket') : []).map((b) => ({ name: childText(b, 'Name') ?? '', createdAt: childText(b, 'CreationDate') ?? '' }));
  }

  async createBucket(bucket: string): Promise<void> {
    await this.#call({ method: 'PUT', bucket });
  }

  async listObjects(bucket: string, options: { prefix?: string; delimiter?: string; continuationToken?: string } = {}): Promise<ObjectPage> {
    const query: Array<[string, string]> = [['list-type', '2'], ['encoding-type', 'url']];
    if (options.prefix) query.push(['prefix', options.prefix]);
    if (options.delimiter) query.push(['delimiter', options.delimiter]);
    if (options.continuationToken) query.push(['continuation-token', options.continuationToken]);
    const doc = await this.#xml({ method: 'GET', bucket, query });
    const decode = (value: string | undefined) => decodeURIComponent(value ?? '');
    return {
      objects: childrenNamed(doc, 'Contents').map((c) => ({
        key: decode(childText(c, 'Key')),
        size: Number(childText(c, 'Size')),
        lastModified: childText(c, 'LastModified') ?? '',
        etag: (childText(c, 'ETag') ?? '').replace(/"/g, ''),
      })),
      prefixes: childrenNamed(doc, 'CommonPrefixes').map((p) => decode(childText(p, 'Prefix'))),
      nextContinuationToken: childText(doc, 'IsTruncated') === 'true' ? childText(doc, 'NextContinuationToken') : undefined,
    };
  }

  /** Every page of a listing. */
  async *listAll(bucket: string, options: { prefix?: string; delimiter?: string } = {}): AsyncGenerator<ObjectPage> {
    let continuationToken: string | undefined;
    do {
      const page = await this.listObjects(bucket, { ...options, ...(continuationToken ? { continuationToken } : {}) });
      yield page;
      continuationToken = page.nextContinuationToken;
    } while (continuationToken);
  }

  /** One PutObject, its SHA-256 signed (x-amz-content-sha256): the endpoint refuses it if a byte changed on the way. */
  async putObject(bucket: string, key: string, body: Uint8Array, contentType?: string): Promise<string> {
    const headers: Record<string, string> = {};
    if (contentType) headers['content-type'] = contentType;
    const response = await this.#call({ method: 'PUT', bucket, key, headers, body });
    return (response.headers.etag ?? '').replace(/"/g, '');
  }

  async createMultipartUpload(bucket: string, key: string, contentType?: string): Promise<string> {
    const doc = await this.#xml({ method: 'POST', bucket, key, query: [['uploads', '']], ...(contentType ? { headers: { 'content-type': contentType } } : {}) });
    return childText(doc, 'UploadId') ?? '';
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Uint8Array): Promise<string> {
    const response = await this.#call({ method: 'PUT', bucket, key, query: [['partNumber', String(partNumber)], ['uploadId', uploadId]], body });
    return response.headers.etag ?? '';
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, etags: readonly string[]): Promise<string> {
    const parts = etags.map((etag, i) => element('Part', textElement('PartNumber', i + 1), textElement('ETag', etag))).join('');
    const body = Buffer.from(`<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`);
    const doc = await this.#xml({ method: 'POST', bucket, key, query: [['uploadId', uploadId]], body });
    return (childText(doc, 'ETag') ?? '').replace(/"/g, '');
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.#call({ method: 'DELETE', bucket, key, query: [['uploadId', uploadId]] });
  }

  /** The object's bytes as a stream; read it to its end or destroy it. */
  async getObject(bucket: string, key: string): Promise<{ body: Readable; size: number }> {
    const response = await this.#send({ method: 'GET', bucket, key });
    if (response.statusCode >= 300) throw await errorOf(response);
    return { body: response.body, size: Number(response.headers['content-length'] ?? NaN) };
  }

  async deleteObject(bucket: string, key: string): Promise<void> {
    await this.#call({ method: 'DELETE', bucket, key });
  }

  /** Up to 1000 keys; resolves with the keys S3 reported as errors. */
  async deleteObjects(bucket: string, keys: readonly string[]): Promise<Array<{ key: string; code: string; message: string }>> {
    const objects = keys.map((key) => element('Object', textElement('Key', key))).join('');
    const body = Buffer.from(`<Delete><Quiet>true</Quiet>${objects}</Delete>`);
    const doc = await this.#xml({ method: 'POST', bucket, query: [['delete', '']], headers: { 'content-md5': createHash('md5').update(body).digest('base64') }, body });
    return childrenNamed(doc, 'Error').map((e) => ({ key: childText(e, 'Key') ?? '', code: childText(e, 'Code') ?? '', message: childText(e, 'Message') ?? '' }));
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #xml(call: Call): Promise<XmlElement> {
    const response = await this.#call(call);
    return parseXml(response.body.toString('utf8'));
  }

  async #call(call: Call): Promise<{ headers: Record<string, string>; body: Buffer }> {
    const response = await this.#send(call);
    if (response.statusCode >= 300) throw await errorOf(response);
    const body = Buffer.from(await response.body.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers[name] = value;
    return { headers, body };
  }

  /** Signs with SigV4 (the payload's SHA-256 signed) and sends. */
  async #send(call: Call): Promise<Dispatcher.ResponseData> {
    const basePath = this.#base.pathname.replace(/\/$/, '');
    const path = `${basePath}/${call.bucket ?? ''}${call.key !== undefined ? `/${call.key}` : ''}`;
    const canonicalUri = uriEncode(path, true);
    const query = call.query ?? [];
    const queryString = canonicalQuery(query);
    const amzDate = amzDateOf(this.#now());
    const scope = { date: amzDate.slice(0, 8), region, service: 's3' };
    const payloadHash = call.body ? sha256Hex(call.body) : emptySha256;
    const headers: Record<string, string> = { ...call.headers, host: this.#base.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
    if (call.body) headers['content-length'] = String(call.body.byteLength);
    const signed = Object.keys(headers).map((n) => n.toLowerCase()).sort();
    const canonical = canonicalRequest({ method: call.method, canonicalUri, canonicalQuery: queryString, headers: signed.map((n) => [n, canonicalHeaderValue([headers[n]!])] as const), payloadHash });
    const signature = signatureOf(signingKey(this.#secret, scope), stringToSign(amzDate, scope, canonical));
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${s3AccessKeyId}/${scope.date}/${region}/s3/aws4_request, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
    delete headers.host; // undici sets it from the origin, to the same value
    const url = new URL(`${this.#base.origin}${canonicalUri}${queryString ? `?${queryString}` : ''}`);
    try {
      return await request(url, { method: call.method as Dispatcher.HttpMethod, headers, body: call.body ?? null, dispatcher: this.#agent });
    } catch (err) {
      throw new S3ClientError('s3_unreachable', `cannot reach the S3 endpoint at ${this.#base.origin}: ${(err as Error).message} (is the host running? --s3-url / WASMLET_S3_URL)`, undefined, { cause: err });
    }
  }
}

async function errorOf(response: Dispatcher.ResponseData): Promise<S3ClientError> {
  const text = await response.body.text().catch(() => '');
  try {
    const doc = parseXml(text);
    const code = childText(doc, 'Code');
    if (code) return new S3ClientError(code, childText(doc, 'Message') ?? code, response.statusCode);
  } catch {
    // not S3's XML (a HEAD, or something else answering on that port)
  }
  return new S3ClientError(`http_${response.statusCode}`, `the S3 endpoint answered ${response.statusCode}`, response.statusCode);
}
