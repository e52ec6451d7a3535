// How the host reaches NATS JetStream (`wasmlet serve --nats …`): servers, credentials, TLS, and
// the durability of what the backend creates.

export interface NatsOptions {
  /** Client URLs of the cluster, e.g. ["nats://10.0.0.1:4222", "nats://10.0.0.2:4222"]. */
  readonly servers: readonly string[];
  /** A NATS credentials file (JWT + NKey seed), as `nats --creds` takes it. */
  readonly credsFile?: string | undefined;
  /** TLS as the Node client takes it: a CA to trust, a client certificate and key. Any of them turns TLS on. */
  readonly tls?: { readonly caFile?: string | undefined; readonly certFile?: string | undefined; readonly keyFile?: string | undefined } | undefined;
  /** Replicas of every stream and bucket the host creates: 3 in a cluster (tolerates one node down), 1 on a single server. */
  readonly replicas?: number | undefined;
  /**
   * How long JetStream remembers a message id (Nats-Msg-Id) to drop a second publish of it: the
   * bound on duplicates after a crash between publishing and acknowledging. Default 2 minutes.
   */
  readonly duplicateWindowMs?: number | undefined;
}

export const defaultDuplicateWindowMs = 2 * 60 * 1000;
