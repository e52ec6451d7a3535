// wasmlet:function/objects lowered by the host for the direct path, with
// capabilities/objects/guest-imports.ts's behaviour (each call goes to the main thread through the
// HostLink, which checks the bucket grant; a refusal is logged before the guest gets `denied`).
// Each function writes its answer where jco 1.10's glue does, with the same realloc calls in the same order.
import { createObjectsImports, type ObjectsImport } from '../capabilities/objects/guest-imports.js';
import type { GuestObjectInfo, ObjectsErrorCode } from '../capabilities/objects/objects-request.js';
import { readBytes, readString, storeBytes, storeList, storeString, view, type DirectState, type Realloc } from './direct-abi.js';
import { reallocOf, runningState, type ImportSite, type Lowering } from './direct-lowering.js';
import { errorPayload } from './direct-resources.js';

/** objects.error-code, by discriminant (sdk/wit/function.wit). */
const errorCodes: readonly ObjectsErrorCode[] = ['denied', 'no-such-bucket', 'invalid-key', 'invalid-range', 'too-large', 'quota-exceeded', 'other'];

function bucketsOf(state: DirectState): ObjectsImport {
  // Made on the first call: an instance that never touches a bucket costs nothing for it.
  return (state.buckets ??= createObjectsImports(state.link, state.log)['wasmlet:function/objects']);
}

/** jco's `toUint64`: the host's sizes and times are bigints, but a number would do as well there. */
function toUint64(value: bigint | number): bigint {
  return BigInt.asUintN(64, BigInt(value));
}

/** object-info (40 bytes, align 8) at `at`: key, size, etag, content-type, last-modified, in the glue's order. */
function storeInfo(memory: WebAssembly.Memory, realloc: Realloc, info: GuestObjectInfo, at: number): void {
  storeString(memory, realloc, info.key, at);
  view(memory).setBigInt64(at + 8, toUint64(info.size), true);
  storeString(memory, realloc, info.etag, at + 16);
  storeString(memory, realloc, info.contentType, at + 24);
  view(memory).setBigInt64(at + 32, toUint64(info.lastModified), true);
}

/**
 * result<T, object-error> at `retptr`: runs `call` and lowers its value with `ok` (the `ok` tag
 * already written), or its `err(object-error)` with the code at `retptr + errorAt` and the message
 * after it. Where the error sits depends on the alignment of T (8 when it holds a u64, else 4).
 */
function answer<T>(state: DirectState, site: ImportSite, retptr: number, errorAt: 4 | 8, call: (buckets: ObjectsImport) => T, ok: (value: T) => void): void {
  const { memory } = state;
  let value: T;
  try {
    value = call(bucketsOf(state));
  } catch (err) {
    const { code, message } = errorPayload(err) as { code: ObjectsErrorCode; message: string };
    view(memory).setInt8(retptr, 1);
    const index = errorCodes.indexOf(code);
    if (index < 0) throw new TypeError(`"${code}" is not one of the cases of error-code`);
    view(memory).setInt8(retptr + errorAt, index);
    storeString(memory, reallocOf(state, site), message, retptr + errorAt + 4);
    return;
  }
  view(memory).setInt8(retptr, 0);
  ok(value);
}

