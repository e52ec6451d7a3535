// wasmlet:function/objects and [[object_event]] end to end: a real C guest (test/fixtures/
// objects-probe, built with the C SDK) against a real host, its object store on disk, and its S3
// endpoint. Every rule has a case that fails without it: the grant per bucket and access, the
// refusal in the log, the deploy gate, buckets created at deploy, events from both write paths,
// filters, retries and the dead-letter queue.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { S3Client } from '../../src/client/s3-client.js';
import { listen } from '../../src/host/listen.js';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { fixtureComponent, fixturesDir } from '../support/paths.js';
import { peek, waitFor } from '../support/queue-helpers.js';
import { errorCodeOf, startTestHost, type TestHost } from '../support/test-host.js';

const probe = fixtureComponent('objects-probe');
const probeManifest = readFileSync(join(fixturesDir, 'objects-probe', 'wasmlet.toml'), 'utf8').replace('component = "objects-probe.wasm"', 'component = "component.wasm"');

describe('objects from a guest (wasmlet:function/objects) and object events', () => {
  let host: TestHost;
  let s3: S3Client;
  let closeS3: () => Promise<void>;

  async function call(query: Record<string, string>, body?: string): Promise<string> {
    const response = await host.get(`/fx/objects?${new URLSearchParams(query)}`, body === undefined ? {} : { method: 'POST', body });
    const text = await response.text();
    assert.equal(response.status, 200, text);
    return text;
  }

  /** The deliveries the probe recorded for `key`: seen/<key>/<c|d><attempt>. */
  async function seen(key: string): Promise<string[]> {
    const listing = await host.host.objects.listObjects('seen', { prefix: `${key}/` });
    return listing.objects.map((o) => o.key);
  }

  before(async () => {
    host = await startTestHost();
    const endpoint = await listen(host.host.s3Listener, '127.0.0.1', 0, { checkContinue: true });
    closeS3 = endpoint.close;
    s3 = new S3Client({ url: endpoint.url, token: host.host.adminToken });
    const deployed = await host.deploy(bundleWith(probeManifest, probe));
    assert.equal(deployed.status, 201, await deployed.text());
  });
  after(async () => {
    await s3.close();
    await closeS3();
    await host.close();
  });

  test('the buckets a deployed manifest names exist at once', async () => {
    assert.deepEqual((await host.host.objects.listBuckets()).map((b) => b.name), ['readonly', 'seen', 'uploads', 'writeonly']);
  });

  test('put, head, get (whole and a range), list with a prefix and pages, delete', async () => {
    assert.match(await call({ op: 'put', bucket: 'seen', key: 'docs/a b.txt', type: 'text/plain' }, 'hello world'), /^put key=docs\/a b\.txt size=11 etag=5eb63bbbe01eeed093cb22bb8f5acdc3$/);
    await call({ op: 'put', bucket: 'seen', key: 'docs/c.txt' }, 'c');
    await call({ op: 'put', bucket: 'seen', key: 'other.txt' }, '');
    assert.match(await call({ op: 'head', bucket: 'seen', key: 'docs/a b.txt' }), /^found size=11 etag=5eb63bbbe01eeed093cb22bb8f5acdc3 type=text\/plain modified=\d{13}$/);
    assert.equal(await call({ op: 'get', bucket: 'seen', key: 'docs/a b.txt' }), 'found size=11 etag=5eb63bbbe01eeed093cb22bb8f5acdc3 type=text/plain body=hello world');
    assert.equal(await call({ op: 'get', bucket: 'seen', key: 'docs/a b.txt', first: '6', last: '99' }), 'found size=11 etag=5eb63bbbe01eeed093cb22bb8f5acdc3 type=text/plain body=world');
    assert.match(await call({ op: 'get', bucket: 'seen', key: 'docs/a b.txt', first: '11', last: '12' }), /^error invalid-range /);
    assert.equal(await call({ op: 'get', bucket: 'seen', key: 'absent' }), 'none');
    assert.equal(await call({ op: 'head', bucket: 'seen', key: 'absent' }), 'none');
    assert.equal(await call({ op: 'get', bucket: 'seen', key: 'other.txt' }), 'found size=0 etag=d41d8cd98f00b204e9800998ecf8427e type=application/octet-stream body=');

    const first = await call({ op: 'list', bucket: 'seen', prefix: 'docs/', max: '1' });
    const [, token] = /^listed 1 keys=docs\/a b\.txt next=(\S+)$/.exec(first) ?? assert.fail(first);
    assert.equal(await call({ op: 'list', bucket: 'seen', prefix: 'docs/', max: '1', after: token! }), 'listed 1 keys=docs/c.txt next=-');
    assert.match(await call({ op: 'list', bucket: 'seen', max: '0' }), /^error other max-keys must be from 1 to 1000/);

    assert.equal(await call({ op: 'delete', bucket: 'seen', key: 'docs/c.txt' }), 'deleted 1');
    assert.equal(await call({ op: 'delete', bucket: 'seen', key: 'docs/c.txt' }), 'deleted 0');
    assert.equal(await host.host.objects.headObject('seen', 'docs/c.txt'), null);
    // What the guest wrote is the same object people see through S3.
    const fromS3 = await s3.getObject('seen', 'docs/a b.txt');
    let text = '';
    for await (const chunk of fromS3.body) text += String(chunk);
    assert.equal(text, 'hello world');
  });

  test('a bucket not granted, a write to a read-only one, a read of a write-only one: denied, logged with the request id, nothing changed', async () => {
    await host.host.objects.createBucket('private');
    await host.host.objects.putObject('private', 'secret.txt', new TextEncoder().encode('s3cr3t'));
    const response = await host.get(`/fx/objects?${new URLSearchParams({ op: 'get', bucket: 'private', key: 'secret.txt' })}`);
    const requestId = response.headers.get('x-wasmlet-request-id');
    assert.equal(await response.text(), 'error denied fx-objects may not read bucket "private": buckets does not name it (add "private:read")');
    assert.equal(
      await call({ op: 'put', bucket: 'readonly', key: 'k' }, 'x'),
      'error denied fx-objects may not write bucket "readonly": buckets grants "readonly:read" (write "readonly:read,write")',
    );
    assert.match(await call({ op: 'delete', bucket: 'readonly', key: 'k' }), /^error denied /);
    assert.match(await call({ op: 'get', bucket: 'writeonly', key: 'k' }), /^error denied fx-objects may not read bucket "writeonly"/);
    assert.match(await call({ op: 'list', bucket: 'writeonly' }), /^error denied /);
    assert.equal(await call({ op: 'put', bucket: 'writeonly', key: 'k' }, 'x'), 'put key=k size=1 etag=9dd4e461268c8034f5c8564e155c67a6');
    assert.equal(await host.host.objects.headObject('readonly', 'k'), null);

    const logs = (await (await host.admin('/v1/functions/fx-objects/logs?limit=200')).json()) as { logs: Array<{ requestId: string; level: string; stream: string; message: string }> };
    const refusal = logs.logs.find((l) => l.requestId === requestId && l.stream === 'host');
    assert.deepEqual(refusal && { level: refusal.level, message: refusal.message }, {
      level: 'warn',
      message: 'objects: get refused: fx-objects may not read bucket "private": buckets does not name it (add "private:read")',
    });
  });

  test('bad keys and a bucket deleted after the deploy: the WIT\'s error codes', async () => {
    assert.equal(await call({ op: 'put', bucket: 'seen', key: 'k'.repeat(1025) }, 'x'), 'error invalid-key the object key is 1025 bytes of UTF-8; at most 1024');
    assert.match(await call({ op: 'head', bucket: 'seen', key: '' }), /^error invalid-key /);
    await host.host.objects.deleteObject('writeonly', 'k');
    await host.host.objects.deleteBucket('writeonly');
    assert.match(await call({ op: 'put', bucket: 'writeonly', key: 'k' }, 'x'), /^error no-such-bucket /);
  });

  test('deploy: importing the interface with no buckets is refused naming buckets; [[object_event]] needs the queue handler', async () => {
    const bare = probeManifest.replace(/^buckets = .*$/m, '').replace(/\[\[object_event\]\][\s\S]*?dead_letter = "fx-objects-failed"\n/, '').replace('name = "fx-objects"', 'name = "fx-objects-bare"').replace('/fx/objects', '/fx/objects-bare');
    const refused = await host.deploy(bundleWith(bare, probe));
    assert.equal(refused.status, 400);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'component_import_denied');
    assert.match(body.error.message, /imports wasmlet:function\/objects@0\.1\.0, but wasmlet\.toml grants nothing for it: add buckets \(e\.g\. buckets = \["uploads:read"\]\)/);

    const echoWithEvents = manifestFor('fx-echo-events', '/fx/echo-events', 'buckets = ["uploads:read"]\n\n[[object_event]]\nbucket = "uploads"\nevents = ["created"]\n').replace('\n\n[[http]]', '\nbuckets = ["uploads:read"]\n\n[[http]]').replace(/\nbuckets = \["uploads:read"\]\n\n\[\[object_event\]\]/, '\n[[object_event]]');
    const noHandler = await host.deploy(bundleWith(echoWithEvents, fixtureComponent('echo')));
    assert.equal(noHandler.status, 400, echoWithEvents);
    assert.equal(await errorCodeOf(noHandler), 'component_world_mismatch');
  });

  test('an upload through S3 and a put by a guest each deliver one S3-shaped event to the queue handler', async () => {
    await s3.putObject('uploads', '2026/cat.jpg', new TextEncoder().encode('jpeg bytes'), 'image/jpeg');
    await call({ op: 'put', bucket: 'uploads', key: '2026/dog.jpg' }, 'more jpeg');
    const cat = await waitFor('the S3 upload\'s event', async () => ((await seen('2026/cat.jpg')).length > 0 ? seen('2026/cat.jpg') : undefined));
    const dog = await waitFor('the guest put\'s event', async () => ((await seen('2026/dog.jpg')).length > 0 ? seen('2026/dog.jpg') : undefined));
    assert.deepEqual(cat, ['2026/cat.jpg/c1']);
    assert.deepEqual(dog, ['2026/dog.jpg/c1']);
    const record = (await host.host.objects.getObject('seen', '2026/cat.jpg/c1'))!;
    const chunks: Buffer[] = [];
    for await (const chunk of record.body) chunks.push(chunk as Buffer);
    assert.match(Buffer.concat(chunks).toString(), /^ObjectCreated:Put 10 [0-9a-f]{32} [0-9a-f-]{36}$/);

    await s3.deleteObject('uploads', '2026/cat.jpg');
    const removed = await waitFor('the delete\'s event', async () => ((await seen('2026/cat.jpg')).length === 2 ? seen('2026/cat.jpg') : undefined));
    assert.deepEqual(removed, ['2026/cat.jpg/c1', '2026/cat.jpg/d1']);
  });

  test('a failing object ends in the dead-letter queue with its reason; the others are delivered', async () => {
    await s3.putObject('uploads', 'bad.txt', new TextEncoder().encode('poison!'));
    await s3.putObject('uploads', 'good.txt', new TextEncoder().encode('fine'));
    const [dead] = await waitFor('the dead letter', async () => {
      const messages = await peek(host, 'fx-objects-failed');
      return messages.length > 0 ? messages : undefined;
    });
    assert.equal(dead!.lastError, 'poison bad.txt');
    assert.equal(dead!.attributes['object-key'], 'bad.txt');
    assert.equal(JSON.parse(dead!.text!).Records[0].s3.object.key, 'bad.txt');
    await waitFor('the good event', async () => ((await seen('good.txt')).length > 0 ? true : undefined));
    assert.deepEqual(await seen('bad.txt'), []);

    // Redriven without ?to, the event goes back to the trigger's own (host) queue: the object is
    // gone by then, so the probe records it instead of failing it again.
    await s3.deleteObject('uploads', 'bad.txt');
    await waitFor('the delete\'s event', async () => ((await seen('bad.txt')).length === 1 ? true : undefined));
    const redriven = await host.admin('/v1/queues/fx-objects-failed/redrive', { method: 'POST' });
    assert.deepEqual(await redriven.json(), { from: 'fx-objects-failed', to: 'wasmlet.objects.fx-objects.uploads', moved: 1 });
    assert.deepEqual(await waitFor('the redriven event', async () => ((await seen('bad.txt')).length === 2 ? seen('bad.txt') : undefined)), ['bad.txt/c1', 'bad.txt/d1']);
    // A host queue a person names is still refused.
    const named = await host.admin('/v1/queues/fx-objects-failed/redrive?to=wasmlet.objects.fx-objects.uploads', { method: 'POST' });
    assert.equal(named.status, 400);
  });
});
