// The parsed, frozen form of wasmlet.toml: what deploy, the registry and the runtime see.
import type { AllowedHost } from '../capabilities/outbound-http/allowed-hosts.js';
import type { OutboundLimits } from '../capabilities/outbound-http/outbound-limits.js';
import type { BucketGrant } from '../capabilities/objects/bucket-grants.js';
import type { KeyValueLimits } from '../kv/key-value-limits.js';

/** The manifest's name at the root of every bundle. */
export const manifestFileName = 'wasmlet.toml';

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface HttpRouteSpec {
  /** "/hello", "/" or a prefix "/api/*". */
  readonly route: string;
  /** Upper-case and de-duplicated; 'any' when the manifest names none. */
  readonly methods: readonly HttpMethod[] | 'any';
}

/** Languages `wasmlet build` has a recipe for (toolchains/<language>/build.sh). */
export const buildLanguages = ['c', 'rust', 'go', 'python', 'js', 'dotnet'] as const;
export type BuildLanguage = (typeof buildLanguages)[number];

/** The `[build]` table: read by the CLI's `wasmlet build` only; the host never looks at it. */
export interface BuildSpec {
  readonly language: BuildLanguage;
  /** A shell command run in the function folder instead of the recipe: trusted, local-only. */
  readonly command: string | undefined;
}

/** Also the OutboundLimits of the function's outbound HTTP (outboundRequests, ...) and its KeyValueLimits (kvMaxKeyBytes, ...). */
export interface FunctionLimits extends OutboundLimits, KeyValueLimits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly maxBodyBytes: number;
  /** Invocations in flight at once; more wait in the function's queue. */
  readonly maxConcurrency: number;
}

/** The `[runtime]` table: how the host runs instances of the function. */
export interface RuntimeSpec {
  /**
   * Invocations one instance may serve; 1 = a fresh instance every time (the default). More shares
   * the guest's state across that many invocations of this function (runtime/instance-policy.ts).
   */
  readonly instanceReuse: number;
  /**
   * Start instances from a snapshot taken after the guest's initialisation (compile/init-snapshot.ts):
   * faster for guests with an expensive init, at the price of sharing what init drew (random seeds).
   */
  readonly initSnapshot: boolean;
}

/** `{ secret = "STRIPE_KEY" }` in `[config]`: the named secret's current value. */
export interface SecretReference {
  readonly secret: string;
}

/** A `[config]` value: a plain string, or a secret's value by reference. */
export type ConfigValue = string | SecretReference;

/** Retry delays: step n (1-based) waits initialMs × multiplier^(n-1), capped at maxMs, with equal jitter. */
export interface BackoffSpec {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
}

/** A `[[queue]]` table with its defaults applied. */
export interface QueueTriggerSpec {
  readonly queue: string;
  readonly batchSize: number;
  readonly maxBatchWaitMs: number;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly backoff: BackoffSpec;
  readonly deadLetter: string;
  readonly visibilityTimeoutMs: number;
}

/** What happened to an object, as `[[object_event]] events` names it. */
export type ObjectEventKind = 'created' | 'deleted';

/**
 * An `[[object_event]]` table: changes to objects of `bucket` whose keys match, delivered through
 * the function's own durable queue for the bucket (`queue`, a host queue) like a `[[queue]]` trigger.
 */
export interface ObjectEventSpec extends QueueTriggerSpec {
  readonly bucket: string;
  readonly events: readonly ObjectEventKind[];
  /** Only keys starting with this ("" = any). */
  readonly prefix: string;
  /** Only keys ending with this ("" = any). */
  readonly suffix: string;
}

/** A `[[schedule]]` table: exactly one of `cron` and `rateMs` is set. */
export interface ScheduleSpec {
  readonly name: string;
  readonly cron: string | undefined;
  readonly rateMs: number | undefined;
  readonly maxAttempts: number;
  readonly backoff: BackoffSpec;
}

/** The `[async]` table: how async invocations are retried and where their failures go. */
export interface AsyncSpec {
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  readonly maxEventAgeMs: number;
  readonly onFailure: string | undefined;
  /** A queue receiving a record of every async invocation that succeeded. */
  readonly onSuccess: string | undefined;
}

/**
 * A validated manifest; every field present (defaults applied) and deeply frozen.
 * @example
 * const manifest = parseManifest('name = "hello"\ncomponent = "hello.wasm"\n[[http]]\nroute = "/hello"\n');
 * manifest.limits.timeoutMs; // 10000
 */
export interface Manifest {
  readonly name: string;
  /** Normalised relative path inside the bundle: no "./", no empty segments. */
  readonly component: string;
  readonly http: readonly HttpRouteSpec[];
  readonly env: Readonly<Record<string, string>>;
  /** Plain strings, and references to host secrets resolved when the function runs (invoke/version-grants.ts). */
  readonly config: Readonly<Record<string, ConfigValue>>;
  readonly limits: FunctionLimits;
  readonly runtime: RuntimeSpec;
  /** Parsed grants, duplicates removed: "https://api.example.com", "https://*.example.com", "http://127.0.0.1:8080". */
  readonly allowedOutboundHosts: readonly AllowedHost[];
  /** Queues the guest may send to (the publisher import). */
  readonly publish: readonly string[];
  /** Key-value stores the guest may open (wasi:keyvalue), duplicates removed: "default", "sessions". */
  readonly keyValueStores: readonly string[];
  readonly queue: readonly QueueTriggerSpec[];
  /** Buckets the guest may use through wasmlet:function/objects, and how: "uploads:read" -> { bucket: 'uploads', read: true, write: false }. */
  readonly buckets: readonly BucketGrant[];
  readonly objectEvent: readonly ObjectEventSpec[];
  readonly schedule: readonly ScheduleSpec[];
  readonly async: AsyncSpec;
  /** How `wasmlet build` builds the folder; undefined without a `[build]` table. Ignored by the host. */
  readonly build: BuildSpec | undefined;
}
