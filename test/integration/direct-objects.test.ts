// wasmlet:function/objects on the direct path (runtime/direct-objects.ts): the objects-probe
// fixture runs without jco's glue, and every operation with every outcome (found, none, a range, a
// put with and without a content type, a list page with and without a continuation, delete 1/0,
// each error code, `denied` with its log line), from the http handler and the queue handler, reaches
// the guest exactly as on the folded glue path: the same outcome, logs and outbox, call for call.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { transpiledExample } from '../../bench/transpiled.js';
import { sleepOnlyLink, type HostLink } from '../../src/capabilities/host-link.js';
import { noGrants } from '../../src/capabilities/instance-imports.js';
import { allows, parseBucketGrant, type BucketGrant } from '../../src/capabilities/objects/bucket-grants.js';
import { accessNeeded, type GuestObjectInfo, type ObjectsHostRequest } from '../../src/capabilities/objects/objects-request.js';
import { ArtifactStore } from '../../src/compile/artifact-store.js';
import { isObjectError } from '../../src/objects/object-error.js';
import { parseObjectKey } from '../../src/objects/object-names.js';
import type { GuestCall, GuestMessage } from '../../src/runtime/guest-call.js';
import { installPromisingPolyfill } from '../../src/runtime/promising-polyfill.js';
import { instantiationPathOf } from '../../src/runtime/run-invocation.js';
import { examplesDir, fixtureComponent } from '../support/paths.js';
import { httpCall, loadedCode, observed } from '../support/direct-paths.js';

/** The fixture's `buckets` (test/fixtures/objects-probe/wasmlet.toml), plus one granted bucket that does not exist. */
const grantedBuckets: readonly BucketGrant[] = ['uploads:read,write', 'seen:read,write', 'readonly:read', 'writeonly:write', 'gone:read,write'].map((entry) => {
  const parsed = parseBucketGrant(entry);
  assert.ok(parsed.ok);
  return parsed.grant;
});
const existingBuckets = ['uploads', 'seen', 'readonly', 'writeonly'];
/** What one call may read or write here (objects-host.ts `maxBytes`): small, so `too-large` is cheap to reach. */
const maxCallBytes = 64;
/** All the fake store holds, in bytes: `quota-exceeded` after a few puts. */
const quotaBytes = 240;
/** A key the fake's "disk" fails on, with a code the WIT lacks: the guest gets `other`, that code leading the message. */
const brokenKey = 'broken';

/** An answer the main thread gives as an `error` event. */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Stored {
  readonly body: Uint8Array;
  readonly info: GuestObjectInfo;
}

/**
 * The main thread's side of wasmlet:function/objects (capabilities/objects/objects-host.ts) over an
 * in-memory store, answered at once: the grant check, then the operation. One per path, so that
 * both see the same store from the same calls; its clock ticks once per put, so times match too.
 */
