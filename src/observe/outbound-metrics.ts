// Outbound requests by function, upstream host and outcome: a HostRequestHandler around the real
// one (capabilities/ never learns about metrics). The outcome is `ok` once the upstream answered
// (whatever its status), or the refusal's code (denied, timeout, connection-refused, …).
import { Counter, type Registry } from 'prom-client';
import type { HostEvent, HostRequest, HostRequestHandler } from '../capabilities/host-link.js';

/**
 * Distinct upstream hosts counted per function before the rest go under `other`: a wildcard grant
 * (`https://*.example.com`) could otherwise grow the label set without bound.
 */
export const maxHostsPerFunction = 32;
export const otherHostLabel = 'other';

export class OutboundMetrics {
  readonly #requests: Counter<'function' | 'host' | 'outcome'>;
  /** Upstream hosts labelled so far, per function (bounded by maxHostsPerFunction). */
  readonly #hosts = new Map<string, Set<string>>();
  /** `host\0outcome` label pairs per function, to remove them with it. */
  readonly #series = new Map<string, Set<string>>();

  constructor(registry: Registry) {
    this.#requests = new Counter({
      name: 'wasmlet_outbound_requests_total',
      help: 'Outbound HTTP requests of guests, by function, upstream host (at most 32 per function, then "other") and outcome (ok, or the refusal code).',
      labelNames: ['function', 'host', 'outcome'],
      registers: [registry],
    });
  }

  /** `handler` with every outbound-http request counted once, when its outcome is known. */
  observe(handler: HostRequestHandler): HostRequestHandler {
    return {
      start: (scope, request: HostRequest, emit) => {
        if (request.kind !== 'outbound-http') return handler.start(scope, request, emit);
        let counted = false;
        const count = (outcome: string) => {
          if (counted) return;
          counted = true;
          this.#count(scope.functionName, request.request.url, outcome);
        };
        return handler.start(scope, request, (event: HostEvent) => {
          if (event.kind === 'head') count('ok');
          else if (event.kind === 'fail' || event.kind === 'error') count(event.code);
          emit(event);
        });
      },
    };
  }

  /** A deleted function's series go with it. */
  forget(functionName: string): void {
    for (const key of this.#series.get(functionName) ?? []) {
      const [host, outcome] = key.split('\0') as [string, string];
      this.#requests.remove(functionName, host, outcome);
    }
    this.#series.delete(functionName);
    this.#hosts.delete(functionName);
  }

  #count(functionName: string, url: string, outcome: string): void {
    const host = this.#hostLabel(functionName, url);
    this.#requests.labels(functionName, host, outcome).inc();
    let series = this.#series.get(functionName);
    if (!series) {
      series = new Set();
      this.#series.set(functionName, series);
    }
    series.add(`${host}\0${outcome}`);
  }

  #hostLabel(functionName: string, url: string): string {
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      return otherHostLabel;
    }
    let hosts = this.#hosts.get(functionName);
    if (!hosts) {
      hosts = new Set();
      this.#hosts.set(functionName, hosts);
    }
    if (hosts.has(host)) return host;
    if (hosts.size >= maxHostsPerFunction) return otherHostLabel;
    hosts.add(host);
    return host;
  }
}
