// The public JSON shape of a deployed function (admin API, `wasmlet list --json`).
import type { ConfigValue } from '../manifest/manifest.js';
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
  /** The manifest's `[config]` as written: a secret shows as `{ secret: NAME }`, never its value. */
  readonly config: Readonly<Record<string, ConfigValue>>;
  /** The handlers the component exports: "http", "queue", "schedule". */
  readonly handlers: readonly string[];
  /** Queues its [[queue]] triggers consume, and the names of its [[schedule]]s. */
  readonly queues: readonly string[];
  readonly schedules: readonly string[];
  /** Invocations one instance may serve ([runtime] instance_reuse; 1 = a fresh instance every time). */
  readonly instanceReuse: number;
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
    config: { ...manifest.config },
    handlers: current.handlers ?? ['http'],
    queues: manifest.queue.map((q) => q.queue),
    schedules: manifest.schedule.map((s) => s.name),
    instanceReuse: manifest.runtime.instanceReuse,
    previousVersion: fn.previousVersion,
  };
}