function fakeObjectsLink(): HostLink {
  const buckets = new Map(existingBuckets.map((name) => [name, new Map<string, Stored>()]));
  let clockMs = 1_700_000_000_000;
  let usedBytes = 0;

  const bucketOf = (name: string) => {
    const bucket = buckets.get(name);
    if (!bucket) throw new Refusal('no-such-bucket', `no bucket named "${name}"`);
    return bucket;
  };
  const keyOf = (key: string) => {
    try {
      return parseObjectKey(key);
    } catch (err) {
      if (isObjectError(err)) throw new Refusal('invalid-key', err.message);
      throw err;
    }
  };
  const found = (bucket: Map<string, Stored>, key: string) => {
    if (keyOf(key) === brokenKey) throw new Refusal('disk_failed', `reading "${key}" failed`);
    return bucket.get(key);
  };

  const answer = ({ bucket: name, operation }: ObjectsHostRequest): unknown => {
    const access = accessNeeded[operation.op];
    if (!allows(grantedBuckets, name, access)) throw new Refusal('denied', `fx-objects may not ${access} bucket "${name}"`);
    const bucket = bucketOf(name);
    switch (operation.op) {
      case 'get': {
        const object = found(bucket, operation.key);
        if (!object) return undefined;
        const size = BigInt(object.body.byteLength);
        const { first, last } = operation.range ?? { first: 0n, last: size - 1n };
        if (operation.range && first >= size) throw new Refusal('invalid-range', `the range starts at ${first}, past the end (${size} bytes)`);
        const end = last >= size ? size - 1n : last;
        if (end - first + 1n > BigInt(maxCallBytes)) throw new Refusal('too-large', `one get reads at most ${maxCallBytes} bytes`);
        return { info: object.info, body: object.body.slice(Number(first), Number(end) + 1) };
      }
      case 'head':
        return found(bucket, operation.key)?.info;
      case 'put': {
        const key = keyOf(operation.key);
        const { body } = operation;
        if (body.byteLength > maxCallBytes) throw new Refusal('too-large', `the body is ${body.byteLength} bytes; one put writes at most ${maxCallBytes}`);
        const replaced = bucket.get(key)?.body.byteLength ?? 0;
        if (usedBytes - replaced + body.byteLength > quotaBytes) throw new Refusal('quota-exceeded', `the store holds at most ${quotaBytes} bytes`);
        usedBytes += body.byteLength - replaced;
        clockMs += 1;
        const etag = createHash('md5').update(body).digest('hex');
        const info = { key, size: BigInt(body.byteLength), etag, contentType: operation.contentType || 'application/octet-stream', lastModified: BigInt(clockMs) };
        bucket.set(key, { body, info });
        return info;
      }
      case 'list': {
        if (operation.maxKeys < 1 || operation.maxKeys > 1000) throw new Refusal('other', `max-keys must be from 1 to 1000, got ${operation.maxKeys}`);
        // UTF-8 byte order, as the store lists; the continuation is the last key listed.
        const after = operation.continuation === undefined ? undefined : Buffer.from(operation.continuation.replace(/^after:/, ''));
        const keys = [...bucket.keys()]
          .filter((key) => key.startsWith(operation.prefix) && (!after || Buffer.compare(Buffer.from(key), after) > 0))
          .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
        const page = keys.slice(0, operation.maxKeys);
        return { objects: page.map((key) => bucket.get(key)!.info), continuation: keys.length > page.length ? `after:${page.at(-1)}` : undefined };
      }
      case 'delete': {
        const object = bucket.get(keyOf(operation.key));
        usedBytes -= object?.body.byteLength ?? 0;
        return bucket.delete(operation.key);
      }
    }
  };

  return {
    ...sleepOnlyLink,
    start(request, onEvent) {
      if (request.kind !== 'objects') {
        onEvent({ kind: 'error', code: 'unsupported', message: `this host serves no ${request.kind} requests` });
        return 1;
      }
      try {
        onEvent({ kind: 'value', value: answer(request) });
      } catch (err) {
        if (!(err instanceof Refusal)) throw err;
        onEvent({ kind: 'error', code: err.code, message: err.message });
      }
      return 1;
    },
  };
}

const objects = (query: string, body = '') => httpCall('/fx/objects', query, body);

/** An [[object_event]] delivery of `key` in `uploads`, as the trigger sends one. */
function objectEvent(id: string, event: string, key: string, size: number): GuestMessage {
  const attributes: [string, string][] = [
    ['object-event', event],
    ['object-bucket', 'uploads'],
    ['object-key', key],
    ['object-size', String(size)],
    ['object-etag', 'e'.repeat(32)],
  ];
  return { id, body: new Uint8Array(0), attempt: 1, enqueuedAt: 1_700_000_000_000, attributes };
}

