// Where a component's fold stands (compile/fold-queue.ts), for `GET /v1/functions/:name`: a client
// that measures a deployed function (`wasmlet bench`) waits while it is `pending`, because the host
// switches the function to its folded code when the fold is stored, mid-measurement otherwise.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactStore } from './artifact-store.js';
import { foldRefusedFile } from './fold-core-modules.js';
import type { FoldQueue } from './fold-queue.js';

export interface FoldState {
  /**
   * `pending`: queued or folding (the function serves on the glue's path meanwhile); `folded`: its
   * instances are one core instance; `refused`, `failed`: it keeps the glue's path (`reason` says
   * why); `none`: no fold is asked for (an init snapshot, or not compiled since the host started).
   */
  readonly state: 'pending' | 'folded' | 'refused' | 'failed' | 'none';
  readonly reason?: string;
}

export async function foldStateOf(folds: FoldQueue | undefined, artifacts: ArtifactStore, componentHex: string, initSnapshot: boolean): Promise<FoldState> {
  if (initSnapshot) return { state: 'none', reason: 'an init snapshot replaces the main module: its instances keep the glue path' };
  const queued = folds?.stateOf(componentHex);
  if (queued === 'pending') return { state: 'pending' };
  if (queued === 'failed') return { state: 'failed', reason: "the fold failed or timed out (the host's log says why); it is tried again after a restart" };
  const transpiled = await artifacts.get(componentHex);
  if (transpiled?.folded) return { state: 'folded' };
  if (transpiled?.foldRefused) {
    const reason = await readFile(join(transpiled.dir, foldRefusedFile), 'utf8').then((text) => text.trim(), () => 'refused');
    return { state: 'refused', reason };
  }
  return { state: 'none' };
}
