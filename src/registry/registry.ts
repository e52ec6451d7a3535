// The function registry port: which version of each function is active, the versions kept for
// rollback, Lambda's published versions, aliases and reserved concurrency, and a notification for
// every change. Reads are synchronous (a request looks its function up on this host's view); writes
// are asynchronous and atomic per function. Backends: `file-registry.ts` (one JSON file per
// function in the data directory) and `nats/jetstream-registry.ts` (a KV bucket every host
// watches). The conformance suite every backend runs is `registry.case.ts`.
import type { HandlerKind } from '../component/validate-component.js';
import type { Manifest } from '../manifest/manifest.js';
import type { AliasRecord, FunctionVersion, PublishedVersion } from './function-file.js';

export type { AliasRecord, FunctionVersion, PublishedVersion } from './function-file.js';

/** A function whose record could not be read back: not served until it is repaired (and the host restarted) or deleted. */
export interface QuarantinedFunction {
  readonly name: string;
  /** Where the damaged record is (a file, or a KV bucket and key), left as it was. */
  readonly file: string;
  readonly reason: string;
}

/** The digests no collection may remove; `complete` is false when a quarantined record could not even be read (its digests are unknown). */
export interface ReferencedDigests {
  readonly digests: ReadonlySet<string>;
  readonly complete: boolean;
}

export interface ActiveFunction {
  readonly name: string;
  readonly current: FunctionVersion;
  readonly manifest: Manifest;
  readonly previousVersion: number | null;
}

/** One function's record changed: `here` by a call on this registry, `elsewhere` by another host sharing the backend. */
export interface RegistryChange {
  readonly name: string;
  readonly origin: 'here' | 'elsewhere';
}

/** Versions kept per function for rollback; older ones are forgotten (their blobs are then garbage: gc/). */
export const maxVersionsKept = 10;

export interface Registry {
  get(name: string): ActiveFunction | undefined;
  /** Every active function, by name. */
  list(): ActiveFunction[];
  /** The functions whose records are damaged, by name: not served, their records untouched. */
  quarantined(): QuarantinedFunction[];
  /**
   * Every bundle and component digest a kept version (active, rollback target, older or
   * published) refers to, plus every digest a quarantined record mentions: what garbage
   * collection must keep.
   */
  referencedDigests(): ReferencedDigests;
  /** The digests of versions forgotten since the last call (and forgets them): garbage, unless another version still names them. */
  takeReleased(): string[];
  /** Makes this bundle the active version; the same bytes as the active version are a no-op. */
  activate(manifest: Manifest, manifestSource: string, bundleHex: string, componentHex: string, handlers?: readonly HandlerKind[]): Promise<{ active: ActiveFunction; unchanged: boolean }>;
  /** Makes the previous version active again (`no_previous_version` if there is none). */
  rollback(name: string): Promise<ActiveFunction>;
  /** Removes a function, or a quarantined one's damaged record: the operator has given up on repairing it. */
  remove(name: string): Promise<ActiveFunction | QuarantinedFunction>;
  /** The version that would become active after a rollback (for checks before committing to it). */
  previousOf(name: string): FunctionVersion | undefined;
  /** Versions frozen by PublishVersion, oldest first (empty for an unknown function). */
  published(name: string): readonly PublishedVersion[];
  /** A published version in runnable form (the invoker's input), reserved concurrency applied. */
  publishedFunction(name: string, version: number): ActiveFunction | undefined;
  /** Freezes the active version under its own number (Lambda's PublishVersion); publishing it again returns it (`created` false). */
  publish(name: string, description: string): Promise<{ readonly version: PublishedVersion; readonly created: boolean }>;
  /** Deletes a published version; the caller has checked that no alias names it. */
  unpublish(name: string, version: number): Promise<boolean>;
  aliases(name: string): readonly AliasRecord[];
  /** Creates or replaces an alias; the caller has checked the versions it names are published. */
  putAlias(name: string, alias: AliasRecord): Promise<void>;
  deleteAlias(name: string, aliasName: string): Promise<boolean>;
  reservedConcurrency(name: string): number | undefined;
  /** Sets (or, undefined, removes) the function's reserved concurrency, in place of `[limits] max_concurrency`. */
  setReservedConcurrency(name: string, reserved: number | undefined): Promise<void>;
  /**
   * Calls `listener` after each change to a function's record shows in this registry (`get`
   * answers with it): changes made here once the write is stored, changes made by another host
   * once they arrive. Returns the unsubscribe function.
   */
  onChange(listener: (change: RegistryChange) => void): () => void;
  /** Stops watching for other hosts' changes (nothing to do on a backend that is not shared). */
  close(): Promise<void>;
}
