import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectionFailureMessage, detectLanguage } from './detect-language.js';

test('each language by its tell-tale file, wasmlet.toml and the rest ignored', () => {
  const cases = [
    [['wasmlet.toml', 'Cargo.toml', 'Cargo.lock', 'README.md'], 'rust', ['Cargo.toml']],
    [['go.mod', 'main.go', 'main_test.go'], 'go', ['go.mod']],
    [['app.py', 'test_app.py'], 'python', ['app.py', 'test_app.py']],
    [['handler.js', 'greeting.js', 'package.json'], 'js', ['handler.js']],
    [['index.js'], 'js', ['index.js']],
    [['handler.ts'], 'js', ['handler.ts']],
    [['hello.c', 'hello.h', 'build.flags'], 'c', ['hello.c']],
    [['Function.cs', 'Greeting.cs', 'test.sh'], 'dotnet', ['Function.cs', 'Greeting.cs']],
  ] as const;
  for (const [files, language, evidence] of cases) {
    assert.deepEqual(detectLanguage(files), { kind: 'detected', language, evidence }, files.join(' '));
  }
});

test('a folder with nothing recognisable, or with two languages, is not guessed', () => {
  assert.deepEqual(detectLanguage(['wasmlet.toml', 'main.js', 'notes.txt']), { kind: 'none' });
  assert.deepEqual(detectLanguage(['Cargo.toml', 'shim.c', 'gen.py', 'Interop.cs']), {
    kind: 'ambiguous',
    candidates: [
      { language: 'rust', evidence: ['Cargo.toml'] },
      { language: 'python', evidence: ['gen.py'] },
      { language: 'c', evidence: ['shim.c'] },
      { language: 'dotnet', evidence: ['Interop.cs'] },
    ],
  });
  // "*.c" is a suffix rule: a .cs file is C#, never C (and a .csx or .c.txt neither).
  assert.deepEqual(detectLanguage(['Function.cs', 'notes.csx', 'old.c.txt']), { kind: 'detected', language: 'dotnet', evidence: ['Function.cs'] });
});

test('the failure message lists what was looked for and suggests [build] language', () => {
  assert.equal(
    detectionFailureMessage('/src/f', { kind: 'none' }),
    'cannot tell the language of /src/f: looked for Cargo.toml (rust), go.mod (go), *.py (python), handler.js, index.js or handler.ts (js), *.c (c), *.cs (dotnet) ' +
      'and found none; set it in wasmlet.toml, e.g. [build] language = "rust" (one of c, rust, go, python, js, dotnet)',
  );
  const ambiguous = detectLanguage(['go.mod', 'a.c', 'b.c', 'c.c', 'd.c']);
  assert.equal(ambiguous.kind, 'ambiguous');
  assert.equal(
    detectionFailureMessage('/src/f', ambiguous as Exclude<typeof ambiguous, { kind: 'detected' }>),
    'cannot tell the language of /src/f: it looks like go (go.mod) and c (a.c, b.c, c.c); set it in wasmlet.toml, e.g. [build] language = "go" (one of c, rust, go, python, js, dotnet)',
  );
});
