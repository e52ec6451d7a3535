// The JetStream API clients every store uses, with one request timeout: creating a replicated
// stream or bucket on a busy cluster can take longer than the client's default 5 s.
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';

export const apiTimeoutMs = 30_000;

export function managerOf(nc: NatsConnection): Promise<JetStreamManager> {
  return jetstreamManager(nc, { timeout: apiTimeoutMs });
}

export function kvmOf(nc: NatsConnection): Kvm {
  return new Kvm(jetstream(nc, { timeout: apiTimeoutMs }));
}
