// What the ObjectStore conformance cases (object-store.case.ts and the object-store-*.case.ts it
// runs) share: how a case gets a fresh store, bodies to store (whole, chunked, failing, never to be
// read), digests, and the matcher of an ObjectError's code.
import { createHash } from 'node:crypto';
import type { ManualClock } from '../queue/queue-store.case.js';
import { isObjectError, type ObjectErrorCode } from './object-error.js';
import type { ObjectLimits } from './object-limits.js';
import type { ObjectChange, ObjectStore } from './object-store.js';

export interface ObjectStoreSetup {
  readonly clock: ManualClock;
  readonly limits?: Partial<ObjectLimits>;
  readonly recordEvent?: (change: ObjectChange) => boolean;
}

/** A fresh, empty store (with its clock) for one case; the suite closes it after the test. */
export type MakeObjectStore = (setup?: Partial<ObjectStoreSetup>) => Promise<{ store: ObjectStore; clock: ManualClock }>;

export const text = (s: string) => new TextEncoder().encode(s);
export const md5Hex = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
export const md5Base64 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');
export const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const code = (expected: ObjectErrorCode) => (err: unknown) => isObjectError(err, expected);

export async function readAll(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function* chunked(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield text(part);
}

/** A body that fails after its first chunk, as a client that disconnects does. */
export async function* failing(): AsyncGenerator<Uint8Array> {
  yield text('partial');
  throw new Error('client went away');
}

/** A body no store may read: the request was refused before its bytes were wanted. */
export const untouchable: AsyncIterable<Uint8Array> = {
  [Symbol.asyncIterator]() {
    throw new Error('the body was read');
  },
};