/** Each call, and what its outcome must show (so that equal answers are not two equal surprises). */
const calls: readonly (readonly [GuestCall, RegExp])[] = [
  [objects('op=put&bucket=uploads&key=a.txt&type=text%2Fplain', 'hello objects'), /^put key=a\.txt size=13 etag=[0-9a-f]{32}$/],
  [objects('op=put&bucket=uploads&key=b.bin', 'binary bytes'), /^put key=b\.bin size=12 /],
  [objects('op=put&bucket=uploads&key=photos%2Fcaf%C3%A9.jpg&type=image%2Fjpeg', 'jpeg'), /^put key=photos\/café\.jpg size=4 /],
  [objects('op=put&bucket=uploads&key=empty'), /^put key=empty size=0 etag=d41d8cd98f00b204e9800998ecf8427e$/],
  [objects('op=put&bucket=uploads&key=poison.txt', 'poison pill'), /^put key=poison\.txt size=11 /],
  [objects('op=get&bucket=uploads&key=a.txt'), /^found size=13 etag=\S+ type=text\/plain body=hello objects$/],
  [objects('op=get&bucket=uploads&key=empty'), /^found size=0 etag=\S+ type=application\/octet-stream body=$/],
  [objects('op=get&bucket=uploads&key=a.txt&first=6&last=8'), /^found size=13 .* body=obj$/],
  [objects('op=get&bucket=uploads&key=a.txt&first=6'), /^found size=13 .* body=objects$/],
  [objects('op=get&bucket=uploads&key=missing.txt'), /^none$/],
  [objects('op=head&bucket=uploads&key=b.bin'), /^found size=12 etag=\S+ type=application\/octet-stream modified=1700000000002$/],
  [objects('op=head&bucket=uploads&key=nope'), /^none$/],
  [objects('op=list&bucket=uploads'), /^listed 5 keys=a\.txt,b\.bin,empty,photos\/café\.jpg,poison\.txt next=-$/],
  [objects('op=list&bucket=uploads&max=2'), /^listed 2 keys=a\.txt,b\.bin next=after:b\.bin$/],
  [objects('op=list&bucket=uploads&max=2&after=after%3Ab.bin'), /^listed 2 keys=empty,photos\/café\.jpg next=after:photos\/café\.jpg$/],
  [objects('op=list&bucket=uploads&prefix=photos%2F'), /^listed 1 keys=photos\/café\.jpg next=-$/],
  [objects('op=list&bucket=readonly'), /^listed 0 keys= next=-$/],
  [objects('op=list&bucket=uploads&max=0'), /^error other max-keys must be from 1 to 1000, got 0$/],
  [{ kind: 'queue', queue: 'uploads-events', messages: [objectEvent('m-1', 'ObjectCreated:Put', 'b.bin', 12), objectEvent('m-2', 'ObjectCreated:Put', 'poison.txt', 11), objectEvent('m-3', 'ObjectRemoved:Delete', 'gone.txt', 0)] }, /"batch_ok"/],
  [objects('op=list&bucket=seen'), /^listed 2 keys=b\.bin\/c1,gone\.txt\/d1 next=-$/],
  [objects('op=delete&bucket=uploads&key=a.txt'), /^deleted 1$/],
  [objects('op=delete&bucket=uploads&key=a.txt'), /^deleted 0$/],
  [objects('op=put&bucket=readonly&key=x', 'refused'), /^error denied fx-objects may not write bucket "readonly"$/],
  [objects('op=get&bucket=writeonly&key=x'), /^error denied /],
  [objects('op=list&bucket=elsewhere'), /^error denied /],
  [objects('op=get&bucket=gone&key=x'), /^error no-such-bucket /],
  [objects('op=head&bucket=uploads'), /^error invalid-key /],
  [objects('op=get&bucket=uploads&key=b.bin&first=12'), /^error invalid-range /],
  [objects('op=get&bucket=uploads&key=b.bin&first=18446744073709551615'), /^error invalid-range the range starts at 18446744073709551615,/],
  [objects('op=put&bucket=uploads&key=big', 'x'.repeat(maxCallBytes + 1)), /^error too-large /],
  [objects('op=put&bucket=uploads&key=fill-1', 'y'.repeat(60)), /^put key=fill-1 size=60 /],
  [objects('op=put&bucket=uploads&key=fill-2', 'z'.repeat(60)), /^error quota-exceeded /],
  [objects(`op=get&bucket=uploads&key=${brokenKey}`), /^error other disk_failed: reading "broken" failed$/],
];

