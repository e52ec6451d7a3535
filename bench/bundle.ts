// The bundle zip of an example, built the way `wasmlet deploy` builds it when the client's
// packFunction exists, otherwise a plain zip of wasmlet.toml + the component (same layout).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Example } from './examples.js';

type PackFunction = (dir: string) => Promise<Uint8Array>;

/** Resolved at run time: the client module may not exist yet in every checkout. */
const packFunctionUrl = new URL('../src/client/pack-function.js', import.meta.url).href;

export interface Packer {
  readonly via: 'packFunction' | 'fflate';
  pack(example: Example): Promise<Uint8Array>;
}

export async function createPacker(): Promise<Packer> {
  const loaded = (await import(packFunctionUrl).catch(() => undefined)) as { packFunction?: PackFunction } | undefined;
  const packFunction = loaded?.packFunction;
  if (packFunction) return { via: 'packFunction', pack: (example) => packFunction(example.dir) };
  return { via: 'fflate', pack: (example) => zipExample(example) };
}

/** `manifestSource` replaces the example's own wasmlet.toml (used to redeploy under another name). */
export async function zipExample(example: Example, manifestSource?: string): Promise<Uint8Array> {
  const manifest = manifestSource ?? (await readFile(join(example.dir, 'wasmlet.toml'), 'utf8'));
  return zipSync({
    'wasmlet.toml': new TextEncoder().encode(manifest),
    [example.componentFile]: new Uint8Array(await readFile(example.componentPath)),
  });
}
