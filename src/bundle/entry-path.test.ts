// Entry names: which are safe relative paths, and how they are normalised.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryPath } from './entry-path.js';

test('plain relative paths pass, normalised', () => {
  assert.deepEqual(entryPath('wasmlet.toml'), { ok: true, path: 'wasmlet.toml' });
  assert.deepEqual(entryPath('lib/x.wasm'), { ok: true, path: 'lib/x.wasm' });
  assert.deepEqual(entryPath('./lib//x.wasm'), { ok: true, path: 'lib/x.wasm' });
  assert.deepEqual(entryPath('a/./b'), { ok: true, path: 'a/b' });
  assert.deepEqual(entryPath('..hidden/x..y'), { ok: true, path: '..hidden/x..y' });
  assert.deepEqual(entryPath('lib/'), { ok: true, path: 'lib' });
  assert.deepEqual(entryPath('./'), { ok: true, path: '' });
});

test('unsafe names are refused with a reason', () => {
  for (const [name, reason] of [
    ['../x', '".." segments are not allowed'],
    ['a/../../x', '".." segments are not allowed'],
    ['a/..', '".." segments are not allowed'],
    ['/etc/passwd', 'absolute paths are not allowed'],
    ['C:/x', 'drive letters are not allowed'],
    ['c:x', 'drive letters are not allowed'],
    ['a\\b', 'backslashes are not allowed'],
    ['a\u0000b', 'the name contains control characters'],
    ['a\nb', 'the name contains control characters'],
  ] as const) {
    assert.deepEqual(entryPath(name), { ok: false, reason }, JSON.stringify(name));
  }
});
