// An object store change as the queue message a `[[object_event]]` handler receives: the body is an
// S3 event notification (`{"Records":[...]}`, one record, the fields AWS sends to Lambda), so code
// written for S3 reads it unchanged; the attributes carry the same facts flat, for guests without
// a JSON parser (the C SDK's wasmlet_object_event_of reads them).
import type { ObjectEvent } from '../../objects/object-store.js';
import type { OutgoingMessage } from '../../queue/queue-store.js';

/** S3's event names, by the store's cause (ObjectChange.cause). */
const eventNames = {
  put: 'ObjectCreated:Put',
  copy: 'ObjectCreated:Copy',
  multipart: 'ObjectCreated:CompleteMultipartUpload',
  delete: 'ObjectRemoved:Delete',
} as const;

/** The region the S3 endpoint reports (s3/s3-bucket-ops.ts): clients sign for it. */
const region = 'us-east-1';
/** Not "aws:s3": the record did not come from AWS (MinIO and Ceph name themselves the same way). */
const eventSource = 'wasmlet:s3';
const owner = { principalId: 'wasmlet' };

/** One S3 event record, as AWS documents it (event message structure, version 2.1). */
export interface S3EventRecord {
  readonly eventVersion: '2.1';
  readonly eventSource: string;
  readonly awsRegion: string;
  /** ISO 8601, UTC, when the change was committed. */
  readonly eventTime: string;
  readonly eventName: (typeof eventNames)[keyof typeof eventNames];
  readonly userIdentity: { readonly principalId: string };
  readonly s3: {
    readonly s3SchemaVersion: '1.0';
    /** The subscription: `<function>/<bucket>`. */
    readonly configurationId: string;
    readonly bucket: { readonly name: string; readonly ownerIdentity: { readonly principalId: string }; readonly arn: string };
    /** `key` URL-encoded as S3 sends it (decode with `unquote_plus`); size and eTag only for a created object, as S3 does. */
    readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string };
  };
}

export function objectEventRecord(event: ObjectEvent, functionName: string): S3EventRecord {
  const created = event.kind === 'created';
  return {
    eventVersion: '2.1',
    eventSource,
    awsRegion: region,
    eventTime: new Date(event.time).toISOString(),
    eventName: eventNames[event.cause],
    userIdentity: owner,
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: `${functionName}/${event.bucket}`,
      bucket: { name: event.bucket, ownerIdentity: owner, arn: `arn:aws:s3:::${event.bucket}` },
      object: created ? { key: encodeEventKey(event.key), size: event.size, eTag: event.etag } : { key: encodeEventKey(event.key) },
    },
  };
}

/** The queue message of `event` for `functionName`'s subscription; its id is the event's, so a relay that runs twice enqueues it once. */
export function objectEventMessage(event: ObjectEvent, functionName: string): OutgoingMessage {
  const record = objectEventRecord(event, functionName);
  return {
    id: event.id,
    body: new TextEncoder().encode(JSON.stringify({ Records: [record] })),
    attributes: {
      'content-type': 'application/json',
      'object-event': record.eventName,
      'object-bucket': event.bucket,
      'object-key': event.key,
      'object-size': String(event.size),
      'object-etag': event.etag,
    },
  };
}

/**
 * S3 URL-encodes keys in event records the way HTML forms do: a space is "+", a "+" is "%2B";
 * "/" and the unreserved characters stay as they are.
 * @example encodeEventKey('2026/my cat+1.jpg') // '2026/my+cat%2B1.jpg'
 */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
