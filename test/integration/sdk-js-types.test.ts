// The JS SDK's TypeScript types of the WIT records are generated from sdk/wit (jco guest-types);
// this keeps the committed copy true: regenerate with `npm run sdk-types`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/paths.js';

async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    files.set(relative(dir, path), await readFile(path, 'utf8'));
  }
  return files;
}

test('sdk/js/types matches what jco generates from sdk/wit', { timeout: 120_000 }, async () => {
  const out = await mkdtemp(join(tmpdir(), 'wasmlet-types-'));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [join(repoRoot, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js'), 'guest-types', 'sdk/wit', '--world-name', 'function', '-o', out],
        { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: `--import=${join(repoRoot, 'toolchains', 'js', 'preopen.mjs')}` } },
        (err, _stdout, stderr) => (err ? reject(new Error(`jco guest-types failed: ${stderr}`)) : resolve()),
      );
    });
    assert.deepEqual(await filesUnder(join(repoRoot, 'sdk', 'js', 'types')), await filesUnder(out), 'sdk/js/types is stale: run npm run sdk-types');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
