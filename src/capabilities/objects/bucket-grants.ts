// `buckets = ["uploads:read", "thumbnails:write", "logs:read,write"]`: each entry parsed once (at
// deploy) into a frozen grant, and the checks the main thread makes on every guest call. The same
// parser serves the manifest schema and the runtime, so what deploy accepts is what is enforced.
import { isObjectError } from '../../objects/object-error.js';
import { parseBucketName } from '../../objects/object-names.js';

/** What one bucket is granted: `read` = get, head, list-objects; `write` = put, delete. */
export interface BucketGrant {
  readonly bucket: string;
  readonly read: boolean;
  readonly write: boolean;
}

export type BucketAccess = 'read' | 'write';

export type ParsedBucketGrant = { readonly ok: true; readonly grant: BucketGrant } | { readonly ok: false; readonly reason: string };

/**
 * One spelling per access, so a review reads them at a glance: `read`, `write`, or `read,write`
 * (both, in either order). "rw", "r", "readwrite" and the like are refused with the spelling to use.
 */
const accessWords: Readonly<Record<string, BucketAccess>> = { read: 'read', write: 'write' };
const accessSpelling = 'an access: read, write or read,write';

/**
 * @example parseBucketGrant('logs:read,write') // { ok: true, grant: { bucket: 'logs', read: true, write: true } }
 */
export function parseBucketGrant(entry: string): ParsedBucketGrant {
  const colon = entry.lastIndexOf(':');
  const bucket = colon < 0 ? entry : entry.slice(0, colon);
  try {
    parseBucketName(bucket);
  } catch (err) {
    if (!isObjectError(err)) throw err;
    return refused('must start with a bucket name (3 to 63 lower-case letters, digits, dots and hyphens, a letter or digit at each end)');
  }
  if (colon < 0) return refused(`must give the access after a ":" (read, write or read,write), e.g. "${bucket}:read"`);
  const words = entry.slice(colon + 1).split(',');
  const access = new Set<BucketAccess>();
  for (const word of words) {
    const known = Object.hasOwn(accessWords, word) ? accessWords[word] : undefined;
    if (!known || access.has(known)) return refused(`must end in ${accessSpelling}${suggestion(bucket, word)}`);
    access.add(known);
  }
  return { ok: true, grant: Object.freeze({ bucket, read: access.has('read'), write: access.has('write') }) };
}

/** "rw" and friends are common elsewhere (mount options): say what to write instead. */
function suggestion(bucket: string, word: string): string {
  if (/^(?:rw|wr|readwrite|read-write|all|both|\*)$/i.test(word)) return ` (write "${bucket}:read,write")`;
  if (/^(?:r|ro|get|readonly|read-only)$/i.test(word)) return ` (write "${bucket}:read")`;
  if (/^(?:w|wo|put|writeonly|write-only)$/i.test(word)) return ` (write "${bucket}:write")`;
  return '';
}

function refused(reason: string): ParsedBucketGrant {
  return { ok: false, reason };
}

/** Whether `grants` allow `access` to `bucket`. */
export function allows(grants: readonly BucketGrant[] | undefined, bucket: string, access: BucketAccess): boolean {
  const grant = grants?.find((g) => g.bucket === bucket);
  return grant !== undefined && grant[access];
}

/** "read", "write" or "read,write": how the manifest spells a grant's access. */
export function accessOf(grant: BucketGrant): string {
  return [grant.read ? 'read' : '', grant.write ? 'write' : ''].filter(Boolean).join(',');
}
