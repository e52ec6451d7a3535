// The shape every capability has (Spin's "factors" are the model): the interfaces it gives guests,
// whether a function's grants allow them (checked at deploy: a component importing an ungranted
// interface is refused, naming the manifest key), and its imports, built per instance in the worker.
// A capability with a main-thread side (outbound HTTP's connection pools) keeps it in its folder too.
import type { HostLink } from './host-link.js';
import type { InvocationLog } from './invocation-log.js';
import type { PublishedMessage } from './publisher-interface.js';

/** What a function version is granted: plain data, sent to a worker once per version. */
export interface InstanceGrants {
  /** The manifest's `[env]`: the only environment the guest sees. */
  readonly env: Readonly<Record<string, string>>;
  /** The manifest's `[config]`. */
  readonly config: Readonly<Record<string, string>>;
  /** Queues the guest may send to (the manifest's `publish`). */
  readonly publish: readonly string[];
  /** `allowed_outbound_hosts` grants something: requests may be asked for (the main thread checks each one). */
  readonly outboundHttp: boolean;
  /**
   * Exact values masked in everything captured from the guest before it leaves the worker (the
   * secret values `config` holds, longest first; capabilities/log-redaction.ts). Absent: nothing to mask.
   */
  readonly redact?: readonly string[];
  /** `key_value_stores`: the stores `wasi:keyvalue/store.open` may open. Absent: none. */
  readonly keyValueStores?: readonly string[];
  /** `buckets`: the buckets wasmlet:function/objects may use (the main thread checks each call's access). Absent: none. */
  readonly buckets?: readonly string[];
}

/** The per-instance state imports write to. */
export interface InstanceContext {
  readonly log: InvocationLog;
  /** What the guest sent with the publisher import; the caller decides whether it is ever published. */
  readonly outbox: PublishedMessage[];
  /** The way to the main thread (and to waiting without computing). */
  readonly link: HostLink;
}

export interface CapabilityUnit {
  readonly name: string;
  /** Imports with no per-instance state, built once per thread. */
  sharedImports?(link: HostLink): Record<string, unknown>;
  /** Imports built for each instance. */
  instanceImports?(grants: InstanceGrants, context: InstanceContext): Record<string, unknown>;
  /**
   * Unversioned interfaces a guest may import only when `isGranted`; a deploy importing one without
   * the grant is refused, naming `manifestKey`. Absent: what the unit provides is always granted.
   */
  readonly gate?: {
    readonly interfaces: readonly string[];
    readonly manifestKey: string;
    /** The key as the refusal suggests writing it, e.g. `key_value_stores = ["default"]`. */
    readonly example?: string;
    isGranted(grants: InstanceGrants): boolean;
  };
  /**
   * Unversioned interface -> the one version the host implements, for interfaces whose versions
   * differ in shape (drafts such as wasi:keyvalue): another version is refused at deploy.
   */
  readonly versions?: Readonly<Record<string, string>>;
}
