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
  /** Each trigger with what an operator looks for: where failures go, how often it retries, when it fires. */
  readonly triggers: FunctionTriggers;
  /** What the guest may reach beyond its own instance (each is refused without its grant). */
  readonly grants: FunctionGrants;
  /** Only from `GET /v1/functions/:name`: `pending` while the host folds the component (it switches code when done). */
  readonly fold?: FunctionFoldState;
}

/** `GET /v1/functions/:name` only: where the component's fold stands (compile/fold-state.ts's `FoldState`). */
export interface FunctionFoldState {
  readonly state: 'pending' | 'folded' | 'refused' | 'failed' | 'none';
  readonly reason?: string;
}

export interface FunctionTriggers {
  readonly queue: readonly { readonly queue: string; readonly deadLetter: string; readonly maxAttempts: number; readonly batchSize: number }[];
  readonly schedule: readonly { readonly name: string; readonly cron: string | null; readonly rateMs: number | null }[];
  readonly objectEvent: readonly { readonly bucket: string; readonly events: readonly string[]; readonly prefix: string; readonly suffix: string; readonly deadLetter: string }[];
}

export interface FunctionGrants {
  /** `allowed_outbound_hosts`, as written. */
  readonly outboundHosts: readonly string[];
  readonly publish: readonly string[];
  readonly keyValueStores: readonly string[];
  /** `buckets`, as written: "uploads:read,write". */
  readonly buckets: readonly string[];
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
    triggers: {
      queue: manifest.queue.map((q) => ({ queue: q.queue, deadLetter: q.deadLetter, maxAttempts: q.maxAttempts, batchSize: q.batchSize })),
      schedule: manifest.schedule.map((s) => ({ name: s.name, cron: s.cron ?? null, rateMs: s.rateMs ?? null })),
      objectEvent: manifest.objectEvent.map((o) => ({ bucket: o.bucket, events: o.events, prefix: o.prefix, suffix: o.suffix, deadLetter: o.deadLetter })),
    },
    grants: {
      outboundHosts: manifest.allowedOutboundHosts.map((h) => h.entry),
      publish: manifest.publish,
      keyValueStores: manifest.keyValueStores,
      buckets: manifest.buckets.map((b) => `${b.bucket}:${[b.read ? 'read' : '', b.write ? 'write' : ''].filter(Boolean).join(',')}`),
    },
  };
}