describe('wasmlet:function/objects on the direct path against the folded glue path', () => {
  let work: string;
  let artifacts: ArtifactStore;

  before(async () => {
    installPromisingPolyfill();
    work = await mkdtemp(join(tmpdir(), 'wasmlet-direct-objects-'));
    artifacts = new ArtifactStore(join(work, 'artifacts'));
  });

  after(() => rm(work, { recursive: true, force: true }));

  test('objects-probe: every operation and outcome reaches the guest alike on both paths', async () => {
    const { componentHex, files } = await transpiledExample({ componentPath: fixtureComponent('objects-probe') }, artifacts);
    const direct = await loadedCode(files, componentHex, false);
    const glue = await loadedCode(files, componentHex, true);
    assert.equal(instantiationPathOf(direct), 'direct', JSON.stringify(direct.direct && direct.direct.path === 'glue' ? direct.direct.reason : direct.direct));
    assert.equal(instantiationPathOf(glue), 'folded');
    const directLink = fakeObjectsLink();
    const glueLink = fakeObjectsLink();
    for (const [call, shows] of calls) {
      const viaDirect = observed(direct, noGrants, call, directLink);
      const viaGlue = observed(glue, noGrants, call, glueLink);
      assert.deepEqual(viaDirect.seen, viaGlue.seen, JSON.stringify(call));
      assert.equal(viaDirect.path, 'direct');
      assert.equal(viaGlue.path, 'folded');
      assert.equal(viaDirect.recycled, viaGlue.recycled);
      // Byte for byte: the same allocations, in the same order, the same layouts.
      assert.ok(viaDirect.memory, 'the instance exports its memory');
      assert.equal(viaDirect.memory, viaGlue.memory, `the guest's memory after ${JSON.stringify(call)}`);
      const { outcome, logs } = viaDirect.seen as { outcome: { kind: string; response?: { body: string } }; logs: { level: string; stream: string; message: string }[] };
      assert.match(outcome.response?.body ?? JSON.stringify(outcome), shows, JSON.stringify(viaDirect.seen));
      // A refusal is logged (in `wasmlet logs`) before the guest gets its `denied`; nothing else logs.
      const refused = logs.filter((line) => line.stream === 'host' && / refused: /.test(line.message));
      assert.equal(refused.length, outcome.response?.body.startsWith('error denied') ? 1 : 0, JSON.stringify(logs));
    }
  });

  test('the queue batch: the poison object fails, the others are recorded', async () => {
    const { componentHex, files } = await transpiledExample({ componentPath: fixtureComponent('objects-probe') }, artifacts);
    const direct = await loadedCode(files, componentHex, false);
    const link = fakeObjectsLink();
    for (const [call] of calls.slice(0, 5)) observed(direct, noGrants, call, link);
    const batch = calls.find(([call]) => call.kind === 'queue')![0];
    const { seen } = observed(direct, noGrants, batch, link);
    assert.deepEqual((seen as { outcome: { results: unknown } }).outcome.results, [{ kind: 'ok' }, { kind: 'fail', reason: 'poison poison.txt' }, { kind: 'ok' }]);
  });

  test('thumbnail-on-upload, which only lacked objects, now runs on the direct path', async () => {
    const { componentHex, files } = await transpiledExample({ componentPath: join(examplesDir, 'thumbnail-on-upload', 'thumbnail-on-upload.wasm') }, artifacts);
    const code = await loadedCode(files, componentHex, false);
    assert.equal(instantiationPathOf(code), 'direct', JSON.stringify(code.direct && code.direct.path === 'glue' ? code.direct.reason : code.direct));
  });
});
