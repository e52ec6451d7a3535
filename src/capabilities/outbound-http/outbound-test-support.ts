// Test-only helpers for the outbound HTTP tests: loopback servers (127.0.0.1 only), a sink that
// records what it is told and checks the sink contract, and a lookup that maps names to addresses.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllowedHosts } from './allowed-hosts.js';
import type { LookupAll } from './guarded-connector.js';
import { OutboundBudget, OutboundHttp, defaultOutboundLimits, type OutboundErrorCode, type OutboundLimits, type OutboundRequest, type SendOptions } from './outbound-http.js';

/** Far enough that no test run, however loaded the machine, reaches it unless it means to. */
export const generousMs = 120_000;

export interface Loopback {
  readonly port: number;
  /** Requests the server received, as "METHOD /path". */
  readonly hits: string[];
  close(): Promise<void>;
}

/** Serves on 127.0.0.1 (over TLS when given an https server) and records each request it receives. */
export async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, server: Server = createServer()): Promise<Loopback> {
  const hits: string[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A lookup that answers from a table, and ENOTFOUND for anything else (no real DNS in tests). */
export function lookupTable(table: Record<string, string>): LookupAll {
  return (hostname, _options, callback) => {
    const address = table[hostname];
    if (address === undefined) return queueMicrotask(() => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []));
    queueMicrotask(() => callback(null, [{ address, family: address.includes(':') ? 6 : 4 }]));
  };
}

export interface Outcome {
  readonly status: number | undefined;
  readonly headers: [string, string][];
  readonly body: string;
  readonly chunks: number;
  readonly failure: { readonly code: OutboundErrorCode; readonly message: string } | undefined;
}

/** Sends and waits for the sink to settle, asserting the contract: at most one head, then exactly one end or fail. */
export async function fetchOutcome(outbound: OutboundHttp, request: Partial<OutboundRequest> & { url: string }, budget = new OutboundBudget(performance.now() + generousMs), options: SendOptions = { followRedirects: true }): Promise<Outcome> {
  const calls: string[] = [];
  const parts: Uint8Array[] = [];
  let status: number | undefined;
  let headers: [string, string][] = [];
  let failure: Outcome['failure'];
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  outbound.send({ method: 'GET', headers: [], body: new Uint8Array(0), ...request }, budget, {
    head(s, h) {
      calls.push('head');
      [status, headers] = [s, h];
    },
    chunk(bytes) {
      calls.push('chunk');
      parts.push(bytes.slice());
    },
    end() {
      calls.push('end');
      settle();
    },
    fail(code, message) {
      calls.push('fail');
      failure = { code, message };
      settle();
    },
  }, options);
  await settled;
  await new Promise(setImmediate); // anything the sink hears after settling is a contract breach
  assert.match(calls.join(','), /^(?:head(?:,chunk)*,end|(?:head(?:,chunk)*,)?fail)$/, `sink calls: ${calls.join(',')}`);
  return { status, headers, body: Buffer.concat(parts).toString(), chunks: parts.length, failure };
}

/** An OutboundHttp over the given entries, closed by the caller. */
export function outboundFor(entries: string[], options: { limits?: Partial<OutboundLimits>; lookup?: LookupAll; ownPorts?: number[]; ca?: string } = {}): OutboundHttp {
  return new OutboundHttp(parseAllowedHosts(entries), { ...defaultOutboundLimits, ...options.limits }, {
    ownPorts: () => options.ownPorts ?? [],
    ownAddresses: () => new Set(),
    lookup: options.lookup ?? lookupTable({}),
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
}
