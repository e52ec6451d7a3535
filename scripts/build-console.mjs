// Builds the web console (console/, preact + TSX) into dist/console/: type-checks it, bundles it with
// esbuild into content-hashed assets (served immutable by src/api/console-routes.ts), and writes
// index.html naming them (served no-cache). Run by `npm run build` after tsc. Nothing is fetched.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'console');
const out = join(root, 'dist', 'console');

const check = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(source, 'tsconfig.json')], { stdio: 'inherit' });
if (check.status !== 0) {
  console.error('build-console: the console does not type-check (tsc -p console/tsconfig.json)');
  process.exit(1);
}

// A fresh folder each time: old hashed assets are not left behind to be served.
await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'assets'), { recursive: true });
const result = await build({
  entryPoints: [join(source, 'main.tsx')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  entryNames: '[name]-[hash]',
  outdir: join(out, 'assets'),
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const js = outputs.find((name) => name.endsWith('.js'));
const css = outputs.find((name) => name.endsWith('.css'));
if (!js || !css) throw new Error(`build-console: expected one .js and one .css output, got ${outputs.join(', ')}`);
const page = (await readFile(join(source, 'index.html'), 'utf8')).replace('{{js}}', `/console/assets/${js}`).replace('{{css}}', `/console/assets/${css}`);
await writeFile(join(out, 'index.html'), page);
const sizes = await Promise.all([js, css].map(async (name) => `${name} ${((await readFile(join(out, 'assets', name))).length / 1024).toFixed(1)} KiB`));
console.log(`console: dist/console/index.html, ${sizes.join(', ')}`);
