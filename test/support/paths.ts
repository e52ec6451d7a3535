// Locations in the repository, resolved from the compiled test files (dist/test/support/).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const examplesDir = join(repoRoot, 'examples');

/** The component of fixture `name` (test/fixtures/<name>/<name>.wasm). */
export function fixtureComponent(name: string): string {
  return join(fixturesDir, name, `${name}.wasm`);
}
