// The OpenTelemetry SDK, loaded and built only when `wasmlet serve --otlp-endpoint URL` is given
// (host/start-host.ts imports this file then, and only then): a tracer whose spans a
// BatchSpanProcessor sends over OTLP/HTTP as JSON. No global tracer provider or propagator is
// registered: start-host passes the tracer down, and every span starts under an explicit parent.
// One thing is process-wide: a synchronous context manager (trace-context-manager.ts), so that code
// which only reads the active span (log lines' trace ids: tracing/active-trace-id.ts) sees the
// invocation's while the invoker records its lines.
import { context, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { SyncContextManager } from './trace-context-manager.js';
import { otlpTracesUrl } from './trace-endpoint.js';

/** The service every span names (`service.name`). */
export const serviceName = 'wasmlet';
/** The last batch's export at shutdown gets this long; what is not sent by then is dropped. */
export const shutdownTimeoutMs = 5_000;

export interface TraceExport {
  readonly tracer: Tracer;
  /** Exports what is still batched, then stops (the host's close). */
  shutdown(): Promise<void>;
}

export function startTraceExport(endpoint: string, serviceVersion: string): TraceExport {
  const exporter = new OTLPTraceExporter({ url: otlpTracesUrl(endpoint) });
  // Returns false when one is registered already (a second traced host in this process): that one serves both.
  const registered = context.setGlobalContextManager(new SyncContextManager());
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': serviceVersion }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracer: provider.getTracer(serviceName, serviceVersion),
    async shutdown() {
      // A collector that accepts the connection and never answers must not hold the host's stop.
      let timer: NodeJS.Timeout | undefined;
      const givenUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, shutdownTimeoutMs)));
      await Promise.race([provider.shutdown().catch(() => undefined), givenUp]);
      clearTimeout(timer);
      if (registered) context.disable();
    },
  };
}
