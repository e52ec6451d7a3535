// Builds a standard `wasi:http/proxy` component from a JavaScript module that registers a
// `fetch` event listener (or exports `incomingHandler`), with StarlingMonkey: jco componentize's
// default backend (componentize-js 0.22, bundled with jco 1.35). The listener becomes the export
// `wasi:http/incoming-handler@0.2.10`, `fetch()` the import `wasi:http/outgoing-handler@0.2.10`.
// The same bytes run on `wasmtime serve` (with -Scli: StarlingMonkey also imports wasi:cli and
// wasi:filesystem) or Spin. ~70-110 s and ~14 MB on 2 cores: SpiderMonkey is inside.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BuildError } from './build-error.mjs';
import { PROXY_WORLD, PROXY_WORLD_ID, writeWasiHttpWit } from './wasi-http-wit.mjs';

/** The world's name in messages and in the build line `wasmlet build` shows. */
export const WASI_HTTP_WORLD_LABEL = PROXY_WORLD_ID;

/**
 * componentize's output for `userModule` (entry of the function folder) into `out`.
 * @param {{ fnDir: string, userModule: string, displayName: string, out: string, outArg: string, jcoCli: string, preopen: string }} job
 */
export function buildWasiHttp({ fnDir, userModule, displayName, out, outArg, jcoCli, preopen }) {
  const work = mkdtempSync(join(tmpdir(), 'wasmlet-js-http-'));
  try {
    // jco may rewrite the WIT it is given (node builtins add `import jco:node/...`): a fresh copy each time.
    const wit = writeWasiHttpWit(join(work, 'wit'));
    mkdirSync(dirname(out), { recursive: true });
    const started = performance.now();
    const result = spawnSync(process.execPath, [
      jcoCli, 'componentize', userModule,
      '--wit', wit, '--world-name', PROXY_WORLD,
      // StarlingMonkey (the default backend): QuickJS has no fetch event and no wasi:http.
      '--backend', 'starlingmonkey',
      // Local files and npm dependencies become one script, as for the QuickJS recipe.
      '--bundle',
      '-o', out,
    ], {
      cwd: fnDir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${pathToFileURL(preopen).href}`.trim() },
    });
    if (result.error) throw new BuildError(`could not run jco: ${result.error.message}`);
    if (result.status !== 0) {
      rmSync(out, { force: true });
      const said = result.stdout.toString().trim();
      if (said) console.error(said);
      throw new BuildError(`componentize (StarlingMonkey) failed for ${displayName} (jco exit ${result.status}; its message is above)`);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`js build: ${outArg} (${statSync(out).size} bytes, StarlingMonkey, world ${WASI_HTTP_WORLD_LABEL}, ${seconds} s)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
