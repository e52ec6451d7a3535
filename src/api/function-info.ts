// The public JSON shape of a deployed function (admin API, `wasmlet list --json`).
import type { ActiveFunction } from '../registry/registry.js';
import { formatDigest } from '../store/digest.js';

export interface FunctionInfo {
  readonly name: string;
  readonly version: number;
  readonly digest: string;
  readonly componentDigest: string;
  readonly deployedAt: string;
  readonly routes: readonly { readonly route: string; readonly methods: readonly string[] | 'any' }[];
  readonly limits: { readonly timeoutMs: number; readonly memoryMb: number; readonly maxBodyBytes: number };
  readonly previousVersion: number | null;
}

export function functionInfo(fn: ActiveFunction): FunctionInfo {
  const { manifest, current } = fn;
  return {
    name: fn.name,
    version: current.version,
    digest: formatDigest(current.bundleHex),
    componentDigest: formatDigest(current.componentHex),
    deployedAt: current.deployedAt,
    routes: manifest.http.map((r: { route: string; methods: readonly string[] | 'any' }) => ({ route: r.route, methods: r.methods })),
    limits: { ...manifest.limits },
    previousVersion: fn.previousVersion,
  };
}
