// The object-storage part of wasmlet.toml as zod schemas: `buckets` (the grant of
// wasmlet:function/objects, per bucket and access) and `[[object_event]]` (changes to a bucket's
// objects delivered to the queue handler). manifest-schema.ts spreads them into the whole manifest
// and adds `checkObjectEventGrants`, the check that spans both keys.
import * as z from 'zod';
import { accessOf, parseBucketGrant, type BucketGrant } from '../capabilities/objects/bucket-grants.js';
import { maxKeyBytes } from '../objects/object-limits.js';
import { maxBucketGrants, maxObjectEvents } from './manifest-bounds.js';
import { queueDeliveryShape } from './trigger-schema.js';

const countItems = (value: unknown): number => (value as readonly unknown[]).length;

const bucketGrantSchema = z
  .string()
  .meta({
    description: 'A bucket and the access the guest has to it: "read" (get, head, list-objects), "write" (put, delete) or "read,write".',
    examples: ['uploads:read', 'thumbnails:write', 'logs:read,write'],
    pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]:(?:read|write|read,write|write,read)$',
  })
  .transform((entry, ctx) => {
    const parsed = parseBucketGrant(entry);
    if (parsed.ok) return parsed.grant;
    ctx.issues.push({ code: 'custom', message: parsed.reason, input: entry });
    return z.NEVER;
  });

/** A bucket's name, where the manifest names one without an access (`[[object_event]] bucket`). */
const bucketNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit' })
  .meta({ description: 'A bucket the function is granted read access to in `buckets`.', examples: ['uploads'] });

/** A key filter: S3 compares keys byte for byte, and no key is longer than 1024 bytes. */
const keyFilterSchema = (what: string) =>
  z
    .string()
    .min(1, { error: 'must not be empty; leave it out to match every key' })
    .refine((value) => Buffer.byteLength(value) <= maxKeyBytes, { error: `must be at most ${maxKeyBytes} bytes of UTF-8 (the longest key)` })
    .optional()
    .meta({ description: `Only objects whose keys ${what} this (compared as written, case-sensitive); any key when left out.` });

const objectEventSchema = z
  .strictObject({
    bucket: bucketNameSchema,
    events: z
      .array(z.enum(['created', 'deleted'], { error: 'must be "created" or "deleted"' }))
      .min(1, { error: 'must name at least one of "created", "deleted"' })
      .refine((events) => new Set(events).size === events.length, { error: 'must not repeat an event' })
      .meta({ description: '"created": an object was written (PutObject, CopyObject, a completed multipart upload, a guest\'s put). "deleted": one was deleted.' }),
    prefix: keyFilterSchema('start with'),
    suffix: keyFilterSchema('end with'),
    ...queueDeliveryShape,
    dead_letter: queueDeliveryShape.dead_letter.meta({ description: 'Where events that failed for good go; "<function>-<bucket>-dlq" when left out.' }),
  })
  .meta({ description: 'Changes to the objects of a bucket, delivered to the queue handler as S3 event records, at least once, with the retries and dead-letter queue of a [[queue]] trigger.' });

export const objectsShape = {
  buckets: z
    .array(bucketGrantSchema)
    .max(maxBucketGrants, { error: (iss) => `must have at most ${maxBucketGrants} entries, got ${countItems(iss.input)}` })
    .superRefine((grants, ctx) => {
      const seen = new Map<string, number>();
      grants.forEach((grant, i) => {
        const first = seen.get(grant.bucket);
        if (first === undefined) return void seen.set(grant.bucket, i);
        ctx.addIssue({ code: 'custom', path: [i], message: `names bucket "${grant.bucket}" again (first at buckets[${first}]); give it one entry with all its access, e.g. "${grant.bucket}:read,write"` });
      });
    })
    .default([])
    .meta({ description: 'Buckets the guest may use with wasmlet:function/objects, each with its access; none when left out. Created when the function is deployed.' }),
  object_event: z
    .array(objectEventSchema)
    .max(maxObjectEvents, { error: (iss) => `must have at most ${maxObjectEvents} entries, got ${countItems(iss.input)}` })
    .superRefine((events, ctx) => {
      const seen = new Set<string>();
      events.forEach((event, i) => {
        if (!seen.has(event.bucket)) return void seen.add(event.bucket);
        ctx.addIssue({ code: 'custom', path: [i, 'bucket'], message: 'must not repeat the bucket of another [[object_event]] (one table per bucket: list every event in its `events`)', input: event.bucket });
      });
    })
    .default([])
    .meta({ description: 'Object events ([[object_event]] tables): changes to a bucket\'s objects delivered to the queue handler.' }),
};

/** The parts of the parsed TOML `checkObjectEventGrants` reads. */
interface ObjectsToml {
  readonly buckets: readonly BucketGrant[];
  readonly object_event: ReadonlyArray<{ readonly bucket: string }>;
}

/**
 * An event carries the object's key, size and ETag, and the handler then reads it: a function is
 * told about a bucket only if it may read it.
 */
export function checkObjectEventGrants(toml: ObjectsToml, ctx: z.core.$RefinementCtx<ObjectsToml>): void {
  toml.object_event.forEach(({ bucket }, i) => {
    const grant = toml.buckets.find((g) => g.bucket === bucket);
    if (grant?.read) return;
    const fix = grant ? `"${bucket}:${accessOf(grant)}" in buckets grants no read: write "${bucket}:read,write"` : `add "${bucket}:read" to buckets`;
    ctx.addIssue({ code: 'custom', path: ['object_event', i, 'bucket'], message: `must be a bucket the function may read (${fix})`, input: bucket });
  });
}
