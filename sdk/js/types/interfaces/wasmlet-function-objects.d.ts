declare module 'wasmlet:function/objects@0.1.0' {
  /**
   * The object (or `range` of it); none when there is no such key.
   */
  export function get(bucket: string, key: string, range: ByteRange | undefined): Object | undefined;
  /**
   * The object's metadata; none when there is no such key.
   */
  export function head(bucket: string, key: string): ObjectInfo | undefined;
  /**
   * Stores `body` under `key`, replacing what was there; visible whole or not at all.
   * An empty `content-type` means `application/octet-stream`.
   */
  export function put(bucket: string, key: string, body: Uint8Array, contentType: string): ObjectInfo;
  /**
   * Up to `max-keys` (1..1000) objects whose keys start with `prefix` ("" for all), after the
   * page `continuation` ended (none for the first page).
   */
  export function listObjects(bucket: string, prefix: string, continuation: string | undefined, maxKeys: number): ObjectPage;
  /**
   * True when an object was deleted, false when there was none.
   */
  export { _delete as delete };
  function _delete(bucket: string, key: string): boolean;
  export interface ObjectInfo {
    key: string,
    size: bigint,
    /**
     * S3's ETag without quotes: the MD5 hex of the bytes (`<hex>-<parts>` after a multipart upload).
     */
    etag: string,
    contentType: string,
    /**
     * When it was written, in milliseconds since the Unix epoch.
     */
    lastModified: bigint,
  }
  /**
   * Inclusive byte offsets, as in HTTP's `Range: bytes=first-last`; a `last` past the end is clipped.
   */
  export interface ByteRange {
    first: bigint,
    last: bigint,
  }
  export interface Object {
    info: ObjectInfo,
    /**
     * The whole object, or the bytes of the range asked for.
     */
    body: Uint8Array,
  }
  export interface ObjectPage {
    /**
     * In UTF-8 byte order of their keys.
     */
    objects: Array<ObjectInfo>,
    /**
     * Give it to the next `list-objects` for the following page; none on the last page.
     */
    continuation?: string,
  }
  /**
   * # Variants
   * 
   * ## `"denied"`
   * 
   * The bucket is not granted with the access this call needs (`buckets` in the manifest).
   * ## `"no-such-bucket"`
   * 
   * ## `"invalid-key"`
   * 
   * An empty key, one over 1024 bytes of UTF-8, or one with NUL.
   * ## `"invalid-range"`
   * 
   * The range starts past the end of the object.
   * ## `"too-large"`
   * 
   * The object (or range) read, or the body written, is over the host's limit for one call.
   * ## `"quota-exceeded"`
   * 
   * The host's object storage is full.
   * ## `"other"`
   * 
   * Anything else (a malformed argument, a failing disk).
   */
  export type ErrorCode = 'denied' | 'no-such-bucket' | 'invalid-key' | 'invalid-range' | 'too-large' | 'quota-exceeded' | 'other';
  export interface ObjectError {
    code: ErrorCode,
    /**
     * A readable explanation, for logs; not a stable interface.
     */
    message: string,
  }
}
