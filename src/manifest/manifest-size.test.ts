import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WasmletError } from '../errors/wasmlet-error.js';
import { longestDottedKey, maxKeyParts, maxManifestBytes } from './manifest-size.js';
import { parseManifest } from './parse-manifest.js';

const minimal = 'name = "deep"\ncomponent = "c.wasm"\n';

function refusal(source: string): WasmletError {
  try {
    parseManifest(source);
  } catch (err) {
    assert.ok(err instanceof WasmletError, String(err));
    assert.equal(err.code, 'manifest_invalid');
    return err;
  }
  assert.fail('parsed');
}

test('a 20,000-part dotted table header is refused before parsing, naming the problem and the line (it was a 500)', () => {
  const error = refusal(`${minimal}\n[${Array(20_000).fill('a').join('.')}]\nx = 1\n`);
  assert.equal(error.message, `wasmlet.toml: a key has 20000 dotted parts; at most ${maxKeyParts} (line 4)`);
  assert.equal(error.status, 400);
});

test('dotted keys, arrays of tables and quoted parts count; nesting of values is bounded by the parser', () => {
  assert.match(refusal(`${minimal}[env]\n${Array(9).fill('k').join('.')} = "v"\n`).message, /a key has 9 dotted parts; at most 8 \(line 4\)/);
  assert.match(refusal(`${minimal}[[${Array(5).fill('q').join('.')}."x".y.z.w]]\n`).message, /a key has 9 dotted parts/);
  assert.match(refusal(`${minimal}x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`).message, /invalid TOML: .*nested/);
  assert.match(refusal(`${minimal}x = ${'{ a = '.repeat(20)}1${' }'.repeat(20)}\n`).message, /invalid TOML: .*nested/);
});

test('the whole file is bounded', () => {
  const error = refusal(`${minimal}[env]\nBIG = "${'x'.repeat(maxManifestBytes)}"\n`);
  assert.match(error.message, new RegExp(`^wasmlet.toml: the file is \\d+ bytes; at most ${maxManifestBytes}$`));
});

test('dots inside strings, comments, floats and times are not key parts', () => {
  const source = `${minimal}# a.b.c.d.e.f.g.h.i.j\n[env]\nURL = "https://a.b.c.d.e.f.g.h.i.j.example"\nRAW = 'a.b.c.d.e.f.g.h.i'\nML = """\na.b.c.d.e.f.g.h.i.j\n"""\n[limits]\ntimeout_ms = 1_000\n`;
  assert.deepEqual(longestDottedKey(source), { parts: 1, line: 1 });
  assert.equal(parseManifest(source).env.URL, 'https://a.b.c.d.e.f.g.h.i.j.example');
  assert.deepEqual(longestDottedKey('a = 1.5\nb = 1979-05-27T07:32:00.999Z\n"x"."y.z".w = 1\n'), { parts: 3, line: 3 });
  assert.deepEqual(longestDottedKey('s = "a\\"b.c.d"\nm = """x\n\\\ny"""\n[t.u]\n'), { parts: 2, line: 5 });
});
