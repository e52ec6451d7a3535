// Editing wasmlet.toml for Lambda's configuration calls: what the call sets changes, everything else stays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifest } from '../../manifest/parse-manifest.js';
import { editManifest } from './manifest-edit.js';

const source = `# a comment (not kept)
name = "hello"
component = "hello.wasm"
allowed_outbound_hosts = ["https://api.example.com"]

[[http]]
route = "/hello"
methods = ["GET"]

[env]
A = "1"

[limits]
max_body_bytes = 2048

[async]
on_failure = "failures"
`;

test('name, [env], timeout_ms, memory_mb and [async] change; routes, grants and other limits stay', () => {
  const edited = parseManifest(editManifest(source, { name: 'renamed', env: { B: '2' }, timeoutMs: 5000, memoryMb: 64, async: { maxRetries: 0, onFailure: null, onSuccess: 'done' } }));
  assert.equal(edited.name, 'renamed');
  assert.deepEqual({ ...edited.env }, { B: '2' });
  assert.deepEqual([edited.limits.timeoutMs, edited.limits.memoryMb, edited.limits.maxBodyBytes], [5000, 64, 2048]);
  assert.deepEqual([edited.async.maxRetries, edited.async.onFailure, edited.async.onSuccess], [0, undefined, 'done']);
  assert.deepEqual(edited.http, [{ route: '/hello', methods: ['GET'] }]);
  assert.equal(edited.allowedOutboundHosts.length, 1);
});

test('an empty edit gives the same manifest back', () => {
  assert.deepEqual(parseManifest(editManifest(source, {})), parseManifest(source));
});
