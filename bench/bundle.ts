// The bundle zip of an example, built the way `wasmlet deploy` builds it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { packFunction } from '../src/bundle/pack-function.js';
import type { Example } from './examples.js';

export interface Packer {
  readonly via: 'packFunction';
  pack(example: Example): Promise<Uint8Array>;
}

/** Bundles exactly as `wasmlet deploy <folder>` does. */
export async function createPacker(): Promise<Packer> {
  return { via: 'packFunction', pack: (example) => packFunction(example.dir) };
}

/** `manifestSource` replaces the example's own wasmlet.toml (used to redeploy under another name). */
export async function zipExample(example: Example, manifestSource?: string): Promise<Uint8Array> {
  const manifest = manifestSource ?? (await readFile(join(example.dir, 'wasmlet.toml'), 'utf8'));
  return zipSync({
    'wasmlet.toml': new TextEncoder().encode(manifest),
    [example.componentFile]: new Uint8Array(await readFile(example.componentPath)),
  });
}
