// Where the wasmlet package keeps its recipes and templates: found from this file, never from the
// working directory, so `wasmlet build` and `wasmlet new` work from any folder.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (the repository checkout): this file runs as dist/src/build/package-root.js. */
export const packageRoot = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

/** toolchains/<language>/install.sh and build.sh. */
export const toolchainsDir = join(packageRoot, 'toolchains');

/** templates/<language>/, the starting points of `wasmlet new`. */
export const templatesDir = join(packageRoot, 'templates');
