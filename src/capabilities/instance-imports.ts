// The import object of one instance: every capability the host grants, built fresh per invocation
// so nothing (environment, stdio, logs) is shared between tenants or between calls.
import { createHostInterface } from './host-interface.js';
import { InvocationLog } from './invocation-log.js';
import { createPublisherInterface } from './publisher-interface.js';
import type { PublishedMessage } from '../runtime/guest-call.js';
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

const ioImports = {
  'wasi:io/error': { Error: IoError },
  'wasi:io/poll': { Pollable, poll },
  'wasi:io/streams': { InputStream, OutputStream },
};

/** `outbox` collects what the guest sends; the caller decides whether it is ever published. */
export function createInstanceImports(grants: InstanceGrants, log: InvocationLog, outbox: PublishedMessage[]): Record<string, unknown> {
  const imports = importsByInterface(grants, log, outbox);
  // jco's glue asks for unversioned keys but its typings list versioned ones ('wasi:cli/stderr@0.2.12');
  // answer both, whatever the patch version the guest was built against.
  return new Proxy(imports, {
    get: (target, key) => (typeof key === 'string' ? target[key.replace(/@[^/]*$/, '')] : undefined),
  });
}

function importsByInterface(grants: InstanceGrants, log: InvocationLog, outbox: PublishedMessage[]): Record<string, unknown> {
  return {
    ...ioImports,
    ...clockImports,
    ...randomImports,
    ...filesystemImports,
    ...socketImports,
    ...createCliImports(grants.env, log),
    ...createHostInterface(grants.config, log),
    ...createPublisherInterface(grants.publish, outbox),
  };
}

/** Interfaces the host implements (unversioned); deploy validation rejects any other import. */
export const providedInterfaces: ReadonlySet<string> = new Set(
  Object.keys(importsByInterface({ env: {}, config: {}, publish: [] }, new InvocationLog(), [])),
);
