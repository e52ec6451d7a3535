// Versions that key cached transpile artifacts: a new jco or a new host ABI must never reuse old glue.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Bump when the host changes how it instantiates glue (imports shape, instantiation mode).
 * 2: core modules folded into one at transpile (compile/fold-core-modules.ts).
 */
export const hostAbiVersion = 2;

/** Version of the jco whose bindgen writes the glue (compile/sync-glue.ts). */
export const glueGeneratorVersion: string = (() => {
  const entry = fileURLToPath(import.meta.resolve('jco-sync-glue/component'));
  const packageJson = entry.slice(0, entry.lastIndexOf('/src/')) + '/package.json';
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
})();
