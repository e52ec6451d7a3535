// An example's component transpiled exactly as the host does it (Toolchain -> ArtifactStore), for
// the scenarios that run guests without a host.
import { readFile } from 'node:fs/promises';
import { glueBaseName, type ArtifactStore, type Artifacts } from '../src/compile/artifact-store.js';
import { Toolchain } from '../src/compile/toolchain.js';
import { sha256Hex } from '../src/store/digest.js';
import type { Example } from './examples.js';

export async function transpiledExample(example: Pick<Example, 'componentPath'>, artifacts: ArtifactStore): Promise<{ componentHex: string; files: Artifacts }> {
  const component = new Uint8Array(await readFile(example.componentPath));
  const componentHex = sha256Hex(component);
  const files = await artifacts.ensure(componentHex, async () => {
    const toolchain = new Toolchain();
    try {
      return await toolchain.transpile(component, glueBaseName);
    } finally {
      await toolchain.close();
    }
  });
  return { componentHex, files };
}
