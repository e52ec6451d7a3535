import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseManifest } from '../manifest/parse-manifest.js';
import { BuildError } from './build-error.js';
import { createFunction, nativeTestCommands, suggestName, templateLanguages, templateNames } from './create-function.js';
import { packageRoot } from './package-root.js';

let work: string;
before(async () => (work = await mkdtemp(join(tmpdir(), 'wasmlet-new-'))));
after(() => rm(work, { recursive: true, force: true }));

function rejects(code: string, pattern: RegExp): (err: unknown) => boolean {
  return (err) => {
    assert.ok(err instanceof BuildError, String(err));
    assert.equal(err.code, code);
    assert.match(err.message, pattern);
    return true;
  };
}

describe('createFunction', () => {
  for (const template of templateNames) {
    test(`${template}: a folder named after the function, no grants, SDK paths filled in`, async () => {
      const language = templateLanguages[template];
      const created = await createFunction({ language: template, dir: join(work, `fn-${template}`) });
      assert.equal(created.name, `fn-${template}`);
      assert.equal(created.language, language);
      assert.deepEqual(created.testCommand, nativeTestCommands[language]);
      assert.ok(created.files.includes('wasmlet.toml') && created.files.includes('README.md'), created.files.join(', '));

      const manifest = parseManifest(await readFile(join(created.dir, 'wasmlet.toml'), 'utf8'));
      assert.equal(manifest.name, `fn-${template}`);
      assert.equal(manifest.component, `fn-${template}.wasm`);
      assert.deepEqual(manifest.http, [{ route: `/fn-${template}`, methods: ['GET', 'POST'] }]);
      assert.deepEqual({ env: { ...manifest.env }, config: { ...manifest.config }, hosts: manifest.allowedOutboundHosts }, { env: {}, config: {}, hosts: [] });
      assert.deepEqual(manifest.build, { language, command: undefined });

      for (const file of created.files) {
        const text = await readFile(join(created.dir, file), 'utf8');
        assert.doesNotMatch(text, /\{\{[a-z_]+\}\}/, `${file} still has a placeholder`);
      }
      const readme = await readFile(join(created.dir, 'README.md'), 'utf8');
      assert.match(readme, /wasmlet build/);
      assert.match(readme, /wasmlet deploy/);
    });
  }

  test('rust, go and dotnet reference this checkout by absolute path', async () => {
    const rust = await createFunction({ language: 'rust', dir: join(work, 'sdk-rust') });
    assert.match(await readFile(join(rust.dir, 'Cargo.toml'), 'utf8'), new RegExp(`wasmlet = \\{ path = "${packageRoot}/sdk/rust" \\}`));
    const go = await createFunction({ language: 'go', dir: join(work, 'sdk-go') });
    assert.match(await readFile(join(go.dir, 'go.mod'), 'utf8'), new RegExp(`replace wasmlet.dev/sdk/go => "${packageRoot}/sdk/go"`));
    const dotnet = await createFunction({ language: 'dotnet', dir: join(work, 'sdk-dotnet') });
    assert.match(await readFile(join(dotnet.dir, 'test.sh'), 'utf8'), new RegExp(`\nsdk="${packageRoot}/sdk/dotnet"\n`));
  });

  test('scripts stay executable', async () => {
    const c = await createFunction({ language: 'c', dir: join(work, 'exec-c') });
    assert.ok(((await stat(join(c.dir, 'test.sh'))).mode & 0o100) !== 0);
    const dotnet = await createFunction({ language: 'dotnet', dir: join(work, 'exec-dotnet') });
    assert.ok(((await stat(join(dotnet.dir, 'test.sh'))).mode & 0o100) !== 0);
  });

  test('an empty existing folder is fine; --name overrides the folder name', async () => {
    const dir = join(work, 'Empty_Dir');
    await mkdir(dir);
    const created = await createFunction({ language: 'js', dir, name: 'greeter' });
    assert.equal(created.name, 'greeter');
    assert.match(await readFile(join(dir, 'wasmlet.toml'), 'utf8'), /route = "\/greeter"/);
  });

  test('refuses a folder with files in it, and writes nothing', async () => {
    const dir = join(work, 'taken');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await assert.rejects(createFunction({ language: 'c', dir }), rejects('directory_not_empty', /taken is not empty \(notes\.txt\); wasmlet new never overwrites files$/));
    await assert.rejects(readFile(join(dir, 'wasmlet.toml')));
  });

  test('refuses a folder name that is not a function name, suggesting one', async () => {
    await assert.rejects(
      createFunction({ language: 'rust', dir: join(work, 'My_Function') }),
      rejects('name_invalid', /^"My_Function" is not a valid function name: .*; name the folder like "my-function", or pass --name$/),
    );
    await assert.rejects(stat(join(work, 'My_Function')));
    await assert.rejects(createFunction({ language: 'rust', dir: join(work, 'ok'), name: '9lives' }), rejects('name_invalid', /^"9lives" is not a valid function name: [^;]*$/));
  });

  test('a language without a template says so', async () => {
    await assert.rejects(
      createFunction({ language: 'c', dir: join(work, 'no-template') }, { templates: join(work, 'nowhere'), wasmlet: packageRoot }),
      rejects('template_missing', /no c template/),
    );
  });
});

test('suggestName turns anything into a valid name', () => {
  assert.equal(suggestName('My_Function'), 'my-function');
  assert.equal(suggestName('2fast 2furious!'), 'fast-2furious');
  assert.equal(suggestName('___'), 'my-function');
  assert.equal(suggestName('x'.repeat(80)).length, 63);
});
