import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bufferOutput } from '../cli-output.js';
import { createdLines, newCommand } from './new.js';

let work: string;
before(async () => (work = await mkdtemp(join(tmpdir(), 'wasmlet-new-cmd-'))));
after(() => rm(work, { recursive: true, force: true }));

test('new writes the folder and says what to run next', async () => {
  const output = bufferOutput();
  assert.equal(await newCommand('c', join(work, 'hello-there'), {}, { adminUrl: '', json: false, output }, work), 0);
  assert.equal(
    output.stdout,
    [
      'created hello-there (c) in hello-there: .gitignore, README.md, greeting.c, greeting.h, handler.c, test.sh, tests/greeting_test.c, wasmlet.toml',
      'next:',
      '  wasmlet build hello-there                   # the component and the bundle zip',
      '  (cd hello-there && sh test.sh)              # the unit tests, natively',
      '  wasmlet deploy hello-there/hello-there.zip  # then: curl localhost:8080/hello-there',
      '',
    ].join('\n'),
  );
  assert.match(await readFile(join(work, 'hello-there', 'wasmlet.toml'), 'utf8'), /^name = "hello-there"$/m);
});

test('--json describes what was created', async () => {
  const output = bufferOutput();
  assert.equal(await newCommand('js', join(work, 'j'), { name: 'greeter' }, { adminUrl: '', json: true, output }, work), 0);
  const created = JSON.parse(output.stdout) as { name: string; language: string; dir: string; files: string[]; testCommand: string[] };
  assert.equal(created.name, 'greeter');
  assert.equal(created.dir, join(work, 'j'));
  assert.deepEqual(created.testCommand, ['node', '--test']);
  assert.ok(created.files.includes('handler.js'));
});

test('a wasi:http template is named with the language that builds it', async () => {
  const output = bufferOutput();
  assert.equal(await newCommand('python-http', join(work, 'proxy'), {}, { adminUrl: '', json: false, output }, work), 0);
  assert.match(output.stdout, /^created proxy \(python-http, python\) in proxy: .*handler\.py.*\n/);
  const json = bufferOutput();
  assert.equal(await newCommand('js-http', join(work, 'proxy-js'), {}, { adminUrl: '', json: true, output: json }, work), 0);
  const created = JSON.parse(json.stdout) as { template: string; language: string };
  assert.deepEqual([created.template, created.language], ['js-http', 'js']);
});

test('a non-empty folder is refused with one line', async () => {
  await writeFile(join(work, 'file.txt'), 'x');
  const output = bufferOutput();
  assert.equal(await newCommand('rust', work, { name: 'taken' }, { adminUrl: '', json: false, output }, work), 1);
  assert.match(output.stderr, /^wasmlet: .* is not empty \(.*\); wasmlet new never overwrites files \(directory_not_empty\)\n$/);
});

test('paths that a shell would split are quoted in the next steps', () => {
  const text = createdLines({ name: 'f', language: 'go', dir: '/tmp/my fn', files: [], testCommand: ['go', 'test', './...'] }, '/work');
  assert.match(text, /wasmlet build '\/tmp\/my fn' /);
});
