// Versions that key cached transpile artifacts: a new jco or a new host ABI must never reuse old glue.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Bump when the host changes how it instantiates glue (imports shape, instantiation mode).
 * 2: core modules folded into one at transpile (compile/fold-core-modules.ts). Since then folded in
 * the background after a deploy (compile/fold-queue.ts: `fn.folded.mjs`, `foldRefused` in the index);
 * a directory an older host folded at transpile (the plan in `fn.mjs`) reads the same, so no bump.
 * 3: the fold plan names the WIT function behind each lowered import (compile/lowered-imports.ts);
 * the direct path (runtime/direct-plan.ts) needs it, and an older plan would keep a component on the glue.
 */
export const hostAbiVersion = 3;

/** Version of the jco whose bindgen writes the glue (compile/sync-glue.ts). */
export const glueGeneratorVersion: string = (() => {
  const entry = fileURLToPath(import.meta.resolve('jco-sync-glue/component'));
  const packageJson = entry.slice(0, entry.lastIndexOf('/src/')) + '/package.json';
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
})();
