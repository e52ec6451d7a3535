// Decodes `Content-Encoding: aws-chunked` bodies (what the AWS CLI and SDKs stream uploads as), verifying each chunk's signature.
// Signed: `<hex size>;chunk-signature=<sig>\r\n<bytes>\r\n` ... `0;chunk-signature=<sig>\r\n` then, with a trailer,
// `x-amz-checksum-crc32:<b64>\r\nx-amz-trailer-signature:<sig>\r\n`, and `\r\n`. Unsigned (…-UNSIGNED-PAYLOAD-TRAILER): no signatures.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html, sigv4-streaming-trailers.html
import { createHash, timingSafeEqual } from 'node:crypto';
import { S3Error } from './s3-errors.js';
import { chunkStringToSign, sha256Hex, signatureOf, trailerStringToSign, type CredentialScope } from './sigv4.js';

/** What verifies the chunk signatures: the request's signing key and seed signature (its own signature). */
export interface ChunkSigning {
  readonly key: Buffer;
  readonly amzDate: string;
  readonly scope: CredentialScope;
  readonly seedSignature: string;
}

export interface AwsChunkedOptions {
  /** Chunks carry signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). */
  readonly signed: boolean;
  /** Trailing headers follow the last chunk (…-TRAILER). */
  readonly trailer: boolean;
  /** Verify the signatures with this; absent on a host that accepts any credentials (they are then only parsed). */
  readonly verify?: ChunkSigning | undefined;
  /** Each trailing header, before the body ends (an `x-amz-checksum-*` is checked then). */
  readonly onTrailer?: (name: string, value: string) => void;
}

/** A chunk header is a size and a 64-digit signature: anything much longer is not aws-chunked. */
const maxLineBytes = 4096;
/** S3 caps a chunk far below this; it only keeps a hostile size from becoming a huge number. */
const maxChunkBytes = 2 ** 40;

const malformed = (what: string) => new S3Error('IncompleteBody', `the aws-chunked body is malformed: ${what}`);
const badSignature = () => new S3Error('SignatureDoesNotMatch', 'a chunk signature of the aws-chunked body does not match');

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function* decodeAwsChunked(input: AsyncIterable<Uint8Array>, options: AwsChunkedOptions): AsyncGenerator<Buffer> {
  const source = input[Symbol.asyncIterator]();
  let buffered: Buffer = Buffer.alloc(0);
  let ended = false;
  const fill = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await source.next();
    if (next.done) {
      ended = true;
      return false;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    return true;
  };
  const readLine = async (): Promise<string | undefined> => {
    for (;;) {
      const at = buffered.indexOf('\r\n');
      if (at !== -1) {
        const line = buffered.subarray(0, at).toString('latin1');
        buffered = buffered.subarray(at + 2);
        return line;
      }
      if (buffered.length > maxLineBytes) throw malformed('a chunk header line is too long');
      if (!(await fill())) return undefined;
    }
  };

  let previous = options.verify?.seedSignature ?? '';
  const checkSignature = (given: string | undefined, stringToSign: () => string) => {
    if (!options.signed) return;
    if (given === undefined) throw malformed('a chunk has no signature');
    if (options.verify && !sameSignature(signatureOf(options.verify.key, stringToSign()), given)) throw badSignature();
    previous = given;
  };

  for (;;) {
    const header = await readLine();
    if (header === undefined) throw malformed('the body ends before its last chunk');
    const m = /^([0-9a-fA-F]{1,16})(?:;chunk-signature=([0-9a-f]{64}))?$/.exec(header);
    if (!m) throw malformed(`bad chunk header ${JSON.stringify(header.slice(0, 80))}`);
    const size = parseInt(m[1]!, 16);
    if (size > maxChunkBytes) throw malformed('a chunk is too large');
    const signature = m[2];
    const hash = options.signed && options.verify ? createHash('sha256') : undefined;
    let remaining = size;
    while (remaining > 0) {
      if (buffered.length === 0 && !(await fill())) throw malformed('the body ends inside a chunk');
      const piece = buffered.subarray(0, Math.min(remaining, buffered.length));
      buffered = buffered.subarray(piece.length);
      remaining -= piece.length;
      hash?.update(piece);
      yield piece;
    }
    const v = options.verify;
    checkSignature(signature, () => chunkStringToSign(v!.amzDate, v!.scope, previous, hash ? hash.digest('hex') : sha256Hex('')));
    if (size > 0) {
      if ((await readLine()) !== '') throw malformed('a chunk is not followed by CRLF');
      continue;
    }
    break; // the last, empty chunk
  }

  if (options.trailer) {
    const trailers: Array<[string, string]> = [];
    let trailerSignature: string | undefined;
    for (;;) {
      const line = await readLine();
      if (line === undefined || line === '') break;
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed(`bad trailer ${JSON.stringify(line.slice(0, 80))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'x-amz-trailer-signature') trailerSignature = value;
      else trailers.push([name, value]);
    }
    if (options.signed) {
      const canonical = trailers.map(([name, value]) => `${name}:${value}\n`).join('');
      const v = options.verify;
      checkSignature(trailerSignature, () => trailerStringToSign(v!.amzDate, v!.scope, previous, canonical));
    }
    for (const [name, value] of trailers) options.onTrailer?.(name, value);
  }
}
