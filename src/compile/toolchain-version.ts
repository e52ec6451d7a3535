// Versions that key cached transpile artifacts: a new jco or a new host ABI must never reuse old glue.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Bump when the host changes how it instantiates glue (imports shape, instantiation mode). */
export const hostAbiVersion = 1;

export const jcoVersion: string = (() => {
  const entry = fileURLToPath(import.meta.resolve('@bytecodealliance/jco'));
  const packageJson = entry.slice(0, entry.lastIndexOf('/dist/')) + '/package.json';
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
})();
