// S3's ListObjectsV2 over a bucket's keys held in memory in UTF-8 byte order (JetStream KV lists a
// bucket's keys but cannot range-scan them): the embedded store's walk (sqlite-object-store.ts),
// with a binary search where it has an index.
import { decodeContinuationToken, encodeContinuationToken, prefixUpperBound, type ListCursor } from '../objects/object-listing.js';

export interface KeyPageRequest {
  readonly prefix: string;
  readonly delimiter: string | undefined;
  readonly maxKeys: number;
  readonly startAfter?: string | undefined;
  readonly continuationToken?: string | undefined;
}

export interface KeyPage {
  readonly keys: string[];
  readonly commonPrefixes: string[];
  readonly isTruncated: boolean;
  readonly nextContinuationToken?: string | undefined;
}

/** Checks the token before anything is read (a bad one is `invalid_argument`). */
export function cursorOf(request: Pick<KeyPageRequest, 'startAfter' | 'continuationToken'>): ListCursor | undefined {
  if (request.continuationToken !== undefined) return decodeContinuationToken(request.continuationToken);
  return request.startAfter ? { after: 'key', key: Buffer.from(request.startAfter) } : undefined;
}

/** One page of `sorted` (ascending by bytes, no duplicates). */
export function pageOfKeys(sorted: readonly Buffer[], request: KeyPageRequest): KeyPage {
  const { prefix, delimiter, maxKeys } = request;
  const cursor = cursorOf(request);
  const prefixBytes = Buffer.from(prefix);
  const upper = prefixUpperBound(prefixBytes);
  let from: Buffer = prefixBytes;
  let inclusive = true;
  if (cursor?.after === 'key' && Buffer.compare(cursor.key, prefixBytes) >= 0) [from, inclusive] = [cursor.key, false];
  if (cursor?.after === 'prefix') {
    const past = prefixUpperBound(cursor.prefix);
    if (!past) return { keys: [], commonPrefixes: [], isTruncated: false };
    if (Buffer.compare(past, prefixBytes) > 0) [from, inclusive] = [past, true];
  }
  const inRange = (i: number) => i < sorted.length && (upper === null || Buffer.compare(sorted[i]!, upper) < 0);
  const firstFrom = () => firstIndex(sorted, from, inclusive);

  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let last: ListCursor | undefined;
  let i = firstFrom();
  while (keys.length + commonPrefixes.length < maxKeys && inRange(i)) {
    const keyBytes = sorted[i]!;
    const key = keyBytes.toString('utf8');
    const at = delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length);
    if (at === -1) {
      keys.push(key);
      last = { after: 'key', key: keyBytes };
      [from, inclusive] = [keyBytes, false];
      i++;
      continue;
    }
    // Every key under this common prefix rolls up into one entry; a prefix not after start-after was listed before it.
    const common = Buffer.from(key.slice(0, at + delimiter!.length));
    if (cursor?.after !== 'key' || Buffer.compare(common, cursor.key) > 0) {
      commonPrefixes.push(common.toString('utf8'));
      last = { after: 'prefix', prefix: common };
    }
    const past = prefixUpperBound(common);
    if (!past) {
      i = sorted.length;
      break;
    }
    [from, inclusive] = [past, true];
    i = firstFrom();
  }
  const isTruncated = last !== undefined && keys.length + commonPrefixes.length >= maxKeys && inRange(i);
  return { keys, commonPrefixes, isTruncated, ...(isTruncated ? { nextContinuationToken: encodeContinuationToken(last!) } : {}) };
}

/** The index of the first key >= `from` (or > it when not inclusive). */
function firstIndex(sorted: readonly Buffer[], from: Buffer, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = Buffer.compare(sorted[mid]!, from);
    if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
