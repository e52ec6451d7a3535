// Chooses where the function registry and the content store (bundles, components) live: the data
// directory (the default) or NATS JetStream (`serve --nats`), where every host sharing the cluster
// sees a deploy, rollback or delete made on any of them. The transpiled artifacts and compiled code
// stay per host either way: each host compiles what it runs.
import { join } from 'node:path';
import { connectNats } from '../nats/connect-nats.js';
import { JetStreamContentStore } from '../nats/jetstream-content-store.js';
import { JetStreamRegistry } from '../nats/jetstream-registry.js';
import type { NatsOptions } from '../nats/nats-options.js';
import { FileRegistry } from '../registry/file-registry.js';
import type { Registry } from '../registry/registry.js';
import type { ContentStore } from '../store/content-store.js';
import { FileContentStore } from '../store/file-content-store.js';

export interface RegistryBackend {
  readonly registry: Registry;
  readonly content: ContentStore;
  /** True when other hosts share the registry (their changes arrive through `registry.onChange` as `elsewhere`). */
  readonly shared: boolean;
  close(): Promise<void>;
}

export interface RegistryBackendOptions {
  readonly dataDir: string;
  readonly nats?: NatsOptions | undefined;
  readonly log: (line: string) => void;
}

export async function openRegistryBackend(options: RegistryBackendOptions): Promise<RegistryBackend> {
  const { nats } = options;
  if (nats === undefined) {
    const registry = await FileRegistry.open(join(options.dataDir, 'registry.json'));
    return { registry, content: new FileContentStore(join(options.dataDir, 'blobs')), shared: false, close: () => registry.close() };
  }
  // Its own connection: the registry's watch is not queued behind queue traffic, and either can drain alone.
  const connection = await connectNats(nats, 'wasmlet-registry');
  const replicas = nats.replicas ?? 1;
  try {
    const registry = await JetStreamRegistry.open({ connection, replicas, log: options.log });
    const content = await JetStreamContentStore.open({ connection, replicas }).catch(async (err: unknown) => {
      await registry.close();
      throw err;
    });
    options.log(`function registry and bundles on NATS JetStream at ${nats.servers.join(',')} (replicas ${replicas}): a deploy, rollback or delete on any host serves on every host`);
    return {
      registry,
      content,
      shared: true,
      async close() {
        await registry.close();
        await connection.drain().catch(() => undefined);
      },
    };
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}
