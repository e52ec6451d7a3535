// Reserved concurrency (Lambda's PutFunctionConcurrency) is a setting of the function, not of a
// version: it replaces `[limits] max_concurrency` in the manifest every runnable form of the function
// carries, so the worker pool enforces it for every trigger and every version alike.
import type { Manifest } from '../manifest/manifest.js';

/** The manifest with `limits.maxConcurrency` = `reserved`; the same object when none is set. */
export function withReservedConcurrency(manifest: Manifest, reserved: number | undefined): Manifest {
  if (reserved === undefined) return manifest;
  return Object.freeze({ ...manifest, limits: Object.freeze({ ...manifest.limits, maxConcurrency: reserved }) });
}
