// The main-thread side of wasmlet:function/objects as the worker pool sees it (a HostRequestHandler):
// checks the bucket and the access the operation needs against the function's `buckets`, runs it on
// the ObjectStore, and answers with one `value` or one `error` whose code is the WIT's error-code.
import { isObjectError, type ObjectErrorCode } from '../../objects/object-error.js';
import type { ObjectInfo, ObjectStore } from '../../objects/object-store.js';
import type { HostEvent, HostRequestHandler, InvocationScope } from '../host-link.js';
import { accessOf, allows } from './bucket-grants.js';
import { accessNeeded, type GuestObjectInfo, type ObjectsErrorCode, type ObjectsHostRequest, type ObjectsOperation } from './objects-request.js';

/**
 * Bytes one call may read (an object or a range of it) or write: the whole body crosses from the
 * main thread to the worker and lands in the guest's linear memory, so a larger object is read in
 * ranges. 32 MiB holds a 12-megapixel photo several times over.
 */
export const maxGuestObjectBytes = 32 * 1024 * 1024;

/** The store's codes in the WIT's words; anything else is `other`, its code leading the message. */
const guestCodes: Partial<Record<ObjectErrorCode, ObjectsErrorCode>> = {
  no_such_bucket: 'no-such-bucket',
  invalid_key: 'invalid-key',
  invalid_range: 'invalid-range',
  entity_too_large: 'too-large',
  quota_exceeded: 'quota-exceeded',
  // The WIT has no code of its own for a full host: to the guest, it is a quota.
  storage_full: 'quota-exceeded',
};

/** A refusal with the WIT's code; `emit`ted as an `error` event. */
class GuestRefusal extends Error {
  constructor(
    readonly code: ObjectsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export class ObjectsHost implements HostRequestHandler<ObjectsHostRequest> {
  readonly #store: ObjectStore;
  readonly #maxBytes: number;

  /** `maxBytes`: what one call may read or write (tests make it small). */
  constructor(store: ObjectStore, maxBytes = maxGuestObjectBytes) {
    this.#store = store;
    this.#maxBytes = maxBytes;
  }

  start(scope: InvocationScope, request: ObjectsHostRequest, emit: (event: HostEvent) => void): () => void {
    const { bucket, operation } = request;
    const grants = scope.grants.objects?.buckets;
    const access = accessNeeded[operation.op];
    // The check that counts: the worker only asks.
    if (!allows(grants, bucket, access)) {
      const grant = grants?.find((g) => g.bucket === bucket);
      const why = grant ? `buckets grants "${bucket}:${accessOf(grant)}" (write "${bucket}:read,write")` : `buckets does not name it (add "${bucket}:${access}")`;
      emit({ kind: 'error', code: 'denied', message: `${scope.functionName} may not ${access} bucket "${bucket}": ${why}` });
      return () => {};
    }
    run(this.#store, bucket, operation, this.#maxBytes).then(
      (value) => emit({ kind: 'value', value }),
      (err: unknown) => {
        if (err instanceof GuestRefusal) return emit({ kind: 'error', code: err.code, message: err.message });
        // A code the WIT has says it all; under `other` the store's own code leads, so guests can tell them apart.
        if (isObjectError(err)) return emit({ kind: 'error', code: guestCodes[err.code] ?? 'other', message: guestCodes[err.code] ? err.message : `${err.code}: ${err.message}` });
        emit({ kind: 'error', code: 'other', message: `the object store failed: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
    // One store call: nothing to stop half-way (a read in progress finishes and is dropped).
    return () => {};
  }

  /** Creates the buckets a deployed manifest grants, so they can be filled (through S3) before any call. */
  async provision(buckets: readonly string[]): Promise<void> {
    for (const bucket of buckets) {
      if (await this.#store.headBucket(bucket)) continue;
      await this.#store.createBucket(bucket).catch((err: unknown) => {
        if (!isObjectError(err, 'bucket_exists')) throw err; // created meanwhile (an S3 client): fine
      });
    }
  }
}

async function run(store: ObjectStore, bucket: string, operation: ObjectsOperation, maxBytes: number): Promise<unknown> {
  switch (operation.op) {
    case 'get':
      return get(store, bucket, operation.key, operation.range, maxBytes);
    case 'head': {
      const info = await store.headObject(bucket, operation.key);
      return info ? guestInfo(info) : undefined;
    }
    case 'put': {
      if (operation.body.byteLength > maxBytes) {
        throw new GuestRefusal('too-large', `the body is ${operation.body.byteLength} bytes; one put writes at most ${maxBytes}`);
      }
      return guestInfo(await store.putObject(bucket, operation.key, operation.body, { contentType: operation.contentType }));
    }
    case 'list': {
      if (!Number.isInteger(operation.maxKeys) || operation.maxKeys < 1 || operation.maxKeys > 1000) {
        throw new GuestRefusal('other', `max-keys must be from 1 to 1000, got ${operation.maxKeys}`);
      }
      const page = await store.listObjects(bucket, { prefix: operation.prefix, continuationToken: operation.continuation, maxKeys: operation.maxKeys });
      return { objects: page.objects.map(guestInfo), continuation: page.nextContinuationToken };
    }
    case 'delete':
      return store.deleteObject(bucket, operation.key);
  }
}

async function get(store: ObjectStore, bucket: string, key: string, range: { first: bigint; last: bigint } | undefined, maxBytes: number): Promise<unknown> {
  if (range && range.first > BigInt(Number.MAX_SAFE_INTEGER)) throw new GuestRefusal('invalid-range', `the range starts at ${range.first}, past the end of any object`);
  // A `last` past what a number holds is past the end of any object: the rest of it.
  const byteRange = range ? { start: Number(range.first), end: range.last > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(range.last) } : undefined;
  const read = await store.getObject(bucket, key, { range: byteRange });
  if (!read) return undefined;
  const length = read.end - read.start + 1;
  if (length > maxBytes) {
    read.body.destroy();
    throw new GuestRefusal('too-large', `"${key}" is ${read.info.size} bytes; one get reads at most ${maxBytes} (read it in ranges)`);
  }
  // One exact-size buffer: it is copied to the worker whole, so it must not be a slice of a larger one.
  const body = new Uint8Array(length);
  let at = 0;
  for await (const chunk of read.body as AsyncIterable<Uint8Array>) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return { info: guestInfo(read.info), body };
}

function guestInfo(info: ObjectInfo): GuestObjectInfo {
  return { key: info.key, size: BigInt(info.size), etag: info.etag, contentType: info.contentType, lastModified: BigInt(info.lastModified) };
}
