// The main-thread side of wasi:keyvalue against real SQLite stores: the grant is checked here, not
// only in the worker, and the function's own limits apply.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaultKeyValueLimits } from '../../kv/key-value-limits.js';
import { SqliteKeyValueStores } from '../../kv/sqlite-key-value-stores.js';
import type { HostEvent, HostGrants, InvocationScope } from '../host-link.js';
import { defaultOutboundLimits } from '../outbound-http/outbound-limits.js';
import { KeyValueHost } from './key-value-host.js';
import type { KeyValueOperation } from './key-value-request.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmlet-kv-host-'));
const stores = new SqliteKeyValueStores({ dir });
const host = new KeyValueHost(stores);
after(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

function scope(keyValue: HostGrants['keyValue']): InvocationScope {
  const grants: HostGrants = { outbound: { allowedHosts: [], limits: defaultOutboundLimits }, ...(keyValue ? { keyValue } : {}) };
  return { functionName: 'fn', versionKey: 'v1', grants, deadlineAt: performance.now() + 10_000, state: new Map() };
}

function ask(scopeOf: InvocationScope, store: string, operation: KeyValueOperation): Promise<HostEvent> {
  return new Promise((resolve) => host.start(scopeOf, { kind: 'keyvalue', store, operation }, resolve));
}

const granted = scope({ stores: ['default'], limits: { ...defaultKeyValueLimits, kvMaxValueBytes: 4 } });

test('a store outside the grant is access-denied on the main thread, whatever the worker asked; it is not created', async () => {
  assert.deepEqual(await ask(granted, 'secret', { op: 'get', key: 'k' }), {
    kind: 'error',
    code: 'access-denied',
    message: 'fn is not granted key-value store "secret" (key_value_stores)',
  });
  assert.equal((await ask(scope(undefined), 'default', { op: 'get', key: 'k' })).kind, 'error');
  assert.deepEqual(readdirSync(dir), []);
});

test('operations answer with one value, under the function\'s limits; refusals carry the catalog code', async () => {
  assert.deepEqual(await ask(granted, 'default', { op: 'set', key: 'k', value: new Uint8Array([1, 2, 3, 4]) }), { kind: 'value', value: undefined });
  assert.deepEqual(await ask(granted, 'default', { op: 'get', key: 'k' }), { kind: 'value', value: new Uint8Array([1, 2, 3, 4]) });
  const tooBig = await ask(granted, 'default', { op: 'set', key: 'k', value: new Uint8Array(5) });
  assert.equal(tooBig.kind === 'error' && tooBig.code, 'kv_value_too_large');
  assert.deepEqual(await ask(granted, 'default', { op: 'increment', key: 'n', delta: 5n }), { kind: 'value', value: 5n });
  assert.deepEqual(await ask(granted, 'default', { op: 'read', key: 'absent' }), { kind: 'value', value: { value: undefined, version: 0 } });
  await host.provision(['default', 'other']);
  assert.deepEqual((await stores.list()).map((s) => s.name), ['default', 'other']);
});
