// ListObjectsV2 on the embedded store: the request's prefix, delimiter, page size and cursor checked,
// then one walk of the bucket's rows in key order (UTF-8 bytes, the `objects_by_key` index), each run
// of keys under a common prefix rolled into one entry and stepped over with one range bound.
import { ObjectError } from './object-error.js';
import { maxListKeys } from './object-limits.js';
import { decodeContinuationToken, encodeContinuationToken, prefixUpperBound, type ListCursor } from './object-listing.js';
import type { ListObjectsOptions, ObjectInfo, ObjectListing } from './object-store.js';
import { objectInfoOf, type ObjectRow, type Statements } from './sqlite-object-schema.js';

/** A listing's options, checked: what the walk needs. */
export interface ListRequest {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly maxKeys: number;
  readonly cursor: ListCursor | undefined;
}

/** Checks a listing's options; the store does so before it looks for the bucket. */
export function parseListRequest(options: ListObjectsOptions): ListRequest {
  const prefix = options.prefix ?? '';
  const delimiter = options.delimiter === '' ? undefined : options.delimiter;
  const maxKeys = options.maxKeys ?? maxListKeys;
  if (!Number.isInteger(maxKeys) || maxKeys < 0 || maxKeys > maxListKeys) throw new ObjectError('invalid_argument', `maxKeys must be an integer from 0 to ${maxListKeys}, got ${maxKeys}`);
  const cursor: ListCursor | undefined = options.continuationToken !== undefined
    ? decodeContinuationToken(options.continuationToken)
    : options.startAfter ? { after: 'key', key: Buffer.from(options.startAfter) } : undefined;
  return { prefix, delimiter, maxKeys, cursor };
}

/** One page of the bucket's objects and common prefixes, from the request's cursor on. */
export function listObjectRows(sql: Statements, bucket: string, { prefix, delimiter, maxKeys, cursor }: ListRequest): ObjectListing {
  const prefixBytes = Buffer.from(prefix);
  const upper = prefixUpperBound(prefixBytes);
  // The next row to look at: key >= from (inclusive) or key > from (exclusive).
  let from: Buffer = prefixBytes;
  let inclusive = true;
  if (cursor?.after === 'key' && Buffer.compare(cursor.key, prefixBytes) >= 0) [from, inclusive] = [cursor.key, false];
  if (cursor?.after === 'prefix') {
    const past = prefixUpperBound(cursor.prefix);
    if (!past) return { objects: [], commonPrefixes: [], isTruncated: false };
    if (Buffer.compare(past, prefixBytes) > 0) [from, inclusive] = [past, true];
  }

  const objects: ObjectInfo[] = [];
  const commonPrefixes: string[] = [];
  let last: ListCursor | undefined;
  const next = (limit: number) => ((inclusive ? sql.listFrom : sql.listAfter).all(bucket, from, limit) as ObjectRow[])
    .filter((row) => upper === null || Buffer.compare(row.key, upper) < 0);
  scan: while (objects.length + commonPrefixes.length < maxKeys) {
    const rows = next(maxKeys - objects.length - commonPrefixes.length);
    if (rows.length === 0) break;
    for (const row of rows) {
      const key = row.key.toString('utf8');
      const at = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
      if (at === -1) {
        objects.push(objectInfoOf(row));
        last = { after: 'key', key: row.key };
        [from, inclusive] = [row.key, false];
        if (objects.length + commonPrefixes.length >= maxKeys) break scan;
        continue;
      }
      // Roll every key under this prefix into one entry, and continue past all of them. A prefix
      // that does not sort after start-after was listed before it (S3's rule, which makes a
      // ListObjects v1 marker that is a common prefix work).
      const common = Buffer.from(key.slice(0, at + delimiter!.length));
      const past = prefixUpperBound(common);
      if (cursor?.after !== 'key' || Buffer.compare(common, cursor.key) > 0) {
        commonPrefixes.push(common.toString('utf8'));
        last = { after: 'prefix', prefix: common };
      }
      if (!past) break scan;
      [from, inclusive] = [past, true];
      continue scan;
    }
  }
  const isTruncated = last !== undefined && objects.length + commonPrefixes.length >= maxKeys && next(1).length > 0;
  return { objects, commonPrefixes, isTruncated, ...(isTruncated ? { nextContinuationToken: encodeContinuationToken(last!) } : {}) };
}
