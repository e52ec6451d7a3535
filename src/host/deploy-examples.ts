// `serve --deploy-examples`: deploys every built example under examples/ at start, skipping (and
// saying so) the ones whose component is not built yet.
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packFunction } from '../bundle/pack-function.js';
import type { Deployer } from '../deploy/deployer.js';
import { WasmletError } from '../errors/wasmlet-error.js';

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url));

export async function deployExamples(deployer: Deployer, log: (line: string) => void): Promise<void> {
  const names = await readdir(examplesDir).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const dir = join(examplesDir, name);
    if (!(await access(join(dir, 'wasmlet.toml')).then(() => true, () => false))) continue;
    try {
      const { active, unchanged } = await deployer.deploy(await packFunction(dir));
      log(`example ${active.name} v${active.current.version}${unchanged ? ' (unchanged)' : ''}`);
    } catch (err) {
      // Large components (Python, .NET) are not committed: they exist once built from source.
      const notBuilt = err instanceof WasmletError && err.code === 'component_missing';
      log(notBuilt ? `example ${name} skipped: not built yet (npm run examples)` : `example ${name} not deployed: ${(err as Error).message}`);
    }
  }
}
