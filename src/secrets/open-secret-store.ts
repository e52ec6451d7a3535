// The host's secret store: <data-dir>/secrets.db, sealed with the key from --secret-key-file or the
// data directory's generated secret.key. Fails before anything serves when the key is unusable.
import { join } from 'node:path';
import type { Clock } from '../queue/clock.js';
import { loadSecretKey } from './secret-key.js';
import { SqliteSecretStore } from './sqlite-secret-store.js';

export const secretDatabaseFileName = 'secrets.db';

export interface OpenSecretStoreOptions {
  readonly dataDir: string;
  readonly keyFile?: string | undefined;
  /** Told once when a key is generated, so the operator knows to back it up. */
  readonly log: (line: string) => void;
  readonly clock?: Clock;
}

export async function openSecretStore(options: OpenSecretStoreOptions): Promise<SqliteSecretStore> {
  const secretKey = await loadSecretKey({ keyFile: options.keyFile, dataDir: options.dataDir });
  if (secretKey.generated) options.log(`generated the secret key ${secretKey.source} (mode 0600): back it up, the secrets cannot be read without it`);
  return new SqliteSecretStore({
    path: join(options.dataDir, secretDatabaseFileName),
    key: secretKey.key,
    keySource: secretKey.source,
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
