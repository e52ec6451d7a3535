// An example's component transpiled exactly as the host does it (Toolchain -> ArtifactStore), for
// the scenarios that run guests without a host.
import { readFile } from 'node:fs/promises';
import type { ArtifactStore, Artifacts } from '../src/compile/artifact-store.js';
import { ensureTranspiled } from '../src/compile/toolchain.js';
import { sha256Hex } from '../src/store/digest.js';
import type { Example } from './examples.js';

export async function transpiledExample(example: Pick<Example, 'componentPath'>, artifacts: ArtifactStore): Promise<{ componentHex: string; files: Artifacts }> {
  const component = new Uint8Array(await readFile(example.componentPath));
  const componentHex = sha256Hex(component);
  const files = await ensureTranspiled(artifacts, componentHex, () => component);
  return { componentHex, files };
}
