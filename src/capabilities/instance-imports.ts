// The import object of one instance: every capability the host grants, built fresh per invocation
// so nothing (environment, stdio, logs) is shared between tenants or between calls.
import { createHostInterface } from './host-interface.js';
import { InvocationLog } from './invocation-log.js';
import { createPublisherInterface } from './publisher-interface.js';
import type { PublishedMessage } from './publisher-interface.js';
import { createCliImports } from './wasi/cli.js';
import { clockImports } from './wasi/clocks.js';
import { filesystemImports } from './wasi/filesystem.js';
import { randomImports } from './wasi/random.js';
import { socketImports } from './wasi/sockets.js';
import { IoError, InputStream, OutputStream, Pollable, poll } from './wasi/streams.js';

export interface InstanceGrants {
  readonly env: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, string>>;
  /** Queues the guest may send to (the manifest's `publish`). */
  readonly publish: readonly string[];
}

/** Interfaces with no per-instance state (stateless functions and resource classes): built once. */
const sharedImports: Readonly<Record<string, unknown>> = Object.freeze({
  'wasi:io/error': { Error: IoError },
  'wasi:io/poll': { Pollable, poll },
  'wasi:io/streams': { InputStream, OutputStream },
  ...clockImports,
  ...randomImports,
  ...filesystemImports,
  ...socketImports,
});

/**
 * `outbox` collects what the guest sends; the caller decides whether it is ever published.
 * The glue looks interfaces up by unversioned name (`imports['wasi:cli/stderr']`), whatever patch
 * version the guest was built against. This runs once per instance, so the shared interfaces are
 * inherited from a prototype rather than copied.
 */
export function createInstanceImports(grants: InstanceGrants, log: InvocationLog, outbox: PublishedMessage[]): Record<string, unknown> {
  const imports = Object.create(sharedImports) as Record<string, unknown>;
  Object.assign(imports, createCliImports(grants.env, log));
  Object.assign(imports, createHostInterface(grants.config, log));
  Object.assign(imports, createPublisherInterface(grants.publish, outbox));
  return imports;
}

/** Interfaces the host implements (unversioned); deploy validation rejects any other import. */
export const providedInterfaces: ReadonlySet<string> = new Set(
  Object.keys(sharedImports).concat(Object.keys(createInstanceImports({ env: {}, config: {}, publish: [] }, new InvocationLog(), []))),
);
