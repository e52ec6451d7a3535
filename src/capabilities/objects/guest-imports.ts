// The worker side of wasmlet:function/objects, shaped as jco's glue calls it: `result` errors are
// thrown values carrying a `payload`, options are `undefined` or the value, u64s bigints. Each
// operation is one synchronous call to the main thread (callHost), which checks the grant: the
// guest's thread waits without holding a compute slot. A refusal is logged with the invocation's
// request id (it lands in `wasmlet logs`) before the guest gets its `denied`.
import { callHost, HostCallError, type HostLink } from '../host-link.js';
import type { InvocationLog } from '../invocation-log.js';
import type { GuestObjectInfo, ObjectsErrorCode, ObjectsHostRequest, ObjectsOperation } from './objects-request.js';

const errorCodes: ReadonlySet<string> = new Set<ObjectsErrorCode>(['denied', 'no-such-bucket', 'invalid-key', 'invalid-range', 'too-large', 'quota-exceeded', 'other']);

/** `err(object-error)` for jco's glue. */
class ObjectsFailure {
  readonly payload: { code: ObjectsErrorCode; message: string };
  constructor(code: ObjectsErrorCode, message: string) {
    this.payload = { code, message };
  }
}

/** The interface as jco's glue calls it (and the direct path, runtime/direct-objects.ts). */
export type ObjectsImport = ReturnType<typeof createObjectsImports>['wasmlet:function/objects'];

export function createObjectsImports(link: HostLink, log: InvocationLog) {
  const call = (bucket: string, operation: ObjectsOperation): unknown => {
    try {
      return callHost(link, { kind: 'objects', bucket, operation } satisfies ObjectsHostRequest);
    } catch (err) {
      if (!(err instanceof HostCallError)) throw err;
      const code = errorCodes.has(err.code) ? (err.code as ObjectsErrorCode) : 'other';
      if (code === 'denied') log.add('warn', 'host', `objects: ${operation.op} refused: ${err.message}`);
      throw new ObjectsFailure(code, code === 'other' && !errorCodes.has(err.code) ? `${err.code}: ${err.message}` : err.message);
    }
  };
  return {
    'wasmlet:function/objects': {
      get(bucket: string, key: string, range: { first: bigint; last: bigint } | undefined) {
        return call(bucket, { op: 'get', key, range }) as { info: GuestObjectInfo; body: Uint8Array } | undefined;
      },
      head(bucket: string, key: string) {
        return call(bucket, { op: 'head', key }) as GuestObjectInfo | undefined;
      },
      put(bucket: string, key: string, body: Uint8Array, contentType: string) {
        // The glue has already copied the body out of guest memory (a list<u8> argument is a slice).
        return call(bucket, { op: 'put', key, body, contentType }) as GuestObjectInfo;
      },
      listObjects(bucket: string, prefix: string, continuation: string | undefined, maxKeys: number) {
        return call(bucket, { op: 'list', prefix, continuation, maxKeys }) as { objects: GuestObjectInfo[]; continuation: string | undefined };
      },
      delete(bucket: string, key: string) {
        return call(bucket, { op: 'delete', key }) as boolean;
      },
    },
  };
}
