// Every rejection has a case: cases/<name>.toml is refused with exactly the message in cases/<name>.err.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { parseManifest } from './parse-manifest.js';

// Tests run from dist/src/manifest/; the cases stay in the source tree.
const casesDir = new URL('../../../src/manifest/cases/', import.meta.url);
const files = readdirSync(casesDir).sort();
const names = files.filter((f) => f.endsWith('.toml')).map((f) => f.slice(0, -'.toml'.length));

test('every case has both a .toml and an .err file', () => {
  assert.ok(names.length > 0, `no cases found in ${casesDir.pathname}`);
  const expected = names.flatMap((name) => [`${name}.err`, `${name}.toml`]).sort();
  assert.deepEqual(files, expected);
});

for (const name of names) {
  test(`rejects ${name}`, () => {
    const source = readFileSync(new URL(`${name}.toml`, casesDir), 'utf8');
    const message = readFileSync(new URL(`${name}.err`, casesDir), 'utf8').trimEnd();
    assert.throws(
      () => parseManifest(source),
      (err: unknown) => {
        assert.ok(err instanceof WasmletError, String(err));
        assert.equal(err.code, 'manifest_invalid');
        assert.equal(err.message, message);
        return true;
      },
    );
  });
}
