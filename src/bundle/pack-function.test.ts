import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { WasmletError } from '../errors/wasmlet-error.js';
import { packFunction } from './pack-function.js';

const component = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 1, 2, 3]);
let root: string;

async function folder(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = join(root, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

function failsWith(code: string, message: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof WasmletError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  };
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'wasmlet-pack-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('packFunction of a folder', () => {
  test('zips exactly wasmlet.toml and the component it names', async () => {
    const manifest = 'name = "hello"\ncomponent = "hello.wasm"\n';
    const dir = await folder('hello', { 'wasmlet.toml': manifest, 'hello.wasm': component, 'README.md': 'not bundled', 'src/lib.rs': '' });
    const entries = unzipSync(await packFunction(dir));
    assert.deepEqual(Object.keys(entries), ['wasmlet.toml', 'hello.wasm']);
    assert.equal(strFromU8(entries['wasmlet.toml']!), manifest);
    assert.deepEqual(entries['hello.wasm'], component);
  });

  test('keeps a component in a subfolder at its relative path', async () => {
    const dir = await folder('nested', { 'wasmlet.toml': 'name = "n"\ncomponent = "target/release/n.wasm"\n', 'target/release/n.wasm': component });
    assert.deepEqual(Object.keys(unzipSync(await packFunction(dir))), ['wasmlet.toml', 'target/release/n.wasm']);
  });

  test('gives the same bytes for the same contents, whatever the file times and the time zone', async () => {
    const dir = await folder('same', { 'wasmlet.toml': 'name = "s"\ncomponent = "s.wasm"\n', 's.wasm': component });
    const savedTz = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const first = await packFunction(dir);
      await utimes(join(dir, 's.wasm'), new Date('2001-02-03'), new Date('2001-02-03'));
      process.env.TZ = 'Pacific/Kiritimati'; // UTC+14
      assert.deepEqual(await packFunction(dir), first);
      await writeFile(join(dir, 's.wasm'), new Uint8Array([...component, 4]));
      assert.notDeepEqual(await packFunction(dir), first);
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
  });

  test('a folder without wasmlet.toml is manifest_missing', async () => {
    const dir = await folder('empty', {});
    await assert.rejects(packFunction(dir), failsWith('manifest_missing', new RegExp(`${dir} has no wasmlet.toml`)));
  });

  test('TOML that does not parse is manifest_invalid with its line', async () => {
    const dir = await folder('bad-toml', { 'wasmlet.toml': 'name = "x"\ncomponent = \n' });
    await assert.rejects(packFunction(dir), failsWith('manifest_invalid', /wasmlet\.toml \(line 2, column \d+\): Invalid TOML document/));
  });

  test('a manifest without "component" is manifest_invalid', async () => {
    const dir = await folder('no-component', { 'wasmlet.toml': 'name = "x"\n' });
    await assert.rejects(packFunction(dir), failsWith('manifest_invalid', /"component" must name the component file/));
  });

  for (const bad of ['../outside.wasm', '/etc/passwd', 'a//b.wasm', 'dir\\x.wasm', './x.wasm']) {
    test(`component = "${bad}" is refused`, async () => {
      const dir = await folder(`escape-${encodeURIComponent(bad)}`, { 'wasmlet.toml': `component = ${JSON.stringify(bad)}\n` });
      await assert.rejects(packFunction(dir), failsWith('manifest_invalid', /must be a relative path inside the folder/));
    });
  }

  test('a component that is not there is component_missing, naming the path', async () => {
    const dir = await folder('unbuilt', { 'wasmlet.toml': 'component = "out/app.wasm"\n' });
    await assert.rejects(packFunction(dir), failsWith('component_missing', new RegExp(`names component "out/app.wasm", but ${join(dir, 'out/app.wasm')} does not exist`)));
  });
});

describe('packFunction of a file', () => {
  test('a .zip is sent as it is', async () => {
    const zip = zipSync({ 'wasmlet.toml': new TextEncoder().encode('component = "c.wasm"') });
    const path = join(root, 'bundle.zip');
    await writeFile(path, zip);
    assert.deepEqual(await packFunction(path), zip);
  });

  test('a .zip that is not a zip is bundle_invalid', async () => {
    const path = join(root, 'fake.zip');
    await writeFile(path, 'hello');
    await assert.rejects(packFunction(path), failsWith('bundle_invalid', /fake\.zip is not a zip archive/));
  });

  test('another file, or nothing at all, is refused naming the path', async () => {
    const path = join(root, 'hello.wasm');
    await writeFile(path, component);
    await assert.rejects(packFunction(path), failsWith('bad_request', /hello\.wasm is neither a folder with a wasmlet\.toml nor a \.zip bundle/));
    await assert.rejects(packFunction(join(root, 'missing')), failsWith('bad_request', /missing does not exist/));
  });
});