export const objectsLowerings: Readonly<Record<string, Lowering>> = {
  // get(bucket, key, range: option<byte-range>) -> result<option<object{info, body}>, object-error>
  'wasmlet:function/objects#get': (site: ImportSite) =>
    (bucketPtr: number, bucketLen: number, keyPtr: number, keyLen: number, rangeTag: number, first: bigint, last: bigint, retptr: number) => {
      const state = runningState(site.running);
      const { memory } = state;
      const bucket = readString(memory, bucketPtr, bucketLen);
      const key = readString(memory, keyPtr, keyLen);
      if (rangeTag !== 0 && rangeTag !== 1) throw new TypeError('invalid variant discriminant for option');
      const range = rangeTag === 1 ? { first: BigInt.asUintN(64, first), last: BigInt.asUintN(64, last) } : undefined;
      answer(state, site, retptr, 8, (buckets) => buckets.get(bucket, key, range), (object) => {
        if (object === null || object === undefined) return view(memory).setInt8(retptr + 8, 0);
        view(memory).setInt8(retptr + 8, 1);
        const realloc = reallocOf(state, site);
        storeInfo(memory, realloc, object.info, retptr + 16);
        storeList(memory, retptr + 56, storeBytes(memory, realloc, object.body), object.body.byteLength);
      });
    },
  // head(bucket, key) -> result<option<object-info>, object-error>
  'wasmlet:function/objects#head': (site: ImportSite) => (bucketPtr: number, bucketLen: number, keyPtr: number, keyLen: number, retptr: number) => {
    const state = runningState(site.running);
    const { memory } = state;
    const bucket = readString(memory, bucketPtr, bucketLen);
    const key = readString(memory, keyPtr, keyLen);
    answer(state, site, retptr, 8, (buckets) => buckets.head(bucket, key), (info) => {
      if (info === null || info === undefined) return view(memory).setInt8(retptr + 8, 0);
      view(memory).setInt8(retptr + 8, 1);
      storeInfo(memory, reallocOf(state, site), info, retptr + 16);
    });
  },
  // put(bucket, key, body: list<u8>, content-type) -> result<object-info, object-error>
  'wasmlet:function/objects#put': (site: ImportSite) =>
    (bucketPtr: number, bucketLen: number, keyPtr: number, keyLen: number, bodyPtr: number, bodyLen: number, typePtr: number, typeLen: number, retptr: number) => {
      const state = runningState(site.running);
      const { memory } = state;
      const bucket = readString(memory, bucketPtr, bucketLen);
      const key = readString(memory, keyPtr, keyLen);
      const body = readBytes(memory, bodyPtr, bodyLen);
      const contentType = readString(memory, typePtr, typeLen);
      answer(state, site, retptr, 8, (buckets) => buckets.put(bucket, key, body, contentType), (info) => storeInfo(memory, reallocOf(state, site), info, retptr + 8));
    },
  // list-objects(bucket, prefix, continuation: option<string>, max-keys: u32) -> result<object-page{objects, continuation}, object-error>
  'wasmlet:function/objects#list-objects': (site: ImportSite) =>
    (bucketPtr: number, bucketLen: number, prefixPtr: number, prefixLen: number, afterTag: number, afterPtr: number, afterLen: number, maxKeys: number, retptr: number) => {
      const state = runningState(site.running);
      const { memory } = state;
      const bucket = readString(memory, bucketPtr, bucketLen);
      const prefix = readString(memory, prefixPtr, prefixLen);
      if (afterTag !== 0 && afterTag !== 1) throw new TypeError('invalid variant discriminant for option');
      const continuation = afterTag === 1 ? readString(memory, afterPtr, afterLen) : undefined;
      answer(state, site, retptr, 4, (buckets) => buckets.listObjects(bucket, prefix, continuation, maxKeys >>> 0), (page) => {
        const realloc = reallocOf(state, site);
        const { objects } = page;
        // The list first (allocated even when empty), then each info's strings, as the glue does.
        const base = realloc(0, 0, 8, objects.length * 40);
        for (let i = 0; i < objects.length; i++) storeInfo(memory, realloc, objects[i]!, base + i * 40);
        view(memory).setInt32(retptr + 8, objects.length, true);
        view(memory).setInt32(retptr + 4, base, true);
        if (page.continuation === null || page.continuation === undefined) return view(memory).setInt8(retptr + 12, 0);
        view(memory).setInt8(retptr + 12, 1);
        storeString(memory, realloc, page.continuation, retptr + 16);
      });
    },
  // delete(bucket, key) -> result<bool, object-error>
  'wasmlet:function/objects#delete': (site: ImportSite) => (bucketPtr: number, bucketLen: number, keyPtr: number, keyLen: number, retptr: number) => {
    const state = runningState(site.running);
    const { memory } = state;
    const bucket = readString(memory, bucketPtr, bucketLen);
    const key = readString(memory, keyPtr, keyLen);
    answer(state, site, retptr, 4, (buckets) => buckets.delete(bucket, key), (deleted) => view(memory).setInt8(retptr + 4, deleted ? 1 : 0));
  },
};
