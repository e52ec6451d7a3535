// S3's additional checksums (`x-amz-checksum-<algorithm>`, in a header or an aws-chunked trailer): computed over the body and compared at its end.
// The AWS SDKs and CLIs send CRC32 by default since 2025; CRC64NVME is accepted and not verified (no fast implementation here).
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3Error } from './s3-errors.js';

export const checksumAlgorithms = ['crc32', 'crc32c', 'sha1', 'sha256', 'crc64nvme'] as const;
export type ChecksumAlgorithm = (typeof checksumAlgorithms)[number];

export interface ExpectedChecksum {
  readonly algorithm: ChecksumAlgorithm;
  /** Base64 of the big-endian value or digest; for a trailer, known only at the end of the body. */
  readonly value: () => string | undefined;
}

/** The `x-amz-checksum-*` header of a request, if it sent one. */
export function checksumHeaderOf(headers: Readonly<Record<string, string | string[] | undefined>>): { algorithm: ChecksumAlgorithm; value: string } | undefined {
  for (const algorithm of checksumAlgorithms) {
    const value = headers[`x-amz-checksum-${algorithm}`];
    if (typeof value === 'string') return { algorithm, value };
  }
  return undefined;
}

export function parseChecksumAlgorithm(name: string): ChecksumAlgorithm | undefined {
  const lower = name.toLowerCase().replace(/^x-amz-checksum-/, '');
  return (checksumAlgorithms as readonly string[]).includes(lower) ? (lower as ChecksumAlgorithm) : undefined;
}

interface Running {
  update(chunk: Uint8Array): void;
  base64(): string | undefined;
}

function running(algorithm: ChecksumAlgorithm): Running {
  switch (algorithm) {
    case 'crc32': {
      let value = 0;
      return { update: (chunk) => void (value = crc32(chunk, value)), base64: () => uint32Base64(value) };
    }
    case 'crc32c': {
      let value = 0;
      return { update: (chunk) => void (value = crc32c(chunk, value)), base64: () => uint32Base64(value) };
    }
    case 'sha1':
    case 'sha256': {
      const hash = createHash(algorithm);
      return { update: (chunk) => void hash.update(chunk), base64: () => hash.digest('base64') };
    }
    case 'crc64nvme':
      return { update: () => undefined, base64: () => undefined };
  }
}

function uint32Base64(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

/** Passes the body through, then fails with XAmzContentChecksumMismatch if it does not match `expected`. */
export async function* verifyChecksum(body: AsyncIterable<Uint8Array>, expected: ExpectedChecksum): AsyncGenerator<Uint8Array> {
  const sum = running(expected.algorithm);
  for await (const chunk of body) {
    sum.update(chunk);
    yield chunk;
  }
  const want = expected.value();
  const got = sum.base64();
  if (want !== undefined && got !== undefined && want !== got) {
    throw new S3Error('XAmzContentChecksumMismatch', `the body's ${expected.algorithm.toUpperCase()} is ${got}, not ${want}`);
  }
}

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), a table at a time. */
const crc32cTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Uint8Array, previous = 0): number {
  let crc = ~previous >>> 0;
  for (let i = 0; i < data.length; i++) crc = crc32cTable[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
