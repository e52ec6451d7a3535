// Opens the host's one NATS connection: every JetStream store of the host shares it.
import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { NatsOptions } from './nats-options.js';

export async function connectNats(options: NatsOptions, name: string): Promise<NatsConnection> {
  if (options.servers.length === 0) throw new WasmletError('bad_request', '--nats: no server URL given');
  const tls = options.tls && Object.values(options.tls).some((v) => v !== undefined)
    ? Object.fromEntries(Object.entries(options.tls).filter(([, v]) => v !== undefined))
    : undefined;
  try {
    return await connect({
      servers: [...options.servers],
      name,
      // A host outlives a NATS restart or failover: reconnect forever, with the default backoff.
      maxReconnectAttempts: -1,
      ...(options.credsFile ? { authenticator: credsAuthenticator(readFileSync(options.credsFile)) } : {}),
      ...(tls ? { tls } : {}),
    });
  } catch (err) {
    throw new WasmletError('nats_unavailable', `could not connect to NATS at ${options.servers.join(',')}: ${(err as Error).message}`, { servers: options.servers }, { cause: err });
  }
}
