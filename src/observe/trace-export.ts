// The OpenTelemetry SDK, built only when `wasmlet serve --otlp-endpoint URL` is given: a tracer
// whose spans a BatchSpanProcessor sends over OTLP/HTTP as JSON. Nothing is registered
// process-wide (no global tracer provider, context manager or propagator): host/start-host.ts
// passes the tracer down, and every span is started under an explicit parent context.
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { WasmletError } from '../errors/wasmlet-error.js';

/** The service every span names (`service.name`). */
export const serviceName = 'wasmlet';
/** The OTLP/HTTP path of traces, appended to a base endpoint (as OTEL_EXPORTER_OTLP_ENDPOINT is read). */
const tracesPath = '/v1/traces';

export interface TraceExport {
  readonly tracer: Tracer;
  /** Exports what is still batched, then stops (the host's close). */
  shutdown(): Promise<void>;
}

/**
 * The traces URL of `--otlp-endpoint`: a base such as `http://127.0.0.1:4318` gets `/v1/traces`
 * appended; a URL already ending in `/v1/traces` is used as it is.
 */
export function otlpTracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new WasmletError('bad_request', `--otlp-endpoint must be an http:// or https:// URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WasmletError('bad_request', `--otlp-endpoint must be an http:// or https:// URL (OTLP/HTTP), got ${JSON.stringify(endpoint)}`);
  }
  if (url.pathname.endsWith(tracesPath)) return url.href;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${tracesPath}`;
  return url.href;
}

export function startTraceExport(endpoint: string, serviceVersion: string): TraceExport {
  const exporter = new OTLPTraceExporter({ url: otlpTracesUrl(endpoint) });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': serviceVersion }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracer: provider.getTracer(serviceName, serviceVersion),
    shutdown: () => provider.shutdown(),
  };
}
